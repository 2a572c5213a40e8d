from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import ScanCase


@tagged("post_install", "-at_install")
class TestScanTransfer(ScanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.internal_type = cls.warehouse.int_type_id
        cls.screws = cls.env["product.product"].create({
            "name": "Scanned Screws", "is_storable": True, "barcode": "5400000000027"})
        cls.env["stock.quant"]._update_available_quantity(cls.screws, cls.shelf, 3)
        cls.service = cls.env["product.product"].create({
            "name": "Scanned Service", "type": "service", "barcode": "5400000000034"})
        cls.other_company = cls.env["res.company"].create({"name": "Scan Other Company"})
        cls.foreign = cls.env["stock.location"].create({
            "name": "Foreign Shelf", "barcode": "SCAN-FOREIGN", "usage": "internal",
            "company_id": cls.other_company.id})
        cls.customers = cls.customer_location
        cls.customers.barcode = "SCAN-CUSTOMERS"

    def start(self, location=None):
        answer = self.scan("transfer", False, (location or self.shelf).barcode)
        self.assertEqual(answer["result"], "accepted", answer["message"])
        return self.env["stock.picking"].browse(answer["record_id"])

    def accept(self, transfer, *codes):
        for code in codes:
            answer = self.scan("transfer", transfer, code)
            self.assertEqual(answer["result"], "accepted", answer["message"])
        return answer

    def validate(self, transfer):
        return self.operations.scan_action("transfer", transfer.id, "validate")

    def open_scans(self, transfer):
        return self.env["serial.scan"].search([
            ("picking_id", "=", transfer.id), ("open", "=", True)])

    def test_source_scan_opens_an_internal_transfer(self):
        transfer = self.start()
        self.assertEqual((transfer.picking_type_id, transfer.location_id, transfer.state),
                         (self.internal_type, self.shelf, "draft"))
        state = self.operations.scan_state("transfer", transfer.id)
        self.assertEqual((state["step"], state["source"], state["count"]),
                         ("units", "WH/Stock/Scan Shelf", 0))
        self.assertEqual(state["rules"]["policy"], self.internal_type.serial_scan_policy)
        scan = self.env["serial.scan"].search([("picking_id", "=", transfer.id)])
        self.assertEqual((scan.code, scan.result, scan.location_id),
                         ("SCAN-SHELF", "accepted", self.shelf))

    def test_scanned_units_are_moved_and_validated(self):
        transfer = self.start()
        self.accept(transfer, "SC-1", "SC-3", "5400000000027", "5400000000027")
        answer = self.accept(transfer, "SCAN-OTHER")
        self.assertEqual(answer["message"], "To WH/Stock/Scan Other: 4 units.")
        self.assertTrue(answer["state"]["can_validate"])
        self.assertEqual(transfer.state, "draft", "nothing moves before the validation")
        self.assertFalse(transfer.move_ids)
        state = self.validate(transfer)
        self.assertEqual(transfer.state, "done")
        self.assertEqual(transfer.location_dest_id, self.other)
        self.assertEqual(state["step"], "done")
        self.assertIn(f"{transfer.name} is done: 4 units moved to WH/Stock/Scan Other",
                      state["prompt"])
        self.assertNotIn("client_action", state)
        self.assertEqual(len(transfer.move_ids), 2, "one move per product")
        self.assertEqual(sorted(
            (line.product_id.name, line.lot_id.name or "", line.location_id.name,
             line.location_dest_id.name, line.quantity) for line in transfer.move_line_ids), [
            ("Scanned Drill", "SC-1", "Scan Shelf", "Scan Other", 1.0),
            ("Scanned Drill", "SC-3", "Scan Bin", "Scan Other", 1.0),
            ("Scanned Screws", "", "Scan Shelf", "Scan Other", 2.0),
        ])
        self.assertTrue(all(move.state == "done" for move in transfer.move_ids))
        Quant = self.env["stock.quant"]
        self.assertEqual(Quant._get_available_quantity(self.screws, self.other), 2)
        self.assertEqual(Quant._get_available_quantity(self.screws, self.shelf), 1)
        for serial in ("SC-1", "SC-3"):
            quant = Quant.search([("lot_id", "=", self.lots[serial].id), ("quantity", ">", 0)])
            self.assertEqual(quant.location_id, self.other)
        self.assertFalse(self.open_scans(transfer), "a done transfer holds no serial")
        # Over: the next scan of a unit is refused; a location opens the next transfer.
        with self.assertChangesNothing():
            answer = self.scan("transfer", transfer, "SC-2")
        self.assertIn("Code SC-2 is a serial; a location is expected here.", answer["message"])
        answer = self.scan("transfer", transfer, "SCAN-SHELF")
        self.assertEqual(answer["result"], "accepted")
        self.assertNotEqual(answer["record_id"], transfer.id)

    def test_unit_scanned_twice_moves_once(self):
        transfer = self.start()
        self.accept(transfer, "SC-1")
        with self.assertChangesNothing():
            answer = self.scan("transfer", transfer, "SC-1")
        self.assertEqual(answer["result"], "refused")
        self.assertEqual(answer["message"], "Serial SC-1 is already in this transfer: it moves "
                                            "once.")
        self.assertEqual(answer["state"]["count"], 1)

    def test_refusals(self):
        transfer = self.start()
        self.accept(transfer, "SC-1")
        for code, fragment in (
            ("SC-9", "Serial SC-9 is not in WH/Stock/Scan Shelf: it is in stock at "
                     "WH/Stock/Scan Other."),
            ("5400000000010", "Scanned Drill is tracked by serial number: scan the serial"),
            ("5400000000034", "Scanned Service is not kept in stock"),
            ("SCAN-SHELF", "WH/Stock/Scan Shelf is where the units come from"),
            ("SCAN-CUSTOMERS", "Partners/Customers is not a stock location"),
            ("SCAN-FOREIGN", "Foreign Shelf belongs to Scan Other Company, not to"),
            ("NO-SUCH-CODE", "Unknown code NO-SUCH-CODE"),
            ("SC-1\x00", "contains the control character \\x00 at position 5"),
            ("X" * 300, "is too long (300 characters, at most 256)"),
        ):
            with self.subTest(code=code), self.assertChangesNothing():
                rows = self.scan_rows()
                answer = self.scan("transfer", transfer, code)
                self.assertEqual(answer["result"], "refused")
                self.assertIn(fragment, answer["message"])
                self.assertEqual(self.scan_rows(), rows + 1, "the refusal is logged")
        self.accept(transfer, "5400000000027", "5400000000027", "5400000000027")
        with self.assertChangesNothing():
            answer = self.scan("transfer", transfer, "5400000000027")
        self.assertIn("Only 3 of Scanned Screws available at WH/Stock/Scan Shelf: 4 scanned.",
                      answer["message"])
        self.assertEqual(answer["state"]["count"], 4)

    def test_first_scan_must_be_an_internal_location(self):
        for code, fragment in (
            ("SC-1", "Code SC-1 is a serial; a location is expected here."),
            ("SCAN-CUSTOMERS", "Partners/Customers is not a stock location"),
        ):
            with self.subTest(code=code), self.assertChangesNothing():
                answer = self.scan("transfer", False, code)
            self.assertEqual(answer["result"], "refused")
            self.assertIn(fragment, answer["message"])
            self.assertFalse(answer["record_id"])

    def test_destination_needs_units(self):
        transfer = self.start()
        with self.assertChangesNothing():
            answer = self.scan("transfer", transfer, "SCAN-OTHER")
        self.assertIn("Scan the units to move from WH/Stock/Scan Shelf first",
                      answer["message"])
        with self.assertChangesNothing(), self.assertRefused(UserError, "Scan the units, then"):
            self.validate(transfer)

    def test_unit_already_at_the_destination(self):
        transfer = self.start()
        self.accept(transfer, "SC-3")
        with self.assertChangesNothing():
            answer = self.scan("transfer", transfer, "SCAN-BIN")
        self.assertIn("SC-3 already in WH/Stock/Scan Shelf/Scan Bin", answer["message"])

    def test_serial_held_elsewhere_or_reserved_or_recalled(self):
        first = self.start()
        self.accept(first, "SC-1")
        second = self.start(self.stock_location)
        with self.assertChangesNothing():
            answer = self.scan("transfer", second, "SC-1")
        self.assertEqual(answer["message"], f"Serial SC-1 is already scanned for {first.name}.")
        count = self.scan("count", False, "SCAN-SHELF")["record_id"]
        self.assertEqual(self.scan("count", count, "SC-2")["result"], "accepted")
        with self.assertChangesNothing():
            answer = self.scan("transfer", second, "SC-2")
        self.assertEqual(answer["message"], f"Serial SC-2 is already scanned for "
                                            f"{self.env['serial.scan.count'].browse(count).name}.")
        delivery = self._create_delivery([(self.product, 1)])
        delivery.do_unreserve()  # then reserve SC-9, as a clerk choosing it would
        delivery.move_ids.move_line_ids = [Command.create({
            "product_id": self.product.id, "lot_id": self.lots["SC-9"].id, "quantity": 1,
            "location_id": self.other.id, "location_dest_id": self.customers.id})]
        with self.assertChangesNothing():
            answer = self.scan("transfer", second, "SC-9")
        self.assertEqual(answer["message"], f"Serial SC-9 is reserved for {delivery.name}.")
        recall = self.env["serial.recall"].create({
            "reason": "Overheats", "line_ids": [Command.create({"lot_id": self.lots["SC-3"].id})]})
        recall.action_open()
        with self.assertChangesNothing():
            answer = self.scan("transfer", second, "SC-3")
        self.assertEqual(answer["message"], f"SC-3 is under recall {recall.name}: it stays where "
                                            "it is until the recall is closed.")
        # Once the first transfer is cancelled (even outside the scanner), SC-1 is free.
        first.action_cancel()
        self.accept(second, "SC-1")

    def test_units_checked_again_at_validation(self):
        transfer = self.start()
        self.accept(transfer, "SC-1", "SC-2", "SCAN-OTHER")
        recall = self.env["serial.recall"].create({
            "reason": "Overheats", "line_ids": [Command.create({"lot_id": self.lots["SC-2"].id})]})
        recall.action_open()
        with self.assertChangesNothing(), self.assertRefused(
                UserError, f"{transfer.name} cannot be validated:",
                f"SC-2 is under recall {recall.name}"):
            self.validate(transfer)
        self.assertEqual(transfer.state, "draft")

    def test_undo_takes_a_unit_out(self):
        transfer = self.start()
        answer = self.accept(transfer, "SC-1", "SC-2")
        units = {unit["serial"]: unit["scan_id"] for unit in answer["state"]["units"]}
        state = self.operations.scan_action("transfer", transfer.id, "undo",
                                            {"scan_id": units["SC-1"]})
        self.assertEqual([unit["serial"] for unit in state["units"]], ["SC-2"])
        self.assertEqual(self.env["serial.scan"].browse(units["SC-1"]).result, "cleared")
        # Undone, SC-1 is free for another transfer, and not moved by this one.
        other = self.start(self.stock_location)
        self.accept(other, "SC-1")
        self.accept(transfer, "SCAN-OTHER")
        self.validate(transfer)
        self.assertEqual(transfer.move_line_ids.lot_id.mapped("name"), ["SC-2"])
        for scan_id in (units["SC-1"], 999999, "1; drop"):
            with self.subTest(scan_id=scan_id), self.assertChangesNothing(), \
                    self.assertRefused(UserError):
                self.operations.scan_action("transfer", other.id, "undo", {"scan_id": scan_id})

    def test_cancel_releases_the_units(self):
        transfer = self.start()
        self.accept(transfer, "SC-1")
        state = self.operations.scan_action("transfer", transfer.id, "cancel")
        self.assertEqual((transfer.state, state["step"]), ("cancel", "done"))
        self.assertFalse(self.open_scans(transfer))
        with self.assertRefused(UserError, "is cancelled"):
            self.operations.scan_action("transfer", transfer.id, "cancel")

    def test_actions_need_a_transfer(self):
        self.start()  # an open transfer of the user's, which no action may reach by default
        for action, params in (("undo", {"scan_id": 1}), ("validate", None), ("cancel", None)):
            with self.subTest(action=action), self.assertChangesNothing(), \
                    self.assertRefused(UserError, "Choose or open a transfer first"):
                self.operations.scan_action("transfer", False, action, params)

    def test_rules_of_the_internal_type_apply(self):
        """Serials must be scanned for this operation type: a typed one is refused by the
        core, the validation accepts the scanned ones."""
        self.internal_type.serial_scan_policy = "mandatory"
        transfer = self.start()
        clerk_env = self.env(user=self.clerk)
        with self.assertChangesNothing():
            answer = clerk_env["serial.scan.operation"].scan(
                "transfer", transfer.id, "SC-1", "typed-1", {"typed": True})
        self.assertEqual(answer["result"], "refused")
        self.assertIn("are scanned, not typed", answer["message"])
        self.accept(transfer, "SC-1", "SCAN-OTHER")
        self.validate(transfer)
        self.assertEqual(transfer.state, "done")

    def test_a_wizard_or_report_goes_to_the_screen(self):
        self.internal_type.auto_print_delivery_slip = True
        transfer = self.start()
        self.accept(transfer, "SC-1", "SCAN-OTHER")
        state = self.validate(transfer)
        self.assertEqual(transfer.state, "done")
        self.assertEqual(state["client_action"]["tag"], "do_multi_print")

    def test_a_stock_user_moves_units(self):
        """The whole flow as a warehouse clerk (no inventory manager rights)."""
        clerk_env = self.env(user=self.clerk)
        answer = self.scan("transfer", False, "SCAN-SHELF", env=clerk_env)
        transfer = clerk_env["stock.picking"].browse(answer["record_id"])
        for code in ("SC-1", "SC-2", "5400000000027"):
            answer = self.scan("transfer", transfer, code, env=clerk_env)
            self.assertEqual(answer["result"], "accepted", answer["message"])
        undone = next(unit for unit in answer["state"]["units"] if unit["serial"] == "SC-2")
        operations = clerk_env["serial.scan.operation"]
        operations.scan_action("transfer", transfer.id, "undo", {"scan_id": undone["scan_id"]})
        self.assertEqual(self.scan("transfer", transfer, "SCAN-OTHER", env=clerk_env)["result"],
                         "accepted")
        state = operations.scan_action("transfer", transfer.id, "validate")
        self.assertEqual((transfer.state, state["step"]), ("done", "done"))
        self.assertEqual(sorted((line.lot_id.name or line.product_id.name, line.quantity)
                                for line in transfer.move_line_ids),
                         [("SC-1", 1.0), ("Scanned Screws", 1.0)])
        self.assertEqual(transfer.user_id, self.clerk)

    def test_not_an_internal_transfer(self):
        delivery = self._create_delivery([(self.product, 1)])
        with self.assertChangesNothing(), \
                self.assertRefused(UserError, f"{delivery.name} is not an internal transfer"):
            self.scan("transfer", delivery, "SC-1")


@tagged("post_install", "-at_install")
class TestScanTransferTour(HttpCase):
    def _transfer_tour(self):
        """Move units by scanning through Odoo's barcode service; check the stock after."""
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        env.company.serial_pattern_id = False
        stock = env.ref("stock.stock_location_stock")
        Location = env["stock.location"]
        source = Location.create({"name": "Tour From", "barcode": "TOUR-T-FROM",
                                  "location_id": stock.id})
        destination = Location.create({"name": "Tour To", "barcode": "TOUR-T-TO",
                                       "location_id": stock.id})
        elsewhere = Location.create({"name": "Tour Elsewhere", "location_id": stock.id})
        product = env["product.product"].create(
            {"name": "Tour Mover", "is_storable": True, "tracking": "serial"})
        bolts = env["product.product"].create(
            {"name": "Tour Bolts", "is_storable": True, "barcode": "5400000000058"})
        Quant = env["stock.quant"]
        Quant._update_available_quantity(bolts, source, 5)
        lots = {}
        for name, location in (("TOUR-T-SN-1", source), ("TOUR-T-SN-2", source),
                               ("TOUR-T-SN-9", elsewhere)):
            lots[name] = env["stock.lot"].create({"name": name, "product_id": product.id})
            Quant._update_available_quantity(product, location, 1, lot_id=lots[name])

        self.start_tour("/odoo/action-serial_inventory_scan.action_serial_scanner",
                        "serial_inventory_scan_transfer_tour", login="admin")

        self.env.invalidate_all()
        transfer = env["stock.picking"].search([("location_id", "=", source.id)])
        self.assertEqual(
            (transfer.state, transfer.picking_type_id, transfer.location_dest_id),
            ("done", env.ref("stock.warehouse0").int_type_id, destination))
        scans = env["serial.scan"].search([("picking_id", "=", transfer.id)]).sorted("id")
        self.assertEqual([(scan.code, scan.result) for scan in scans], [
            ("TOUR-T-FROM", "accepted"), ("TOUR-T-SN-1", "accepted"),
            ("TOUR-T-SN-1", "refused"), ("TOUR-T-SN-2", "cleared"),
            ("TOUR-T-SN-9", "refused"), ("5400000000058", "accepted"),
            ("NO-SUCH-TOUR-CODE", "refused"), ("TOUR-T-TO", "accepted")])
        self.assertEqual(sorted(
            (line.product_id.name, line.lot_id.name or "", line.location_id.name,
             line.location_dest_id.name, line.quantity, line.state)
            for line in transfer.move_line_ids), [
            ("Tour Bolts", "", "Tour From", "Tour To", 1.0, "done"),
            ("Tour Mover", "TOUR-T-SN-1", "Tour From", "Tour To", 1.0, "done"),
        ])
        where = {name: Quant.search([("lot_id", "=", lot.id), ("quantity", ">", 0)]).location_id
                 for name, lot in lots.items()}
        self.assertEqual(where, {"TOUR-T-SN-1": destination, "TOUR-T-SN-2": source,
                                 "TOUR-T-SN-9": elsewhere})
        self.assertEqual(Quant._get_available_quantity(bolts, destination), 1)
        self.assertEqual(Quant._get_available_quantity(bolts, source), 4)
        self.assertFalse(scans.filtered("open"), "a done transfer holds no serial")

    def test_transfer_tour_phone(self):
        self.browser_size = "390x844"
        self.touch_enabled = True
        self._transfer_tour()

    def test_transfer_tour_desktop(self):
        self._transfer_tour()
