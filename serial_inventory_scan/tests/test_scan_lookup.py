from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ScanCase


@tagged("post_install", "-at_install")
class TestScanLookup(ScanCase):
    def lookup(self, code, **kwargs):
        with self.assertChangesNothing((*self.STOCK_TABLES, "serial_scan_count")):
            answer = self.scan("lookup", False, code, **kwargs)
        return answer

    def rows(self, card):
        return {row["label"]: row["value"] for row in card["rows"]}

    def test_serial_card(self):
        lot = self.lots["SC-1"]
        lot.write({"serial_stolen": True, "serial_stolen_note": "van broken into"})
        batch = self.env["serial.batch"].create({"name": "B-77", "product_id": self.product.id})
        lot.serial_batch_id = batch
        answer = self.lookup("SC-1")
        self.assertEqual(answer["result"], "accepted")
        card = answer["state"]["card"]
        self.assertEqual((card["kind"], card["title"]),
                         ("serial", "Serial SC-1: Scanned Drill"))
        rows = self.rows(card)
        self.assertEqual(rows["Product"], "Scanned Drill")
        self.assertEqual(rows["Location"], "WH/Stock/Scan Shelf")
        self.assertEqual(rows["Batch"], "B-77")
        self.assertEqual(card["flags"], ["Reported stolen: van broken into"])
        scan = self.env["serial.scan"].browse(answer["scan_id"])
        self.assertEqual((scan.operation, scan.lot_id, scan.location_id, scan.res_model),
                         ("lookup", lot, self.shelf, "res.users"))

    def test_last_moves_of_a_delivered_serial(self):
        lot = self.lots["SC-2"]
        delivery = self._create_delivery([(self.product, 1)])
        self._choose_serials(delivery, lot)
        delivery.move_line_ids.location_id = self.shelf
        self._validate(delivery)
        card = self.lookup("SC-2")["state"]["card"]
        self.assertEqual(card["moves"][0]["reference"], delivery.name)
        self.assertEqual(card["moves"][0]["to"], "Partners/Customers")
        self.assertEqual(self.rows(card)["Location"], "none")

    def test_location_package_picking_product_cards(self):
        package = self.env["stock.quant.package"].create({"name": "PACK-SCAN-1"})
        delivery = self._create_delivery([(self.product, 1)])
        for code, kind, title in (
            ("SCAN-SHELF", "location", "WH/Stock/Scan Shelf"),
            ("PACK-SCAN-1", "package", "Package PACK-SCAN-1"),
            (delivery.name, "picking", delivery.name),
            ("5400000000010", "product", "Scanned Drill"),
        ):
            with self.subTest(code=code):
                card = self.lookup(code)["state"]["card"]
                self.assertEqual((card["kind"], card["title"]), (kind, title))
        self.assertTrue(package)
        shelf = self.rows(self.lookup("SCAN-SHELF")["state"]["card"])
        self.assertEqual(shelf, {"Scanned Drill": "3"}, "the shelf and its bin")

    def test_unknown_code_is_logged_refused(self):
        answer = self.lookup("NOPE-404")
        self.assertEqual(answer["result"], "refused")
        self.assertIn("Unknown code NOPE-404", answer["message"])
        self.assertFalse(answer["state"]["card"])
        self.assertEqual(answer["state"]["recent"][0]["code"], "NOPE-404")

    def test_gs1_code_names_the_serial(self):
        card = self.lookup("(01)05400000000010(21)SC-3")["state"]["card"]
        self.assertEqual((card["kind"], card["title"]), ("serial", "Serial SC-3: Scanned Drill"))
        self.assertEqual(self.rows(card)["Location"], "WH/Stock/Scan Shelf/Scan Bin")

    def test_resolver_kinds_and_expectations(self):
        resolver = self.env["serial.code.resolver"]
        self.assertEqual(resolver._resolve_any("SCAN-BIN")["location"], self.bin)
        self.assertEqual(resolver._resolve_any("WH/Stock/Scan Shelf")["location"], self.shelf,
                         "a location's full name, typed by hand")
        self.assertEqual(resolver._resolve_any("SC-9")["lot"], self.lots["SC-9"])
        with self.assertRefused(UserError, "Code SCAN-BIN is a location; a serial is expected"):
            resolver._resolve_any("SCAN-BIN", expect=("serial",))
        with self.assertRefused(UserError, "Code SC-9 is a serial; a location, a package is"):
            resolver._resolve_any("SC-9", expect=("location", "package"))
