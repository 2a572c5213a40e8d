from odoo import _, api, models
from odoo.exceptions import UserError

# What a code can name, in the order they are tried when a screen accepts any of them.
# The records the scanner works with are looked up first, by exact name or barcode (cheap,
# indexed); the serial, lot and product resolution of serial_inventory comes last.
RECORD_KINDS = ("location", "package", "picking")
UNIT_KINDS = ("serial", "lot", "product")
ALL_KINDS = RECORD_KINDS + UNIT_KINDS


class SerialCodeResolver(models.AbstractModel):
    _inherit = "serial.code.resolver"

    @api.model
    def _resolve_any(self, code, expect=ALL_KINDS, picking=None):
        """What ``code`` names among the kinds of ``expect``.

        Returns the result of ``_resolve`` (product, lot, lot_name, batch_name,
        expiration_date) with ``kind`` ("serial", "lot", "product", "location", "package"
        or "picking") and the ``location``, ``package`` and ``picking`` records (empty unless
        that is what the code names). A location is named by its barcode, or by its full
        name typed by hand; a package and a transfer by their name. Raises UserError naming
        the code and what was expected when it names nothing expected.
        """
        code = (code or "").strip()
        if not code:
            raise UserError(_("The scanned code is empty."))
        result = {
            "code": code, "kind": False,
            "product": self.env["product.product"], "lot": self.env["stock.lot"],
            "lot_name": False, "batch_name": False, "expiration_date": False,
            "location": self.env["stock.location"],
            "package": self.env["stock.quant.package"],
            "picking": self.env["stock.picking"],
        }
        for kind in RECORD_KINDS:
            if kind in expect:
                record = getattr(self, f"_resolve_{kind}")(code)
                if record:
                    result.update({"kind": kind, kind: record})
                    return result
        if not set(expect) & set(UNIT_KINDS):
            # Only records are expected: say what the code is, when it is something else.
            try:
                result.update(self._resolve(code, picking=picking))
            except UserError:
                raise UserError(self._nothing_expected(code, expect)) from None
        else:
            try:
                result.update(self._resolve(code, picking=picking))
            except UserError:
                # Not a unit: say what the code is, when it names a record not expected here.
                for kind in RECORD_KINDS:
                    if kind not in expect and getattr(self, f"_resolve_{kind}")(code):
                        raise UserError(self._nothing_expected(code, expect, found=kind)) \
                            from None
                raise
        product, lot = result["product"], result["lot"]
        named_unit = bool(lot or result["lot_name"])
        if named_unit and product.tracking in ("serial", False):
            result["kind"] = "serial"
        elif named_unit and product.tracking == "lot":
            result["kind"] = "lot"
        else:
            result["kind"] = "product"
        if result["kind"] not in expect:
            raise UserError(self._nothing_expected(code, expect, found=result["kind"]))
        return result

    @api.model
    def _resolve_location(self, code):
        Location = self.env["stock.location"]
        location = Location.search([("barcode", "=", code)], limit=1)
        if not location and "/" in code:  # a full name typed by hand: "WH/Stock/Shelf 2"
            location = Location.search([("complete_name", "=", code)], limit=1)
        return location

    @api.model
    def _resolve_package(self, code):
        return self.env["stock.quant.package"].search([("name", "=", code)], limit=1)

    @api.model
    def _resolve_picking(self, code):
        return self.env["stock.picking"].search([("name", "=", code)], limit=1)

    @api.model
    def _kind_labels(self):
        return {
            "serial": _("a serial"), "lot": _("a lot"), "product": _("a product"),
            "location": _("a location"), "package": _("a package"), "picking": _("a transfer"),
        }

    @api.model
    def _nothing_expected(self, code, expect, found=None):
        labels = self._kind_labels()
        wanted = ", ".join(labels[kind] for kind in expect)
        if found:
            return _("Code %(code)s is %(found)s; %(wanted)s is expected here.",
                     code=code, found=labels[found], wanted=wanted)
        return _("Unknown code %(code)s: %(wanted)s is expected here.",
                 code=code, wanted=wanted)
