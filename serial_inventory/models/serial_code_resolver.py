from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..lib import gs1, scanned_code


class SerialCodeResolver(models.AbstractModel):
    """What a scanned or typed code names: a serial, a lot, a product, a GS1 element string.

    One place for every screen that reads codes (dispatch, scan wizards, verification), so a
    code means the same thing wherever it is scanned. Nothing is ever written here.
    """

    _name = "serial.code.resolver"
    _description = "Scanned code resolution"

    @api.model
    def _resolve(self, code, picking=None):
        """Resolve ``code`` to one product, lot, batch and expiry, or raise UserError.

        ``picking``: the transfer the code is scanned for, when there is one. Order:

        - a code its symbology identifier (``]C1``, ``]d2``, ``]Q3``, ``]e0``) or a group
          separator (FNC1) announces as a GS1 element string is read as one, strictly;
        - otherwise a serial or lot of that name wins, then a product barcode (a GTIN in
          any of its lengths), then the code read as a GS1 element string when it is in
          parentheses or its GTIN (01) names a product.

        A serial several units carry is narrowed to the picking's company (the current
        company without picking), then to the picking's products; if still several, the
        code is refused naming them. A known unit is checked against the scan: a batch (10)
        or expiry (17) other than the unit's is refused. An expired unit is refused on a
        transfer to a customer and flagged elsewhere (``expired`` and ``warnings``): it may
        still be returned, moved to quarantine or scrapped.

        Returns a dict: ``code``, ``product``, ``lot``, ``lot_name``, ``batch_name``,
        ``expiration_date`` (the scanned one), ``gs1`` (read as an element string),
        ``symbology``, ``expired`` and ``warnings``.
        """
        result = self._read(code, picking=picking)
        lots = result.pop("candidates")
        note = result.pop("note")
        if result["gtin"] and not result["product"]:
            raise UserError(_("No product has the GTIN %(gtin)s of code %(code)s.",
                              gtin=result["gtin"], code=self._shown(result["code"])))
        if lots:
            lot = self._choose_lot(lots, picking, result)
            result.update(lot=lot, product=lot.product_id, lot_name=lot.name)
            self._check_unit(result, picking)
        elif result["product"]:
            self._check_expiry(result, picking, result["expiration_date"])
        elif not result["gs1"]:
            if note:
                raise UserError(_("Unknown code %(code)s: it is neither a serial nor a product "
                                  "barcode. %(reason)s",
                                  code=self._shown(result["code"]), reason=note))
            raise UserError(_("Unknown code %s: it is neither a serial nor a product barcode.",
                              self._shown(result["code"])))
        return result

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    @api.model
    def _read(self, code, picking=None, product=None):
        """What ``code`` names, without choosing among several units nor checking them.

        The dict of :meth:`_resolve` with ``candidates`` (every lot the code may name,
        ``product``'s only when given), ``gtin`` (the scanned GTIN) and ``note`` (why the
        code is no GS1 element string, when it looked like one). Raises UserError for input
        that is no code (not text, control characters, too long) and for a malformed
        element string its scanner announced.
        """
        text = self._clean_code(code)
        identifier, data = gs1.split_symbology_identifier(text)
        Lot = self.env["stock.lot"]
        result = {"code": text, "product": product or self.env["product.product"],
                  "lot": Lot, "lot_name": False, "batch_name": False,
                  "expiration_date": False, "gs1": False, "symbology": identifier,
                  "expired": False, "warnings": [], "candidates": Lot, "gtin": False,
                  "note": False}
        if not data:
            raise UserError(_("The scanned code %s holds nothing after its symbology "
                              "identifier.", text))
        if gs1.announces_element_string(identifier) or gs1.GS in data:
            return self._read_gs1(self._parse_gs1(data, text), result, picking)
        result["candidates"] = self._find_lots(data, product)
        if result["candidates"]:
            return result
        if not product:
            result["product"] = self._find_product(gs1.gtin_forms(data), picking, text)
            if result["product"]:
                return result
        try:
            pairs = gs1.parse(data)
        except gs1.Gs1Error as error:
            if gs1.looks_like_element_string(data):
                raise UserError(self._malformed(text, error)) from error
            if data.startswith("01") and gs1.gtin14(data[2:16]):
                result["note"] = _("Read as a GS1 code, it is malformed: %s",
                                   self._message(error))
            return result
        gtin = dict(pairs).get("01")
        if gs1.looks_like_element_string(data) or (
                gtin and self._find_product(gs1.gtin_forms(gtin), picking, text)):
            return self._read_gs1(pairs, result, picking)
        if gtin:
            result["note"] = _("Read as a GS1 code, its GTIN %s names no product.", gtin)
        return result

    @api.model
    def _parse_gs1(self, data, code):
        try:
            return gs1.parse(data)
        except gs1.Gs1Error as error:
            raise UserError(self._malformed(code, error)) from error

    @api.model
    def _malformed(self, code, error):
        return _("Malformed GS1 code %(code)s: %(error)s", code=self._shown(code),
                 error=self._message(error))

    @api.model
    def _message(self, error):
        """The translated message of an error of the plain-Python parts (lib)."""
        return _(error.template, **error.params)  # pylint: disable=translation-not-lazy

    @api.model
    def _read_gs1(self, pairs, result, picking):
        """Fill ``result`` from the element string's (AI, value) ``pairs``.

        AI (21) is the serial. AI (10) is the lot of a lot-tracked product, else the
        unit's batch (serial.batch); alone, with no GTIN, it names a lot if some
        lot-tracked product has one of that name.
        """
        elements = dict(pairs)
        result["gs1"] = True
        gtin = elements.get("01") or elements.get("02")
        product = result["product"]
        if gtin and not product:
            result["gtin"] = gtin
            product = self._find_product(gs1.gtin_forms(gtin), picking, result["code"])
            result["product"] = product
        # A GTIN naming no product here: the serial is said, but no other product's unit of
        # that serial is taken for it.
        searchable = product or not gtin
        if "17" in elements:
            result["expiration_date"] = gs1.expiry_date(elements["17"])
        serial, batch = elements.get("21"), elements.get("10")
        if batch and product.tracking == "lot":
            result["lot_name"] = batch
        else:
            result["lot_name"] = serial or False
            result["batch_name"] = batch or False
        if result["lot_name"] and searchable:
            result["candidates"] = self._find_lots(result["lot_name"], product or None)
        elif batch and not product and not gtin:
            lots = self._find_lots(batch).filtered(
                lambda lot: lot.product_id.tracking == "lot")
            if lots:
                result.update(candidates=lots, lot_name=batch, batch_name=False)
        return result

    # ------------------------------------------------------------------
    # Input
    # ------------------------------------------------------------------
    @api.model
    def _clean_code(self, code):
        """``code`` without the whitespace around it; UserError unless it can be a code."""
        try:
            return scanned_code.clean(code)
        except scanned_code.ScannedCodeError as error:
            raise UserError(self._message(error)) from error

    @api.model
    def _shown(self, code):
        return scanned_code.shown(code)

    # ------------------------------------------------------------------
    # Look-ups
    # ------------------------------------------------------------------
    @api.model
    def _find_lots(self, name, products=None):
        """The lots ``name`` names (``products``' only when given): serials by their key
        (case, spaces and separators aside, see lib/serial_name.py), lots by their name."""
        return self.env["stock.lot"]._serial_find(name, products=products or None)

    @api.model
    def _find_product(self, barcodes, picking, code):
        """The product whose barcode is one of ``barcodes``, preferring the picking's company
        then its products; refuses a barcode several products still share."""
        products = self.env["product.product"].search([("barcode", "in", barcodes)])
        products = self._prefer(products, picking, lambda product: product)
        if len(products) > 1:
            raise UserError(_("Barcode %(code)s is used by several products (%(products)s); "
                              "scan the serial instead.", code=self._shown(code),
                              products=self._names(products)))
        return products

    @api.model
    def _prefer(self, records, picking, product_of):
        """``records`` narrowed, when several, to those of the picking's company (the current
        company without picking; records of no company count as everyone's), then to the
        products the picking moves; each step only when it leaves some."""
        if len(records) <= 1:
            return records
        company = picking.company_id if picking else self.env.company
        records = records.filtered(
            lambda record: not record.company_id or record.company_id == company) or records
        if len(records) > 1 and picking:
            moved = picking.move_ids.product_id
            records = records.filtered(lambda record: product_of(record) in moved) or records
        return records

    @api.model
    def _names(self, records):
        """The products of ``records`` (products or lots) for a message, with their
        companies when those differ."""
        show_company = len(records.company_id) > 1
        names = []
        for record in records:
            product = record if record._name == "product.product" else record.product_id
            name = product.display_name
            if show_company and record.company_id:
                name = f"{name} ({record.company_id.name})"
            names.append(name)
        return ", ".join(dict.fromkeys(names))

    @api.model
    def _choose_lot(self, lots, picking, result):
        lots = self._prefer(lots, picking, lambda lot: lot.product_id)
        if len(lots) > 1:
            raise UserError(_("Serial %(code)s is used by several products (%(products)s); "
                              "scan the product barcode or a GS1 code instead.",
                              code=self._shown(result["lot_name"] or result["code"]),
                              products=self._names(lots)))
        return lots

    # ------------------------------------------------------------------
    # The unit against the scan
    # ------------------------------------------------------------------
    @api.model
    def _check_unit(self, result, picking):
        """Refuse a scan whose batch or expiry contradicts the unit's; refuse (on a transfer
        to a customer) or flag an expired unit."""
        lot = result["lot"]
        # Read as superuser: a serial of no company (of a shared product) may be in another
        # company's batch, which the user cannot read (Odoo's access error would name it).
        batch_record = lot.sudo().serial_batch_id if "serial_batch_id" in lot._fields else None
        if batch_record and batch_record.company_id not in self.env.companies:
            raise UserError(_(
                "Serial %s belongs to another company's batch: it cannot be scanned here.",
                lot.name))
        batch = batch_record.name if batch_record else False
        if result["batch_name"] and batch and result["batch_name"] != batch:
            raise UserError(_(
                "Code %(code)s gives batch %(scanned)s, but %(serial)s belongs to batch "
                "%(batch)s: the label does not match the unit.",
                code=self._shown(result["code"]), scanned=result["batch_name"],
                serial=lot.name, batch=batch))
        expiries = self._unit_expiries(lot)
        scanned = result["expiration_date"]
        if scanned and expiries and scanned not in expiries:
            raise UserError(_(
                "Code %(code)s gives the expiry date %(scanned)s, but %(serial)s expires on "
                "%(expiry)s: the label does not match the unit.",
                code=self._shown(result["code"]), scanned=format_date(self.env, scanned),
                serial=lot.name, expiry=format_date(self.env, expiries[0])))
        self._check_expiry(result, picking, expiries[0] if expiries else scanned)

    @api.model
    def _check_expiry(self, result, picking, expiry):
        """Refuse on a transfer to a customer, or flag, a unit that expired before today."""
        if not expiry or expiry >= fields.Date.context_today(self):
            return
        if result["lot"]:
            message = _("%(serial)s (%(product)s) expired on %(date)s.",
                        serial=result["lot"].name, product=result["product"].display_name,
                        date=format_date(self.env, expiry))
        else:
            message = _("%(product)s of code %(code)s expired on %(date)s.",
                        product=result["product"].display_name,
                        code=self._shown(result["code"]), date=format_date(self.env, expiry))
        if picking and picking.location_dest_id.usage == "customer":
            raise UserError(_("%(expired)s An expired unit cannot be delivered (%(picking)s).",
                              expired=message, picking=picking.name))
        result.update(expired=True, warnings=[*result["warnings"], message])

    @api.model
    def _unit_expiries(self, lot):
        """The dates a label may print for the unit's expiry, the user's date first (labels
        print the user's date; one printed where the UTC date differs matches too)."""
        if "expiration_date" not in lot._fields or not lot.expiration_date:
            return []
        local = fields.Datetime.context_timestamp(lot, lot.expiration_date).date()
        utc = lot.expiration_date.date()
        return [local] if local == utc else [local, utc]
