from odoo.tests import HttpCase, tagged

from odoo.addons.serial_inventory.tests.common import run_hoot_suite


@tagged("post_install", "-at_install")
class TestScanTours(HttpCase):
    def _count_tour(self):
        """Count a shelf by scanning through Odoo's barcode service; check the stock after."""
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        env.company.serial_pattern_id = False
        stock = env.ref("stock.stock_location_stock")
        shelf = env["stock.location"].create(
            {"name": "Tour Shelf", "barcode": "TOUR-SHELF", "location_id": stock.id})
        elsewhere = env["stock.location"].create(
            {"name": "Tour Elsewhere", "location_id": stock.id})
        product = env["product.product"].create(
            {"name": "Tour Counter", "is_storable": True, "tracking": "serial"})
        lots = {}
        for name, location in (("TOUR-SN-1", shelf), ("TOUR-SN-2", shelf),
                               ("TOUR-SN-9", elsewhere)):
            lots[name] = env["stock.lot"].create({"name": name, "product_id": product.id})
            env["stock.quant"]._update_available_quantity(product, location, 1,
                                                          lot_id=lots[name])

        self.start_tour("/odoo/action-serial_inventory_scan.action_serial_scanner",
                        "serial_inventory_scan_count_tour", login="admin")

        self.env.invalidate_all()
        count = env["serial.scan.count"].search([("location_id", "=", shelf.id)])
        self.assertEqual(count.state, "applied")
        self.assertEqual(
            [(scan.code, scan.result) for scan in count.scan_ids.sorted("id")],
            [("TOUR-SHELF", "accepted"), ("TOUR-SN-1", "accepted"), ("TOUR-SN-1", "refused"),
             ("TOUR-SN-9", "accepted"), ("NO-SUCH-TOUR-CODE", "refused")])
        quants = env["stock.quant"].search(
            [("product_id", "=", product.id), ("location_id.usage", "=", "internal"),
             ("quantity", ">", 0)])
        self.assertEqual(sorted((quant.lot_id.name, quant.location_id.id) for quant in quants),
                         [("TOUR-SN-1", shelf.id), ("TOUR-SN-9", shelf.id)])
        moves = count.move_ids
        self.assertEqual(len(moves), 4, "found: confirmed; missing: out; unexpected: out, in")
        self.assertTrue(all(move.is_inventory and move.state == "done" for move in moves))

    def test_count_tour_phone(self):
        self.browser_size = "390x844"
        self.touch_enabled = True
        self._count_tour()

    def test_count_tour_desktop(self):
        self._count_tour()

    def _lookup_tour(self):
        """Look a serial and a location up by scanning; the log keeps both, and the refusal."""
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        env.company.serial_pattern_id = False
        shelf = env["stock.location"].create({
            "name": "Tour Lookup Shelf", "barcode": "TOUR-LOOK-SHELF",
            "location_id": env.ref("stock.stock_location_stock").id})
        product = env["product.product"].create(
            {"name": "Tour Looked Up", "is_storable": True, "tracking": "serial"})
        lot = env["stock.lot"].create({"name": "TOUR-LOOK-1", "product_id": product.id})
        env["stock.quant"]._update_available_quantity(product, shelf, 1, lot_id=lot)

        self.start_tour("/odoo/action-serial_inventory_scan.action_serial_scanner",
                        "serial_inventory_scan_lookup_tour", login="admin")

        scans = env["serial.scan"].search([("operation", "=", "lookup")], order="id")
        self.assertEqual(
            [(scan.code, scan.result, scan.lot_id, scan.location_id) for scan in scans][-3:],
            [("TOUR-LOOK-1", "accepted", lot, shelf),
             ("TOUR-LOOK-SHELF", "accepted", env["stock.lot"], shelf),
             ("NO-SUCH-LOOKUP-CODE", "refused", env["stock.lot"], env["stock.location"])])
        self.assertEqual(lot.quant_ids.filtered("quantity").location_id, shelf,
                         "a lookup changes nothing")

    def test_lookup_tour_phone(self):
        self.browser_size = "390x844"
        self.touch_enabled = True
        self._lookup_tour()

    def test_lookup_tour_desktop(self):
        self._lookup_tour()

    def test_hoot_scan_core(self):
        """The service's and the screen's Hoot tests (static/tests/*.test.js), headless."""
        run_hoot_suite(self, "@serial_inventory_scan")
