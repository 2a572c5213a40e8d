from odoo import api, models


class StockPicking(models.Model):
    """The dispatch add-on's demo data, made through its scan APIs."""

    _inherit = "stock.picking"

    @api.model
    def _serial_dispatch_demo(self, shelf_id, customer_id):
        """Demo: the serial_inventory demo delivery half scanned, a quotation made by scanning
        and a scan-to-transfer to ``shelf_id``. Skipped when that demo is not there."""
        delivery = self.env.ref("serial_inventory.demo_delivery_ready", raise_if_not_found=False)
        phone = self.env.ref("serial_inventory.demo_product_phone", raise_if_not_found=False)
        if not delivery or not phone or delivery.state != "assigned":
            return
        reserved = delivery.move_line_ids.filtered(
            lambda line: line.lot_id and line.product_id.tracking == "serial")
        for index, lot in enumerate(reserved.lot_id.grouped("product_id").values()):
            delivery.serial_dispatch_scan(lot[0].name, f"demo-scan-{index}")
        delivery.serial_dispatch_scan("X200-NOT-A-SERIAL", "demo-scan-refused")
        free = self.env["stock.quant"].search([
            ("product_id", "=", phone.id), ("location_id", "=", delivery.location_id.id),
            ("quantity", ">", 0), ("reserved_quantity", "=", 0)], order="id")
        if len(free) >= 2:
            self.env["sale.order"].serial_order_create(customer_id, [free[0].lot_id.name])
            self.serial_transfer_create(delivery.location_id.id, [free[1].lot_id.name],
                                        shelf_id)
