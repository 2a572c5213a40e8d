from odoo import _, api, fields, models

from .serial_code_resolver import ALL_KINDS

LAST_MOVES = 5


class SerialScanOperationLookup(models.AbstractModel):
    """Lookup: scan anything, see what it is. Reads only; every lookup is logged."""

    _name = "serial.scan.operation.lookup"
    _inherit = "serial.scan.operation"
    _description = "Lookup"
    _operation = "lookup"
    _sequence = 10
    _icon = "fa-search"

    @api.model
    def _scan_expect(self, record):
        return ALL_KINDS

    @api.model
    def _scan_evaluate(self, record, resolved):
        card = self._card(resolved)
        return {"message": card["title"], "product_id": resolved["product"].id,
                "lot_id": resolved["lot"].id, "location_id": card["location_id"]}

    @api.model
    def _scan_state(self, record):
        record = record or self._scan_session()
        last = self.env["serial.scan"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id),
             ("operation", "=", "lookup"), ("result", "=", "accepted")], limit=1)
        card = False
        if last:
            card = self._card(self.env["serial.code.resolver"]._resolve_any(last.code))
        return {"record_id": False, "prompt": _("Scan a serial, product, location, package "
                                                "or transfer."),
                "card": card, "recent": self._scan_recent(record)}

    # ------------------------------------------------------------------
    # The card
    # ------------------------------------------------------------------
    @api.model
    def _card(self, resolved):
        kind = resolved["kind"]
        card = getattr(self, f"_card_{kind}")(resolved)
        card.setdefault("location_id", False)
        card.update(kind=kind, code=resolved["code"],
                    kind_label=self.env["serial.code.resolver"]._kind_labels()[kind])
        return card

    @api.model
    def _card_serial(self, resolved):
        lot, product = resolved["lot"], resolved["product"]
        if not lot:
            return {"title": _("Serial %(serial)s of %(product)s is not known here.",
                               serial=resolved["lot_name"],
                               product=product.display_name or _("an unknown product")),
                    "flags": [], "rows": [], "moves": []}
        quants = lot.quant_ids.filtered(lambda quant: quant.quantity > 0
                                        and quant.location_id.usage == "internal")
        states = dict(lot._fields["serial_state"]._description_selection(self.env))
        flags = []
        if lot.serial_recall_id:
            flags.append(_("Under recall: %s", lot.serial_recall_id.display_name))
        if lot.serial_stolen:
            flags.append(_("Reported stolen: %s", lot.serial_stolen_note or _("no note")))
        rows = [
            (_("Product"), product.display_name),
            (_("Status"), states.get(lot.serial_state, lot.serial_state or "")),
            (_("Location"), ", ".join(quants.location_id.mapped("display_name")) or _("none")),
            (_("Batch"), lot.serial_batch_id.display_name or ""),
            (_("Expiry"), self._format_date(lot.expiration_date)),
            (_("Delivered to"), lot.serial_customer_id.display_name or ""),
        ]
        return {"title": _("Serial %(serial)s: %(product)s", serial=lot.name,
                           product=product.display_name),
                "flags": flags, "rows": self._rows(rows), "moves": self._last_moves(lot),
                "location_id": quants.location_id[:1].id}

    @api.model
    def _card_lot(self, resolved):
        card = self._card_serial(resolved)
        if resolved["lot"]:
            quantity = sum(resolved["lot"].quant_ids.filtered(
                lambda quant: quant.location_id.usage == "internal").mapped("quantity"))
            card["rows"].append({"label": _("On hand"), "value": f"{quantity:g}"})
        return card

    @api.model
    def _card_product(self, resolved):
        product = resolved["product"]
        return {"title": product.display_name, "flags": [], "moves": [], "rows": self._rows([
            (_("Barcode"), product.barcode or ""),
            (_("Tracking"), dict(product._fields["tracking"]._description_selection(
                self.env)).get(product.tracking, "")),
            (_("On hand"), f"{product.qty_available:g} {product.uom_id.name}"),
        ])}

    @api.model
    def _card_location(self, resolved):
        location = resolved["location"]
        groups = self.env["stock.quant"]._read_group(
            [("location_id", "child_of", location.id), ("quantity", ">", 0)],
            ["product_id"], ["quantity:sum"], limit=20)
        return {"title": location.display_name, "flags": [], "moves": [],
                "location_id": location.id,
                "rows": self._rows([(product.display_name, f"{quantity:g}")
                                    for product, quantity in groups])}

    @api.model
    def _card_package(self, resolved):
        package = resolved["package"]
        return {"title": _("Package %s", package.name), "flags": [], "moves": [],
                "location_id": package.location_id.id,
                "rows": self._rows([(_("Location"), package.location_id.display_name or "")] + [
                    (quant.product_id.display_name,
                     quant.lot_id.name or f"{quant.quantity:g}")
                    for quant in package.quant_ids[:20]])}

    @api.model
    def _card_picking(self, resolved):
        picking = resolved["picking"]
        states = dict(picking._fields["state"]._description_selection(self.env))
        return {"title": picking.name, "flags": [], "moves": [], "rows": self._rows([
            (_("Status"), states.get(picking.state, picking.state)),
            (_("Partner"), picking.partner_id.display_name or ""),
            (_("From"), picking.location_id.display_name),
            (_("To"), picking.location_dest_id.display_name),
            (_("Scheduled"), self._format_date(picking.scheduled_date)),
        ] + [(move.product_id.display_name, f"{move.product_uom_qty:g}")
             for move in picking.move_ids[:20]])}

    @api.model
    def _last_moves(self, lot):
        lines = self.env["stock.move.line"].search(
            [("lot_id", "=", lot.id), ("state", "=", "done")], order="date desc, id desc",
            limit=LAST_MOVES)
        return [{"date": self._format_date(line.date),
                 "reference": line.reference or line.move_id.name or "",
                 "from": line.location_id.display_name,
                 "to": line.location_dest_id.display_name} for line in lines]

    @api.model
    def _rows(self, pairs):
        """The card's rows, those with nothing to say left out (no expiry, never delivered)."""
        return [{"label": label, "value": value} for label, value in pairs if value]

    @api.model
    def _format_date(self, value):
        if not value:
            return ""
        return fields.Datetime.to_string(fields.Datetime.context_timestamp(self, value))[:16]
