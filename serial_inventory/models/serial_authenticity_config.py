from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib.endpoint import endpoint_problem
from ..lib.registry_client import SHIPPED_WSDL_PATH, RegistryClient, RegistryError
from ..lib.untrusted_text import printable

MANAGER = "stock.group_stock_manager"


class SerialAuthenticityConfig(models.Model):
    """A company's authenticity settings: central registry (SOAP) and public check.

    The registry's address and credentials are readable by inventory managers only
    (``groups`` on the fields); the rest of the code reads them as superuser, so that a
    warehouse user's receipt still registers its serials. The buttons that call the
    registry or queue serials for it are for inventory managers of the settings' company
    (``_check_registry_action``): they run as superuser behind that check.
    """

    _name = "serial.authenticity.config"
    _description = "Serial Authenticity Settings"
    _rec_name = "company_id"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True,
        ondelete="cascade")
    registry_enabled = fields.Boolean(
        "Use the central registry",
        help="Register new serials with the manufacturers' central registry and verify "
        "returned and third-party units with it.")
    registry_endpoint_url = fields.Char(
        "Registry endpoint", groups=MANAGER,
        help="The registry's SOAP address, e.g. https://registry.example.com/serial-registry")
    registry_wsdl_url = fields.Char(
        "Registry WSDL", groups=MANAGER,
        help="Leave empty to use the contract shipped with the add-on (recommended).")
    registry_username = fields.Char("Registry user name", groups=MANAGER)
    registry_password = fields.Char("Registry password", groups=MANAGER)
    registry_timeout = fields.Float(
        "Registry timeout (seconds)", default=5.0,
        help="A registry slower than this is treated as unreachable.")
    registry_strict = fields.Boolean(
        "Strict mode",
        help="Receipts and returns are validated only when the registry has registered the "
        "new serials and confirmed the returned ones. Otherwise an unreachable registry "
        "never blocks warehouse work: the calls wait in the registry queue.")
    registry_register_serials = fields.Boolean(
        "Register new serials", default=True,
        help="Serials created here (generated or received) are registered with the "
        "registry. Turn off when this company only distributes units numbered by others.")
    registry_verify_incoming = fields.Boolean(
        "Verify incoming units", default=True,
        help="Returned units, and received units this company did not register, are "
        "verified with the registry.")
    public_check_enabled = fields.Boolean(
        "Public authenticity page",
        help="Anyone may check at /serial/verify whether a serial of this company is "
        "genuine and which product it is; nothing else is shown.")
    public_check_url = fields.Char(compute="_compute_public_check_url", string="Public page")

    _sql_constraints = [
        ("company_uniq", "unique(company_id)", "A company has one authenticity setting."),
    ]

    def _compute_public_check_url(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for config in self:
            config.public_check_url = f"{base_url}/serial/verify"

    @api.constrains("registry_timeout")
    def _check_registry_timeout(self):
        for config in self:
            if config.registry_timeout <= 0:
                raise ValidationError(_("The registry timeout must be a positive number of "
                                        "seconds."))

    @api.constrains("registry_endpoint_url")
    def _check_registry_endpoint_url(self):
        for config in self:
            url = config.sudo().registry_endpoint_url
            if url:
                message = config._endpoint_problem_message(url)
                if message:
                    raise ValidationError(message)

    @api.model
    def _endpoint_problem_message(self, url):
        """Why ``url`` can never be a registry endpoint, in the user's words; or False."""
        problem = endpoint_problem(url)
        if not problem:
            return False
        shown = printable(url if len(url) <= 200 else url[:200] + "…")
        reasons = {
            "empty": _("it is empty"),
            "too_long": _("it has %s characters", problem.part),
            "characters": _("it contains %s, which has no place in an address",
                            _("a space") if problem.part == " " else problem.part),
            "unparseable": _("it cannot be read as an address (check the brackets of an "
                             "IPv6 address)"),
            "scheme": _("it must begin with http:// or https://, not %s", problem.part),
            "credentials": _("the user name and password go in their own fields, not in "
                             "the address"),
            "host": _("%s is not a host name nor an IP address", problem.part or '""'),
            "port": _("port %s is not a number from 1 to 65535", problem.part),
            "percent": _("%s is not a valid percent escape (a %% is followed by two "
                         "hexadecimal digits)", problem.part),
        }
        return _("The registry endpoint %(url)s cannot be used: %(reason)s.",
                 url=shown, reason=reasons.get(problem.code, problem.code))

    @api.model
    def _check_registry_user(self, action, companies):
        """Refuse ``action`` (its label) unless the user is an inventory manager working in
        every one of ``companies``. The superuser (the scheduled action) passes."""
        if self.env.su:
            return
        if not self.env.user.has_group(MANAGER):
            raise AccessError(_(
                "%(action)s: only inventory managers may use the central registry, and "
                "%(user)s is not one.", action=action, user=self.env.user.name))
        if companies - self.env.companies:
            # The other company is not named: its records are none of this user's business.
            raise AccessError(_(
                "%(action)s: the records concerned belong to another company than the "
                "ones you are working in (%(companies)s).", action=action,
                companies=", ".join(self.env.companies.mapped("name"))))

    def _check_registry_action(self, action):
        """Refuse ``action`` on these settings unless the user manages their company."""
        self._check_registry_user(action, self.sudo().company_id)
        # Whatever other rule applies to the settings applies to their buttons too.
        self.check_access("write")

    @api.model
    def _for_company(self, company):
        """The settings of ``company`` (superuser), or an empty recordset."""
        return self.sudo().search([("company_id", "=", company.id)], limit=1)

    @api.model
    def _registry_configs(self, companies):
        """{company id: settings} of the ``companies`` that use the registry (superuser)."""
        if not companies:
            return {}
        configs = self.sudo().search([("company_id", "in", companies.ids),
                                      ("registry_enabled", "=", True)])
        return {config.company_id.id: config for config in configs}

    def _registry_client(self):
        """A client for this company's registry; the caller closes it."""
        self.ensure_one()
        config = self.sudo()
        if not config.registry_endpoint_url:
            raise UserError(_("The central registry of %s has no endpoint.",
                              config.company_id.name))
        # An address stored before it was checked on saving: refused, never sent.
        problem = config._endpoint_problem_message(config.registry_endpoint_url)
        if problem:
            raise UserError(_("%(problem)s Correct it in the authenticity settings of "
                              "%(company)s.", problem=problem,
                              company=config.company_id.name))
        return RegistryClient(
            config.registry_wsdl_url or SHIPPED_WSDL_PATH,
            config.registry_endpoint_url,
            config.registry_username or "",
            config.registry_password or "",
            timeout=config.registry_timeout or 5.0,
        )

    def action_test_registry(self):
        """Ask the registry about a serial nobody uses, to check address and credentials."""
        self.ensure_one()
        self._check_registry_action(_("Test the connection"))
        try:
            with self._registry_client() as client:
                client.verify_serial("CONNECTION-TEST")
        except (RegistryError, ValueError) as error:
            raise UserError(_("The registry could not be used: %s", error)) from error
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "success", "message": _("The registry answered.")},
        }

    def action_register_existing(self):
        """Queue every serial of the company that is not registered yet."""
        self.ensure_one()
        self._check_registry_action(_("Register existing serials"))
        # With the serials of no company (of products shared by all companies): this
        # company is the one acting on them.
        Lot = self.env["stock.lot"].with_company(self.company_id)
        lots = Lot.search([
            ("company_id", "in", [self.company_id.id, False]),
            ("product_id.tracking", "=", "serial"),
            ("serial_registry_state", "not in", ("pending", "registered")),
        ])
        self.env["serial.registry.queue"].with_company(self.company_id)._enqueue_registration(
            lots, force=True)
        return self.env["serial.registry.queue"]._action_open_queue()
