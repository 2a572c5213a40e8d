from odoo import Command, api, models


class SerialScanDemo(models.AbstractModel):
    """Demo data of the Inventory Scanner: something to do on every screen."""

    _name = "serial.scan.demo"
    _description = "Inventory Scanner demo data"

    @api.model
    def _create_demo(self, shelf_id, customer_id, vendor_id):
        """On top of serial_inventory's demo (skipped without it):

        - Count and Transfer: two phones and two meters moved to the shelf ``shelf_id``
          (barcode on the location), by a done internal transfer;
        - Return: a done delivery of two meters to ``customer_id``;
        - Receive: a receipt of four meters from ``vendor_id`` whose serials were
          pre-generated, so their labels exist before the goods (scan them to receive);
        - Deliver and Lookup use serial_inventory's ready delivery and its serials.
        """
        phone = self.env.ref("serial_inventory.demo_product_phone", raise_if_not_found=False)
        meter = self.env.ref("serial_inventory.demo_product_meter", raise_if_not_found=False)
        if not phone or not meter:
            return
        shelf = self.env["stock.location"].browse(shelf_id)
        warehouse = self.env.ref("stock.warehouse0")
        stock = warehouse.lot_stock_id
        free = self._free_lots(stock)
        self._done_picking(warehouse.int_type_id, stock, shelf,
                           free[phone][:2] | free[meter][:2])
        customers = self.env.ref("stock.stock_location_customers")
        delivery = self._done_picking(warehouse.out_type_id, stock, customers,
                                      free[meter][2:4], partner_id=customer_id)
        delivery.origin = "Inventory Scanner demo"
        self._pregenerated_receipt(warehouse.in_type_id, meter, 4, vendor_id)

    @api.model
    def _free_lots(self, location):
        """{product: serials in stock at ``location`` reserved for nothing}, oldest first."""
        quants = self.env["stock.quant"].search(
            [("location_id", "=", location.id), ("lot_id", "!=", False),
             ("quantity", "=", 1), ("reserved_quantity", "=", 0)], order="id")
        free = {}
        for quant in quants:
            free.setdefault(quant.product_id, self.env["stock.lot"])
            free[quant.product_id] |= quant.lot_id
        return free

    @api.model
    def _done_picking(self, picking_type, source, destination, lots, partner_id=False):
        picking = self.env["stock.picking"].create({
            "picking_type_id": picking_type.id, "partner_id": partner_id,
            "location_id": source.id, "location_dest_id": destination.id,
            "move_ids": [Command.create({
                "name": product.display_name, "product_id": product.id,
                "product_uom_qty": len(product_lots), "location_id": source.id,
                "location_dest_id": destination.id,
            }) for product, product_lots in lots.grouped("product_id").items()],
        })
        picking.action_confirm()
        for move in picking.move_ids:
            move.move_line_ids.unlink()
            move.move_line_ids = [Command.create({
                "product_id": move.product_id.id, "lot_id": lot.id, "quantity": 1,
                "location_id": source.id, "location_dest_id": destination.id,
                "picking_id": picking.id,
            }) for lot in lots.filtered(lambda lot, move=move: lot.product_id == move.product_id)]
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True).button_validate()
        return picking

    @api.model
    def _pregenerated_receipt(self, picking_type, product, quantity, vendor_id):
        wizard = self.env["serial.pregenerate"].create(
            {"product_id": product.id, "quantity": quantity})
        wizard._create_lots()
        picking = self.env["stock.picking"].create({
            "picking_type_id": picking_type.id, "partner_id": vendor_id,
            "origin": "Inventory Scanner demo: labels printed ahead",
            "location_id": picking_type.default_location_src_id.id,
            "location_dest_id": picking_type.default_location_dest_id.id,
            "move_ids": [Command.create({
                "name": product.display_name, "product_id": product.id,
                "product_uom_qty": quantity,
                "location_id": picking_type.default_location_src_id.id,
                "location_dest_id": picking_type.default_location_dest_id.id,
            })],
        })
        picking.action_confirm()
        return picking
