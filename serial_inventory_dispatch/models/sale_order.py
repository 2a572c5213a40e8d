from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.model
    def serial_order_create(self, partner_id, codes, warehouse_id=False):
        """Scan to order: a quotation for ``partner_id`` with one line per scanned product.

        The scanned serials are kept on their lines and reserved for the order's delivery
        when the quotation is confirmed. Returns ``{order_id, name}``.
        """
        check = self.env["serial.dispatch.input"]
        partner_id = check._record_id(partner_id, _("The customer"), required=False)
        warehouse_id = check._record_id(warehouse_id, _("The warehouse"), required=False)
        codes = check._codes(codes)
        partner = self.env["res.partner"].browse(partner_id).exists()
        if not partner:
            raise UserError(_("Choose the customer first."))
        warehouse = (self.env["stock.warehouse"].browse(warehouse_id).exists()
                     or self.env.user._get_default_warehouse_id())
        if not warehouse:
            raise UserError(_("No warehouse to take the scanned units from."))
        units = self.env["stock.picking"]._serial_scan_units(codes, warehouse.lot_stock_id)
        order = self.create({
            "partner_id": partner.id,
            "warehouse_id": warehouse.id,
            "order_line": [(0, 0, {
                "product_id": product.id,
                "product_uom_qty": sum(lots.values()),
                "serial_lot_ids": [(6, 0, [lot.id for lot in lots if lot])],
            }) for product, lots in units.items()],
        })
        return {"order_id": order.id, "name": order.name}

    def _action_confirm(self):
        res = super()._action_confirm()
        self.order_line._serial_reserve_scanned_lots()
        # The Inventory Scanner's Order scans held their serials for the quotation only.
        self.env["serial.scan"]._release(self)
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self.env["serial.scan"]._release(self)
        return res


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    serial_lot_ids = fields.Many2many(
        "stock.lot", string="Scanned Serials", copy=False,
        domain="[('product_id', '=', product_id)]",
        help="Serials scanned for this line: reserved for its delivery on confirmation.")

    def _serial_reserve_scanned_lots(self):
        """Reserve the scanned serials on the first stock moves of the order's delivery."""
        for line in self.filtered(
                lambda line: line.serial_lot_ids and line.product_id.tracking == "serial"):
            moves = line.move_ids.filtered(lambda move: move.state not in ("done", "cancel"))
            while moves.move_orig_ids:  # multi-step delivery: the pick takes from stock
                moves = moves.move_orig_ids.filtered(
                    lambda move: move.state not in ("done", "cancel"))
            move = moves[:1]
            if not move:
                continue
            # Reserved for another transfer since the scan: not taken from it.
            taken = {lot: move.picking_id._serial_reserved_elsewhere(lot)
                     for lot in line.serial_lot_ids}
            elsewhere = []
            for lot, lines in taken.items():
                if lines:  # (a loop, not a comprehension: _() reads the caller's frame)
                    elsewhere.append(_("%(serial)s (reserved for %(transfer)s)",
                                       serial=lot.name,
                                       transfer=move.picking_id._serial_transfer_names(lines)))
            if elsewhere:
                line.order_id.message_post(body=_(
                    "These scanned serials of %(product)s are reserved for other transfers "
                    "and were not reserved: %(serials)s",
                    product=line.product_id.display_name, serials=", ".join(elsewhere)))
            wanted = {lot.id: 1.0 for lot, lines in taken.items() if not lines}
            if not wanted:
                continue  # Odoo's own reservation stays
            _reserved, unavailable = move._serial_assign_lots(wanted, picked=False)
            if unavailable:
                line.order_id.message_post(body=_(
                    "These scanned serials of %(product)s are no longer in stock and were "
                    "not reserved: %(serials)s",
                    product=line.product_id.display_name, serials=", ".join(unavailable)))
