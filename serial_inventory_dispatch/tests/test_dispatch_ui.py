from odoo.tests import HttpCase, tagged

from odoo.addons.serial_inventory.tests.common import run_hoot_suite

from .common import GTIN


@tagged("post_install", "-at_install")
class TestDispatchUi(HttpCase):
    def test_dispatch_tour(self):
        """Open a ready delivery, scan through Odoo's barcode service, Dispatch, Deliver."""
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        env.company.serial_pattern_id = False
        stock = env.ref("stock.stock_location_stock")
        customers = env.ref("stock.stock_location_customers")
        customer = env["res.partner"].create({"name": "Tour Customer"})
        phone = env["product.product"].create({
            "name": "Tour Phone", "is_storable": True, "tracking": "serial", "barcode": GTIN})
        cable = env["product.product"].create(
            {"name": "Tour Cable", "is_storable": True, "barcode": "TOUR-CABLE"})
        lots = env["stock.lot"].create([
            {"name": f"TOUR-SN-00{index}", "product_id": phone.id, "company_id": env.company.id}
            for index in (1, 2, 3)
        ])
        for lot in lots:
            env["stock.quant"]._update_available_quantity(phone, stock, 1, lot_id=lot)
        env["stock.quant"]._update_available_quantity(cable, stock, 5)
        delivery = env["stock.picking"].create({
            "picking_type_id": env.ref("stock.picking_type_out").id,
            "partner_id": customer.id,
            "location_id": stock.id,
            "location_dest_id": customers.id,
            "move_ids": [(0, 0, {
                "name": product.name, "product_id": product.id, "product_uom_qty": quantity,
                "product_uom": product.uom_id.id, "location_id": stock.id,
                "location_dest_id": customers.id,
            }) for product, quantity in ((phone, 3), (cable, 1))],
        })
        delivery.action_confirm()
        delivery.action_assign()
        self.assertEqual(delivery.state, "assigned")

        self.start_tour(f"/odoo/action-stock.action_picking_tree_all/{delivery.id}",
                        "serial_inventory_dispatch_tour", login="admin")

        self.env.invalidate_all()
        self.assertEqual(delivery.state, "done")
        delivered = lots[:2]
        self.assertEqual(delivery.move_line_ids.filtered(
            lambda ml: ml.product_id == phone).lot_id, delivered)
        for lot in delivered:
            quant = env["stock.quant"].search([("lot_id", "=", lot.id), ("quantity", ">", 0)])
            self.assertEqual(quant.location_id, customers)
            self.assertEqual(lot.serial_state, "delivered")
            self.assertEqual(lot.serial_customer_id, customer)
        self.assertEqual(env["stock.quant"]._get_available_quantity(cable, stock), 4)
        # Odoo's backorder holds the unit that was not scanned, reserved as usual.
        backorder = delivery.backorder_ids
        self.assertEqual([(m.product_id, m.product_uom_qty) for m in backorder.move_ids],
                         [(phone, 1.0)])
        self.assertEqual(backorder.move_line_ids.lot_id, lots[2])
        self.assertEqual(lots[2].serial_state, "reserved")
        log = env["serial.scan"].search([("picking_id", "=", delivery.id)], order="id")
        self.assertEqual(
            [(scan.code, scan.result) for scan in log],
            [("TOUR-SN-001", "accepted"), ("NO-SUCH-CODE-42", "refused"),
             ("TOUR-SN-001", "refused"), ("TOUR-CABLE", "accepted"),
             (f"(01){GTIN}(21)TOUR-SN-002", "accepted")])
        self.assertFalse(any(log.mapped("open")))

    def test_hoot_dispatch_dialog(self):
        """The dialog's Hoot unit tests (static/tests/*.test.js), run headless."""
        run_hoot_suite(self, "@serial_inventory_dispatch")


class DispatchLayoutCase(HttpCase):
    """The dialog on a delivery with long serials, at the screen size of the subclass."""

    def _layout_delivery(self):
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        env.company.serial_pattern_id = False
        stock = env.ref("stock.stock_location_stock")
        customers = env.ref("stock.stock_location_customers")
        phone = env["product.product"].create({
            "name": "Layout Phone with a product name long enough to wrap on a phone",
            "is_storable": True, "tracking": "serial"})
        cable = env["product.product"].create(
            {"name": "Layout Cable", "is_storable": True, "barcode": "LAYOUT-CABLE"})
        lots = env["stock.lot"].create([
            {"name": f"LAYOUT-SERIAL-WITH-A-LONG-NAME-{index:02d}", "product_id": phone.id,
             "company_id": env.company.id}
            for index in range(1, 7)
        ])
        for lot in lots:
            env["stock.quant"]._update_available_quantity(phone, stock, 1, lot_id=lot)
        env["stock.quant"]._update_available_quantity(cable, stock, 5)
        delivery = env["stock.picking"].create({
            "picking_type_id": env.ref("stock.picking_type_out").id,
            "partner_id": env["res.partner"].create({"name": "Layout Customer"}).id,
            "location_id": stock.id,
            "location_dest_id": customers.id,
            "move_ids": [(0, 0, {
                "name": product.name, "product_id": product.id, "product_uom_qty": quantity,
                "product_uom": product.uom_id.id, "location_id": stock.id,
                "location_dest_id": customers.id,
            }) for product, quantity in ((phone, 6), (cable, 2))],
        })
        delivery.action_confirm()
        delivery.action_assign()
        for index, lot in enumerate(lots):
            delivery.serial_dispatch_scan(lot.name, f"layout-{index}")
        return delivery

    def _run_layout_tour(self):
        delivery = self._layout_delivery()
        self.start_tour(f"/odoo/action-stock.action_picking_tree_all/{delivery.id}",
                        "serial_inventory_dispatch_layout_tour", login="admin")
        self.env.invalidate_all()
        self.assertEqual(delivery.serial_scan_count, 8)
        self.assertTrue(delivery.serial_dispatch_state()["dispatched"])


@tagged("post_install", "-at_install")
class TestDispatchLayoutPhone(DispatchLayoutCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_dispatch_layout_phone(self):
        """At 390 px: no sideways scroll, every serial readable, the notification off the
        prompt; a scan in the focused search field; Scans count and Dispatch kept on reopen."""
        self._run_layout_tour()


@tagged("post_install", "-at_install")
class TestDispatchLayoutDesktop(DispatchLayoutCase):
    browser_size = "1440x900"

    def test_dispatch_layout_desktop(self):
        """The same at 1440 px."""
        self._run_layout_tour()
