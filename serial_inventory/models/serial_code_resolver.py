from odoo import _, api, models
from odoo.exceptions import UserError

from ..lib import gs1


class SerialCodeResolver(models.AbstractModel):
    """What a scanned or typed code names: a serial, a lot, a product, a GS1 element string.

    One place for every screen that reads codes (dispatch, scan wizards, verification), so a
    code means the same thing wherever it is scanned.
    """

    _name = "serial.code.resolver"
    _description = "Scanned code resolution"

    @api.model
    def _resolve(self, code, picking=None):
        """Resolve ``code`` to product, lot, batch and expiry.

        ``picking``: the transfer the code is scanned for, when there is one.
        A GS1 element string (parenthesised or FNC1 form) is decomposed with Odoo's GS1
        nomenclature; any other code is looked up as a serial, then as a product barcode.
        Raises UserError with a message naming the code when it resolves to nothing.
        """
        code = (code or "").strip()
        if not code:
            raise UserError(_("The scanned code is empty."))
        Lot = self.env["stock.lot"]
        result = {"code": code, "product": self.env["product.product"],
                  "lot": Lot, "lot_name": False,
                  "batch_name": False, "expiration_date": False}
        if gs1.looks_like_element_string(code):
            return self._resolve_gs1(code, result)
        lots = Lot.search([("name", "=", code)], limit=2)
        if len(lots) == 1:
            result.update(lot=lots, product=lots.product_id, lot_name=lots.name)
            return result
        if len(lots) > 1:
            raise UserError(
                _("Serial %(code)s is used by several products (%(products)s); scan the "
                  "product barcode or a GS1 code instead.",
                  code=code, products=", ".join(lots.product_id.mapped("display_name")))
            )
        product = self.env["product.product"].search([("barcode", "=", code)], limit=1)
        if product:
            result["product"] = product
            return result
        raise UserError(_("Unknown code %s: it is neither a serial nor a product barcode.",
                          code))

    @api.model
    def _resolve_gs1(self, code, result):
        try:
            fnc1 = gs1.to_fnc1(code)
            gs1.parse(fnc1)  # strict validation: check digits, dates, lengths
        except gs1.Gs1Error as error:
            raise UserError(_("Malformed GS1 code %(code)s: %(error)s", code=code,
                              error=error)) from error
        nomenclature = self.env.ref("barcodes_gs1_nomenclature.default_gs1_nomenclature")
        elements = nomenclature.gs1_decompose_extanded(fnc1)
        if not elements:
            raise UserError(_("Malformed GS1 code %s.", code))
        by_type = {}
        for element in elements:
            by_type.setdefault(element["rule"].type, element)
            if element["ai"] == "21":
                by_type["serial"] = element
            elif element["ai"] == "10":
                by_type["batch"] = element
        gtin = by_type.get("product", {}).get("string_value")
        if gtin:
            candidates = [gtin] + [gtin[n:] for n in (1, 2, 6) if gtin[:n] == "0" * n]
            result["product"] = self.env["product.product"].search(
                [("barcode", "in", candidates)], limit=1)
            if not result["product"]:
                raise UserError(_("No product has the GTIN %(gtin)s of code %(code)s.",
                                  gtin=gtin, code=code))
        if "expiration_date" in by_type:
            result["expiration_date"] = by_type["expiration_date"]["value"]
        if "batch" in by_type:
            result["batch_name"] = by_type["batch"]["string_value"]
        serial = by_type.get("serial", {}).get("string_value")
        if serial:
            result["lot_name"] = serial
            domain = [("name", "=", serial)]
            if result["product"]:
                domain.append(("product_id", "=", result["product"].id))
            lots = self.env["stock.lot"].search(domain, limit=1)
            result["lot"] = lots
            if lots and not result["product"]:
                result["product"] = lots.product_id
        return result

