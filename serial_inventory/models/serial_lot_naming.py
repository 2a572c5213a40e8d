import logging
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from ..lib import serial_name
from ..lib.serial_pattern import SerialPatternError

_logger = logging.getLogger(__name__)

DEFAULT_MAX_LENGTH = 64
# Lots of lot-tracked products keep Odoo's names, but the B-tree indexes on the name and on
# serial_unique_key refuse entries past about 2,700 bytes (4 bytes per character at worst).
LOT_NAME_MAX_LENGTH = 500


class SerialLotNaming(models.AbstractModel):
    """The names of serials (lots of serial-tracked products), by the rule of
    ``lib.serial_name``: cleaned when created or renamed, compared by their key for
    uniqueness, found by their key when scanned or typed, and the names stored before the
    rule that it makes equal reported, never merged.

    Lots of lot-tracked products keep Odoo's names as they are.
    """

    _name = "serial.lot.naming"
    _description = "Serial number names"

    # ------------------------------------------------------------------
    # Messages
    # ------------------------------------------------------------------
    @api.model
    def _message(self, error):
        """The translated message of a ``serial_name.SerialNameError``."""
        return _(error.template, **error.params)  # pylint: disable=translation-not-lazy

    @api.model
    def _clean(self, name, max_length):
        try:
            return serial_name.clean(name, max_length)
        except serial_name.SerialNameError as error:
            raise ValidationError(self._message(error)) from error

    @api.model
    def _check_lot_name_length(self, name):
        if isinstance(name, str) and len(name) > LOT_NAME_MAX_LENGTH:
            raise ValidationError(_(
                "Lot number %(name)s has %(length)s characters; lot numbers have at most "
                "%(max_length)s.", name=serial_name.shorten(name), length=len(name),
                max_length=LOT_NAME_MAX_LENGTH))

    @api.model
    def _max_length(self, company):
        return company.serial_max_length or DEFAULT_MAX_LENGTH

    # ------------------------------------------------------------------
    # Creation and renaming
    # ------------------------------------------------------------------
    @api.model
    def _prepare_create(self, vals_list):
        """``vals_list`` with the names of serials cleaned, the New serial form's proposal
        numbered for good when it was kept, and a pattern's name for serials created
        without one. Values of other lots are left as they are."""
        context_product_id = self.env.context.get("default_product_id")
        products = self.env["product.product"].browse(
            {vals.get("product_id") or context_product_id for vals in vals_list} - {None, False})
        serial_ids = set(products.filtered(lambda product: product.tracking == "serial").ids)
        max_lengths = {}
        prepared = []
        for vals in vals_list:
            product_id = vals.get("product_id") or context_product_id
            if "serial_name_preview" not in vals and product_id not in serial_ids:
                self._check_lot_name_length(vals.get("name"))
                prepared.append(vals)
                continue
            vals = dict(vals)
            preview = vals.pop("serial_name_preview", False)
            if product_id not in serial_ids:
                self._check_lot_name_length(vals.get("name"))
            else:
                product = self.env["product.product"].browse(product_id)
                name = vals.get("name")
                if "name" not in vals or (preview and name == preview):
                    # The proposal shown is only a preview: the counter moves now.
                    pattern = product._get_serial_pattern()
                    if pattern:
                        name = vals["name"] = pattern._generate(1, product)[0]
                if isinstance(name, str):
                    company_id = (vals.get("company_id") or product.company_id.id
                                  or self.env.company.id)
                    if company_id not in max_lengths:
                        max_lengths[company_id] = self._max_length(
                            self.env["res.company"].browse(company_id))
                    vals["name"] = self._clean(name, max_lengths[company_id])
            prepared.append(vals)
        return prepared

    @api.model
    def _split_write(self, lots, vals):
        """[(lots, values)]: the write of ``vals`` on ``lots``, the name cleaned for the
        serials among them."""
        name = vals.get("name")
        if not isinstance(name, str):
            return [(lots, vals)]
        if "product_id" in vals:
            tracking = self.env["product.product"].browse(vals["product_id"]).tracking
            serials = lots if tracking == "serial" else lots.browse()
        else:
            serials = lots.filtered(lambda lot: lot.product_id.tracking == "serial")
        if lots - serials:
            self._check_lot_name_length(name)
        if not serials:
            return [(lots, vals)]
        companies = serials.company_id or self.env.company
        max_length = min(self._max_length(company) for company in companies)
        groups = [(serials, {**vals, "name": self._clean(name, max_length)})]
        if lots - serials:
            groups.append((lots - serials, vals))
        return groups

    # ------------------------------------------------------------------
    # The New serial form's proposal
    # ------------------------------------------------------------------
    @api.model
    def _preview_name(self, product):
        """The serial the product's pattern will give next, without taking its number
        (False when the product has no pattern or the pattern cannot render it)."""
        pattern = product._get_serial_pattern()
        if not pattern:
            return False
        # The counter is PostgreSQL's: read it again, nextval() may have moved it.
        pattern.sequence_id.invalidate_recordset(["number_next_actual"])
        pattern.invalidate_recordset(["next_counter"])
        try:
            return pattern._parsed().render(
                pattern.next_counter, on=fields.Date.context_today(self),
                reference=product.default_code or "")
        except (SerialPatternError, ValidationError):
            return False

    # ------------------------------------------------------------------
    # Uniqueness
    # ------------------------------------------------------------------
    @api.model
    def _check_unique(self, lots):
        """Refuse serials of ``lots`` whose key another serial of their uniqueness scope
        holds, naming that serial and its product (the unique constraint on
        ``serial_unique_key`` is the guarantee within each key's scope; this gives the
        message). Read by SQL: it runs on every creation, 1,000 lots at a time when many
        serials are created.

        A serial of no company (of a product shared by all companies, as Odoo leaves the
        lots of such products) is in every company: it clashes, by key, with the serials of
        its product in any company (Odoo's rule for lots of no company, which Odoo checks
        by exact name), and with the serials of every product of a company whose scope is
        "across all products" (that company's look-ups find it beside its own serials).
        Serials of two different companies never clash."""
        serials = lots.filtered("serial_name_key")
        if not serials:
            return
        Lot = self.env["stock.lot"]
        Lot.flush_model(["serial_name_key", "company_id", "product_id"])
        self.env["res.company"].flush_model(["serial_unique_scope"])
        self.env.cr.execute(
            "SELECT lot.id, lot.company_id, lot.product_id, lot.serial_name_key, "
            "       COALESCE(company.serial_unique_scope = 'company', FALSE) "
            "  FROM stock_lot lot LEFT JOIN res_company company ON company.id = lot.company_id "
            " WHERE lot.serial_name_key = ANY(%s) AND lot.id != ALL(%s)",
            [list(set(serials.mapped("serial_name_key"))), serials.ids])
        by_key = defaultdict(list)
        for lot_id, company_id, product_id, key, company_wide in self.env.cr.fetchall():
            by_key[key].append((lot_id, company_id, product_id, company_wide))
        for lot in serials:
            by_key[lot.serial_name_key].append((
                lot.id, lot.company_id.id, lot.product_id.id,
                lot.company_id.serial_unique_scope == "company"))
        any_company_wide = bool(self.env["res.company"].sudo().search_count(
            [("serial_unique_scope", "=", "company")], limit=1))
        lines = set()
        company_wide = False
        for lot in serials:
            clash = self._first_clash(lot, by_key[lot.serial_name_key], any_company_wide)
            if clash:
                other_id, by_company_scope = clash
                company_wide |= by_company_scope
                lines.add(self._clash_line(lot, Lot.sudo().browse(other_id)))
        if not lines:
            return
        if company_wide:
            intro = _("Serial numbers must be unique across all products of the company")
        else:
            intro = _("A product cannot have the same serial number twice")
        raise ValidationError(_(
            "%(intro)s (serials are compared without case, spaces and the separators "
            "- / . _):\n%(lines)s", intro=intro, lines="\n".join(sorted(lines))))

    @api.model
    def _first_clash(self, lot, same_key, any_company_wide):
        """(id, by company scope) of the first serial of ``same_key`` (tuples id, company
        id, product id, company-wide scope) in ``lot``'s uniqueness scope, or None.

        Two serials are in one scope when a company holds both: the same company, or one
        of no company (in every company). They clash for one product, or for two products
        when a company holding both has the scope "across all products": for two serials
        of no company, any company (``any_company_wide``)."""
        company_id = lot.company_id.id
        company_wide = lot.company_id.serial_unique_scope == "company"
        for other_id, other_company_id, other_product_id, other_wide in sorted(
                same_key, key=lambda row: row[0]):
            if other_id == lot.id:
                continue
            if company_id and other_company_id and company_id != other_company_id:
                continue
            if other_product_id == lot.product_id.id:
                return other_id, False
            if company_wide or other_wide or (
                    not company_id and not other_company_id and any_company_wide):
                return other_id, True
        return None

    @api.model
    def _clash_line(self, lot, other):
        """The message line for ``lot`` clashing with ``other``; another company's product
        is not named."""
        if other.company_id and other.company_id not in self.env.companies:
            product = _("a product of another company")
        else:
            product = other.product_id.display_name
        if other.name == lot.name:
            return _(" - %(serial)s is already used by %(product)s",
                     serial=lot.name, product=product)
        return _(" - %(serial)s is the serial %(existing)s of %(product)s",
                 serial=lot.name, existing=other.name, product=product)

    @api.model
    def _same_serial_as(self, lot):
        """The other serials of ``lot``'s uniqueness scope with its key (serials stored
        before the rule and flagged as conflicting)."""
        if not (lot.serial_name_conflict and lot.serial_name_key):
            return self.env["stock.lot"]
        domain = [("serial_name_key", "=", lot.serial_name_key),
                  ("company_id", "=", lot.company_id.id), ("id", "!=", lot.id)]
        if lot.company_id.serial_unique_scope != "company":
            domain.append(("product_id", "=", lot.product_id.id))
        return self.env["stock.lot"].search(domain)

    @api.model
    def _check_repeated(self, names):
        """Refuse ``names`` (already clean) of which two are the same serial."""
        by_key = defaultdict(list)
        for name in names:
            by_key[serial_name.key(name)].append(name)
        if len(by_key) == len(names):
            return
        repeated = sorted(" = ".join(dict.fromkeys(group))
                          for group in by_key.values() if len(group) > 1)
        raise ValidationError(_("These serials appear more than once: %s",
                                ", ".join(repeated[:10])))

    # ------------------------------------------------------------------
    # Look-ups
    # ------------------------------------------------------------------
    @api.model
    def _find(self, code, products=None, company=None):
        """The lots ``code`` names: serials whose key is the code's, lots of other products
        whose name is the code. A code that can be no serial finds nothing; one with a
        control character inside (NUL, tab...) is refused."""
        Lot = self.env["stock.lot"]
        if not isinstance(code, str) or not code:
            return Lot
        try:
            serial_name.clean(code)
        except serial_name.ControlCharacterError as error:
            raise UserError(self._message(error)) from error
        except serial_name.SerialNameError as error:
            # No serial typed today has this name; one stored before the rule may.
            _logger.debug("Looking up %r, not a valid serial name: %s", code, error)
        key = serial_name.loose_key(code)
        names = [name for name in {code, code.strip()} if name and "\x00" not in name]
        domains = []
        if key:
            domains.append([("serial_name_key", "=", key)])
        if names:
            domains.append([("serial_name_key", "=", False), ("name", "in", names)])
        if not domains:
            return Lot
        domain = expression.OR(domains)
        if products is not None:
            domain = expression.AND([domain, [("product_id", "in", products.ids)]])
        if company:
            domain = expression.AND([domain, [("company_id", "in", [company.id, False])]])
        return Lot.search(domain)

    @api.model
    def _match_typed_lot_names(self, move_lines):
        """Give the lines whose typed serial (``lot_name``) is an existing serial of their
        product that serial's stored name, so that Odoo's validation, which looks lots up
        by exact name, finds that unit for `` AB1`` or ``ab1`` as it does for ``AB1``."""
        lines = move_lines.filtered(
            lambda line: line.lot_name and not line.lot_id and line.product_id.tracking == "serial")
        if not lines:
            return
        keys = {}
        for line in lines:
            try:
                keys[line] = serial_name.key(line.lot_name)
            except serial_name.SerialNameError:
                continue  # refused, naming the serial, when Odoo creates its lot
        existing = self.env["stock.lot"].search([
            ("serial_name_key", "in", list(set(keys.values()))),
            ("product_id", "in", lines.product_id.ids),
        ])
        by_key = {(lot.product_id, lot.company_id, lot.serial_name_key): lot for lot in existing}
        for line, key in keys.items():
            lot = (by_key.get((line.product_id, line.company_id, key))
                   or by_key.get((line.product_id, self.env["res.company"], key)))
            if lot and lot.name != line.lot_name:
                line.lot_name = lot.name

    # ------------------------------------------------------------------
    # Names stored before the rule
    # ------------------------------------------------------------------
    @api.model
    def _name_conflicts(self, keys=None):
        """Groups of serial ids that the rule makes one serial within their uniqueness
        scope, from the stored names (``keys``: only those keys). Read by SQL: the stored
        keys may predate the rule."""
        Lot = self.env["stock.lot"]
        Lot.flush_model(["name", "company_id", "product_id", "serial_name_key"])
        self.env["res.company"].flush_model(["serial_unique_scope"])
        self.env["product.template"].flush_model(["tracking"])
        query = """
            SELECT lot.id, lot.name, COALESCE(lot.company_id, 0), lot.product_id,
                   COALESCE(company.serial_unique_scope = 'company', FALSE)
              FROM stock_lot lot
              JOIN product_product product ON product.id = lot.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
         LEFT JOIN res_company company ON company.id = lot.company_id
             WHERE template.tracking = 'serial'
        """
        params = []
        if keys is not None:
            query += " AND lot.serial_name_key = ANY(%s)"
            params.append(list(keys))
        self.env.cr.execute(query, params)
        groups = defaultdict(list)
        for lot_id, name, company_id, product_id, company_scope in self.env.cr.fetchall():
            groups[(company_id, 0 if company_scope else product_id,
                    serial_name.loose_key(name))].append(lot_id)
        return [sorted(ids) for ids in groups.values() if len(ids) > 1]

    @api.model
    def _flag_name_conflicts(self, keys=None):
        """Flag the serials the rule makes equal (``serial_name_conflict``: they keep their
        names and lose their unique key until renamed), clear the flag of the others, and
        warn in the server log. Returns the conflicting groups of lots."""
        Lot = self.env["stock.lot"].sudo()
        conflicts = self._name_conflicts(keys)
        conflicting = Lot.browse(sorted({lot_id for ids in conflicts for lot_id in ids}))
        domain = [("serial_name_conflict", "=", True)]
        if keys is not None:
            domain.append(("serial_name_key", "in", list(keys)))
        solved = Lot.search(domain) - conflicting
        solved.write({"serial_name_conflict": False})
        conflicting.filtered(lambda lot: not lot.serial_name_conflict).write(
            {"serial_name_conflict": True})
        groups = [Lot.browse(ids) for ids in conflicts]
        if groups:
            _logger.warning(
                "%s groups of serials are the same serial under the naming rule (case, "
                "spaces and - / . _ aside); they were not merged nor renamed, and are "
                "flagged 'Name conflicts' until renamed:\n%s", len(groups),
                "\n".join(" - " + ", ".join(f"{lot.name!r} (id {lot.id}, "
                                            f"{lot.product_id.display_name})" for lot in group)
                          for group in groups[:200]))
        return groups

    @api.model
    def _migrate_names(self):
        """Upgrade to the naming rule: new keys for every serial, the names that now mean
        the same serial flagged and reported (see ``_flag_name_conflicts``), names the rule
        would refuse today reported. Nothing is renamed or merged."""
        Lot = self.env["stock.lot"].sudo()
        groups = self._flag_name_conflicts()
        serials = Lot.search([("product_id.tracking", "=", "serial")])
        for field_name in ("serial_name_key", "serial_unique_key"):
            self.env.add_to_compute(Lot._fields[field_name], serials)
        Lot.flush_model()
        refused = []
        for lot in serials:
            try:
                serial_name.clean(lot.name)
            except serial_name.SerialNameError as error:
                refused.append(f" - {lot.name!r} (id {lot.id}): {error}")
        if refused:
            _logger.warning(
                "%s serials have names the naming rule refuses for new serials; they are "
                "kept and can still be found:\n%s", len(refused), "\n".join(refused[:200]))
        return groups
