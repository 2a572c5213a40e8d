from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ScanCase


@tagged("post_install", "-at_install")
class TestScanCount(ScanCase):
    def start_count(self, location=None):
        answer = self.scan("count", False, (location or self.shelf).barcode)
        self.assertEqual(answer["result"], "accepted", answer["message"])
        return self.env["serial.scan.count"].browse(answer["record_id"])

    def names(self, units):
        return sorted(unit["serial"] for unit in units)

    def test_location_scan_opens_a_count(self):
        count = self.start_count()
        self.assertEqual((count.location_id, count.state), (self.shelf, "counting"))
        self.assertTrue(count.name.startswith("COUNT/"))
        self.assertEqual(count.scan_ids.mapped("code"), ["SCAN-SHELF"])

    def test_expected_found_unexpected_missing(self):
        count = self.start_count()
        self.assertEqual(self.scan("count", count, "SC-1")["message"],
                         "SC-1 found (Scanned Drill).")
        answer = self.scan("count", count, "SC-9")
        self.assertEqual(answer["result"], "accepted")
        self.assertIn("unexpected here: in stock at WH/Stock/Scan Other", answer["message"])
        # A unit of a sub-location is expected, and found there.
        self.scan("count", count, "SCAN-BIN")
        answer = self.scan("count", count, "SC-3")
        state = answer["state"]
        self.assertEqual(state["counts"],
                         {"expected": 3, "found": 2, "unexpected": 1, "missing": 1})
        self.assertEqual(self.names(state["found"]), ["SC-1", "SC-3"])
        self.assertEqual(self.names(state["missing"]), ["SC-2"])
        self.assertEqual(state["unexpected"][0]["serial"], "SC-9")
        self.assertIn("WH/Stock/Scan Other", state["unexpected"][0]["where"])
        self.assertEqual(state["current_location"], "WH/Stock/Scan Shelf/Scan Bin")

    def test_unit_scanned_twice_counts_once(self):
        count = self.start_count()
        first = self.scan("count", count, "SC-1")
        again = self.scan("count", count, "SC-1")
        self.assertEqual((first["result"], again["result"]), ("accepted", "refused"))
        self.assertEqual(again["message"], "Serial SC-1 is already counted: it counts once.")
        self.assertEqual(again["state"]["counts"]["found"], 1)

    def test_retry_is_answered_from_the_log(self):
        count = self.start_count()
        first = self.scan("count", count, "SC-1", client_uid="retry-1")
        rows = self.scan_rows()
        retry = self.scan("count", count, "SC-1", client_uid="retry-1")
        self.assertEqual((retry["result"], retry["duplicate"], retry["scan_id"]),
                         ("accepted", True, first["scan_id"]))
        self.assertEqual(self.scan_rows(), rows)
        self.assertEqual(retry["state"]["counts"]["found"], 1)

    def test_serial_held_by_another_count(self):
        shelf_count = self.start_count()
        self.scan("count", shelf_count, "SC-1")
        bin_count = self.start_count(self.stock_location)
        answer = self.scan("count", bin_count, "SC-1")
        self.assertEqual(answer["result"], "refused")
        self.assertEqual(answer["message"],
                         f"Serial SC-1 is being counted by {shelf_count.name}.")
        # Once the first count is over, the serial can be counted again.
        shelf_count.action_cancel()
        self.assertEqual(self.scan("count", bin_count, "SC-1")["result"], "accepted")

    def test_refusals(self):
        count = self.start_count()
        for code, fragment in (
            ("SCAN-OTHER", "WH/Stock/Scan Other is not part of WH/Stock/Scan Shelf"),
            ("5400000000010", "scan the serial of each unit of Scanned Drill"),
            ("NO-SUCH-CODE", "Unknown code NO-SUCH-CODE"),
            ("SC-1\x00", "contains the control character \\x00 at position 5"),
            ("X" * 300, "is too long (300 characters, at most 256)"),
            (12345, "must be text, not 12345"),
        ):
            with self.subTest(code=code), self.assertChangesNothing():
                rows = self.scan_rows()
                answer = self.scan("count", count, code)
                self.assertEqual(answer["result"], "refused")
                self.assertIn(fragment, answer["message"])
                self.assertEqual(self.scan_rows(), rows + 1, "the refusal is logged")
        self.assertEqual(count.scan_ids.filtered(lambda s: s.result == "accepted").mapped(
            "code"), ["SCAN-SHELF"])

    def test_first_scan_must_be_a_location(self):
        with self.assertChangesNothing((*self.STOCK_TABLES, "serial_scan_count")):
            answer = self.scan("count", False, "SC-1")
        self.assertEqual(answer["result"], "refused")
        self.assertIn("Code SC-1 is a serial; a location is expected here.", answer["message"])
        self.assertFalse(answer["record_id"])
        scan = self.env["serial.scan"].browse(answer["scan_id"])
        self.assertEqual((scan.res_model, scan.res_id), ("res.users", self.env.uid))

    def test_bad_client_id_or_record_refused(self):
        count = self.start_count()
        rows = self.scan_rows()
        for uid in ("", "a b", "x" * 65, 42, None):
            with self.subTest(uid=uid), self.assertChangesNothing(), \
                    self.assertRefused(UserError, "The client scan id"):
                self.operations.scan("count", count.id, "SC-1", uid)
        with self.assertChangesNothing(), self.assertRefused(UserError, "is not a record id"):
            self.operations.scan("count", "1; drop", "SC-1", "ok-1")
        with self.assertChangesNothing(), self.assertRefused(UserError, "Unknown scan operation"):
            self.operations.scan("teleport", count.id, "SC-1", "ok-2")
        self.assertEqual(self.scan_rows(), rows)

    def test_nothing_applied_before_confirm(self):
        with self.assertChangesNothing():
            count = self.start_count()
            for code in ("SC-1", "SC-9", "SCAN-BIN", "SC-3"):
                self.scan("count", count, code)
            self.operations.scan_state("count", count.id)
        self.assertEqual(count.state, "counting")

    def test_apply_is_an_inventory_adjustment(self):
        count = self.start_count()
        for code in ("SC-1", "SC-9", "SCAN-BIN", "SC-3"):
            self.scan("count", count, code)
        state = self.operations.scan_apply("count", count.id)
        self.assertEqual(count.state, "applied")
        self.assertFalse(state["can_scan"])
        moves = count.move_ids
        self.assertTrue(all(move.name.startswith(f"Count {count.name}") for move in moves))
        self.assertEqual(state["applied_moves"], len(moves))
        loss = self.product.property_stock_inventory
        self.assertEqual(sorted(
            (move.move_line_ids.lot_id.name, move.location_id.name, move.location_dest_id.name,
             move.quantity) for move in moves), sorted([
            ("SC-1", "Scan Shelf", loss.name, 0.0),      # found: confirmed
            ("SC-2", "Scan Shelf", loss.name, 1.0),      # missing
            ("SC-3", "Scan Bin", loss.name, 0.0),        # found in the sub-location
            ("SC-9", "Scan Other", loss.name, 1.0),      # unexpected: gone from where it was
            ("SC-9", loss.name, "Scan Shelf", 1.0),      # and counted where it was scanned
        ]))
        self.assertTrue(all(move.is_inventory and move.state == "done" for move in moves))
        quants = self.env["stock.quant"].search(
            [("lot_id", "in", [lot.id for lot in self.lots.values()]),
             ("location_id.usage", "=", "internal"), ("quantity", ">", 0)])
        self.assertEqual(sorted((quant.lot_id.name, quant.location_id.name) for quant in quants),
                         [("SC-1", "Scan Shelf"), ("SC-3", "Scan Bin"), ("SC-9", "Scan Shelf")])
        self.assertFalse(self.env["serial.scan"].search(
            [("res_model", "=", count._name), ("res_id", "=", count.id), ("open", "=", True)]),
            "an applied count holds no serial")
        # Over: a scan or a second apply is refused and changes nothing.
        with self.assertChangesNothing():
            answer = self.scan("count", count, "SC-2")
            self.assertEqual(answer["result"], "refused")
            self.assertIn(f"Count {count.name} is applied", answer["message"])
            with self.assertRefused(UserError, f"Count {count.name} is applied"):
                self.operations.scan_apply("count", count.id)

    def test_only_a_manager_applies(self):
        count = self.start_count()
        clerk_env = self.env(user=self.clerk)
        answer = self.scan("count", count, "SC-1", env=clerk_env)
        self.assertEqual(answer["result"], "accepted")
        self.assertFalse(answer["state"]["can_apply"])
        with self.assertChangesNothing(), \
                self.assertRefused(UserError, "Only an Inventory Administrator can apply"):
            clerk_env["serial.scan.operation"].scan_apply("count", count.id)
