from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_datetime

from ..lib.registry_client import RegistryError
from ..lib.serial_pattern import has_valid_check_character

RESULTS = [
    ("genuine", "Genuine"),
    ("unknown", "Unknown"),
    ("recalled", "Recalled"),
    ("delivered", "Delivered to someone else"),
    ("stolen", "Reported stolen"),
    ("ambiguous", "Several products"),
]
REGISTRY_STATUSES = [
    ("not_asked", "Not asked"),
    ("genuine", "Genuine"),
    ("unknown", "Unknown"),
    ("recalled", "Recalled"),
    ("stolen", "Stolen"),
    ("unavailable", "Unreachable"),
]
SOURCES = [
    ("manual", "Verification screen"),
    ("public", "Public page"),
    ("return", "Return"),
    ("receipt", "Receipt"),
]


class SerialVerification(models.Model):
    """The log of serial verifications: who checked which serial, when, and the verdict."""

    _name = "serial.verification"
    _description = "Serial Verification"
    _order = "id desc"
    _rec_name = "serial"

    serial = fields.Char(required=True, index=True, readonly=True,
                         help="The code as it was scanned or typed.")
    lot_id = fields.Many2one("stock.lot", string="Unit", readonly=True, index="btree_not_null",
                             ondelete="set null")
    product_id = fields.Many2one("product.product", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 default=lambda self: self.env.company)
    user_id = fields.Many2one("res.users", string="Verified by", readonly=True,
                              default=lambda self: self.env.user)
    partner_id = fields.Many2one(
        "res.partner", string="Presented by", readonly=True,
        help="Who brings the unit (a returning customer, a supplier); a unit delivered to "
        "someone else is suspicious.")
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True)
    source = fields.Selection(SOURCES, required=True, default="manual", readonly=True)
    result = fields.Selection(RESULTS, required=True, readonly=True, index=True)
    registry_status = fields.Selection(REGISTRY_STATUSES, string="Central registry",
                                       default="not_asked", readonly=True)
    message = fields.Text(readonly=True)
    remote_addr = fields.Char("Address", readonly=True, groups="stock.group_stock_manager",
                              help="Network address of a public page visitor.")

    # ------------------------------------------------------------------
    # Verdict
    # ------------------------------------------------------------------
    @api.model
    def _registry_label(self, status):
        """The registry status as the user reads it (translated)."""
        return dict(self._fields["registry_status"]._description_selection(self.env))[status]

    @api.model
    def _find_units(self, code, product=None):
        """(serial, lots, product) for a scanned or typed code, GS1 strings included.

        ``lots``: every unit the code may name (several when products share the serial, for
        the verdict to say so). Codes are read as everywhere else (serial.code.resolver);
        input that is no code and malformed GS1 strings raise UserError.
        """
        read = self.env["serial.code.resolver"]._read(code, product=product or None)
        if read["gs1"]:
            return read["lot_name"] or read["code"], read["candidates"][:10], read["product"]
        # A product barcode is no serial: the verdict is about the code as typed.
        return read["code"], read["candidates"][:10], product or self.env["product.product"]

    @api.model
    def _local_verdict(self, lot, partner=None):
        """(result, message) for one known unit."""
        if lot.serial_stolen:
            return "stolen", _("Serial %(serial)s (%(product)s) is reported stolen: do not "
                               "accept or sell this unit.", serial=lot.name,
                               product=lot.product_id.display_name)
        if lot.serial_recall_id:
            recall = lot.serial_recall_id
            return "recalled", _("Serial %(serial)s (%(product)s) is genuine but recalled by "
                                 "%(recall)s: %(reason)s", serial=lot.name,
                                 product=lot.product_id.display_name, recall=recall.name,
                                 reason=recall.reason)
        customer = lot.serial_customer_id.commercial_partner_id
        if lot.serial_state == "delivered" and (
                not partner or partner.commercial_partner_id != customer):
            values = {"serial": lot.name, "product": lot.product_id.display_name,
                      "customer": customer.display_name or _("a customer"),
                      "date": format_datetime(self.env, lot.serial_delivery_date,
                                              dt_format=False) or "?",
                      "presenter": partner.display_name if partner else ""}
            if not partner:
                # Nobody said who presents the unit: its owner may well be at the counter.
                return "delivered", _(
                    "Serial %(serial)s (%(product)s) is genuine and was delivered to "
                    "%(customer)s on %(date)s. If someone else presents it, ask for proof of "
                    "purchase: it may be a copy or a stolen unit.", **values)
            return "delivered", _(
                "Serial %(serial)s (%(product)s) was delivered to %(customer)s on %(date)s, "
                "not to %(presenter)s: unless it was resold, it may be a copy or a stolen "
                "unit.", **values)
        return "genuine", _("Serial %(serial)s is a genuine %(product)s.", serial=lot.name,
                            product=lot.product_id.display_name)

    @api.model
    def _verify(self, code, product=None, partner=None, source="manual", use_registry=True,
                picking=None, remote_addr=None):
        """Verify a code, log the verification and return it."""
        if not code or isinstance(code, str) and not code.strip():
            raise UserError(_("Type or scan a serial to verify."))
        serial, lots, product = self._find_units(code, product)
        company = lots[:1].company_id or self.env.company
        registry_status, registry_note = "not_asked", ""
        if len(lots) > 1:
            result = "ambiguous"
            message = _("Serial %(serial)s is used by several products (%(products)s): scan "
                        "the product's GS1 code or choose the product.", serial=serial,
                        products=", ".join(lots.product_id.mapped("display_name")))
        elif lots:
            result, message = self._local_verdict(lots, partner)
        else:
            result = "unknown"
            message = (_("No %(product)s unit carries serial %(serial)s: it is not genuine.",
                         product=product.display_name, serial=serial) if product
                       else _("No unit carries serial %s: it is not genuine.", serial))
            typo = self._check_character_hint(serial, product)
            if typo:
                message = typo
        if use_registry and result != "ambiguous":
            config = self.env["serial.authenticity.config"]._registry_configs(company).get(
                company.id)
            if config:
                result, message, registry_status, registry_note = self._ask_registry(
                    config, serial, result, message)
        return self.sudo().create({
            "serial": serial,
            "lot_id": lots.id if len(lots) == 1 else False,
            "product_id": (lots.product_id.id if len(lots) == 1 else product.id) or False,
            "company_id": company.id,
            "user_id": self.env.uid,
            "partner_id": partner.id if partner else False,
            "picking_id": picking.id if picking else False,
            "source": source,
            "result": result,
            "registry_status": registry_status,
            "message": "\n".join(filter(None, [message, registry_note])),
            "remote_addr": remote_addr,
        })

    @api.model
    def _check_character_hint(self, serial, product=None):
        """The message for an unknown serial shaped like a pattern's serials whose check
        character is wrong: most likely a mistyped or misread character, not a fake."""
        if product:
            patterns = product._get_serial_pattern()
        else:
            patterns = self.env["serial.pattern"].search(
                [("check_algorithm", "!=", "none"),
                 ("company_id", "in", [False, *self.env.companies.ids])])
        for pattern in patterns.filtered(lambda p: p.check_algorithm != "none"):
            if pattern._parsed().matches(serial) and not has_valid_check_character(
                    serial, pattern.check_algorithm):
                return _(
                    "Serial %(serial)s has the shape of pattern %(pattern)s but its check "
                    "character is wrong: a character was probably mistyped or misread. Read "
                    "the label again (or scan it) before concluding it is not genuine.",
                    serial=serial, pattern=pattern.name)
        return ""

    @api.model
    def _ask_registry(self, config, serial, result, message):
        """Combine the local verdict with the central registry's."""
        try:
            with config._registry_client() as client:
                answer = client.verify_serial(serial)
        except (RegistryError, ValueError) as error:
            return result, message, "unavailable", _(
                "The central registry could not be asked: %s", error)
        status = answer["status"]
        note = _("Central registry: %s.", self._registry_label(status))
        if status == "stolen" and result != "stolen":
            return "stolen", _("Serial %s is reported stolen in the central registry: do not "
                               "accept or sell this unit.", serial), status, note
        if status == "recalled" and result == "genuine":
            return "recalled", _("Serial %(serial)s is recalled in the central registry: "
                                 "%(reason)s", serial=serial,
                                 reason=answer.get("recall_reason") or "?"), status, note
        if status == "genuine" and result == "unknown":
            return "genuine", _("Serial %(serial)s is unknown here but genuine for the "
                                "central registry (product %(reference)s).", serial=serial,
                                reference=answer.get("product_reference") or "?"), status, note
        return result, message, status, note

    @api.model
    def _log_registry_answer(self, lot, answer, source, picking=None):
        """Log what the registry said of an incoming unit (queued verification)."""
        status = answer["status"]
        result = {"genuine": "genuine", "unknown": "unknown", "recalled": "recalled",
                  "stolen": "stolen"}[status]
        message = _("Central registry: serial %(serial)s is %(status)s.", serial=lot.name,
                    status=self._registry_label(status).lower())
        verification = self.sudo().create({
            "serial": lot.name, "lot_id": lot.id, "product_id": lot.product_id.id,
            "company_id": lot.company_id.id or self.env.company.id,
            "picking_id": picking.id if picking else False,
            "partner_id": picking.partner_id.id if picking else False,
            "source": source, "result": result, "registry_status": status,
            "message": message,
        })
        if status in ("unknown", "stolen"):
            lot._message_log_batch({lot.id: message})
            if picking:
                picking._message_log_batch({picking.id: message})
        return verification

    @api.model
    def _verify_incoming_now(self, lots, config, source, picking):
        """Strict mode: have the registry confirm incoming units, or refuse the transfer."""
        try:
            with config._registry_client() as client:
                answers = [(lot, client.verify_serial(lot.name)) for lot in lots]
        except (RegistryError, ValueError) as error:
            raise UserError(_(
                "Strict mode: %(transfer)s can only be validated once the central registry "
                "has confirmed serials %(serials)s, and the registry could not be asked: "
                "%(error)s", transfer=picking.name,
                serials=", ".join(lots[:10].mapped("name")), error=error)) from error
        disowned = []
        for lot, answer in answers:
            self._log_registry_answer(lot, answer, source, picking)
            if answer["status"] in ("unknown", "stolen"):
                disowned.append(
                    f" - {lot.name}: {self._registry_label(answer['status']).lower()}")
        if disowned:
            raise UserError(_(
                "Strict mode: the central registry does not confirm these serials of "
                "%(transfer)s:\n%(lines)s", transfer=picking.name, lines="\n".join(disowned)))

    @api.model
    def _public_verdict(self, code, remote_addr=None):
        """What the public page may say of ``code``: genuine or unknown, and the product.

        Only serials of companies that opted in are looked up. The log keeps the full
        verdict (a recalled or stolen unit checked by the public is worth knowing); the
        visitor learns nothing of customers, prices or places.
        """
        companies = self.env["serial.authenticity.config"].sudo().search(
            [("public_check_enabled", "=", True)]).company_id
        if not companies:
            return {"verdict": "disabled"}
        Verification = self.sudo().with_context(active_test=False)
        serial, lots, _product = Verification._find_units(code)
        public_company = self.env.user.company_id
        page_company = public_company if public_company in companies else companies[0]
        # A serial of no company (of a product shared by all companies) is the page's.
        lots = lots.filtered(lambda lot: (lot.company_id or page_company) in companies)
        if lots:
            company = lots[0].company_id or page_company
            result, message = (self._local_verdict(lots) if len(lots) == 1
                               else ("ambiguous", ""))
        else:
            company = page_company
            result, message = "unknown", _("No unit carries serial %s.", serial)
        Verification.create({
            "serial": serial, "lot_id": lots.id if len(lots) == 1 else False,
            "product_id": lots.product_id.id if len(lots.product_id) == 1 else False,
            "company_id": company.id, "user_id": self.env.uid, "source": "public",
            "result": result, "message": message, "remote_addr": remote_addr,
        })
        names = lots.product_id.with_context(display_default_code=False).mapped(
            "display_name")
        return {"verdict": "genuine" if lots else "unknown",
                "product_name": ", ".join(sorted(set(names))),
                "company": company}

    @api.model
    def _public_company(self):
        """The company the public page speaks for before any serial is typed: the first
        that opted in to the public check."""
        return self.env["serial.authenticity.config"].sudo().search(
            [("public_check_enabled", "=", True)], limit=1).company_id

    # ------------------------------------------------------------------
    # Verification screen (client action serial_inventory.verify_serial)
    # ------------------------------------------------------------------
    @api.model
    def action_verify_code(self, code, partner_id=False, product_id=False):
        """Verify ``code`` for the verification screen; return what it shows."""
        partner = self.env["res.partner"].browse(partner_id) if partner_id else None
        product = self.env["product.product"].browse(product_id) if product_id else None
        return self._verify(code, product=product, partner=partner)._screen_values()

    @api.model
    def action_recent(self, limit=10):
        """The current user's last verifications, for the screen's history."""
        return [verification._screen_values(details=False) for verification in self.search(
            [("user_id", "=", self.env.uid), ("source", "=", "manual")], limit=limit)]

    def _screen_values(self, details=True):
        self.ensure_one()
        lot = self.lot_id
        values = {
            "id": self.id,
            "serial": self.serial,
            "result": self.result,
            "result_label": dict(self._fields["result"]._description_selection(self.env))[
                self.result],
            "message": self.message,
            "product": self.product_id.display_name or "",
            # Dates are sent as stored: the screen formats them in the user's language.
            "date": fields.Datetime.to_string(self.create_date),
        }
        if not details:
            return values
        values.update({
            "lot_id": lot.id,
            "registry_status": self.registry_status,
            "registry_label": dict(self._fields["registry_status"]._description_selection(
                self.env))[self.registry_status],
            "manufacture_date": fields.Date.to_string(
                lot.manufacture_date or lot.serial_batch_id.manufacture_date) or "",
            "expiration_date": fields.Datetime.to_string(lot.expiration_date) or "",
            "batch": lot.serial_batch_id.display_name or "",
            "properties": self._property_values(lot),
            "status": dict(lot._fields["serial_state"]._description_selection(self.env)).get(
                lot.serial_state, "") if lot else "",
            "customer": lot.serial_customer_id.display_name or "",
            "recall": lot.serial_recall_id.name or "",
        })
        return values

    @api.model
    def _property_values(self, lot):
        """[{label, value}] of the unit's properties (colour, configuration...)."""
        if not lot:
            return []
        values = []
        for prop in lot.read(["lot_properties"])[0]["lot_properties"] or []:
            value = prop.get("value")
            if prop.get("type") == "selection":
                value = dict(prop.get("selection") or []).get(value, value)
            elif prop.get("type") == "many2one" and isinstance(value, list | tuple):
                value = value[1]
            elif prop.get("type") == "boolean":
                value = _("Yes") if value else _("No")
            if value in (None, False, ""):
                continue
            values.append({"label": prop.get("string") or prop.get("name"),
                           "value": str(value)})
        return values
