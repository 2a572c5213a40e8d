from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DispatchCase

NUL_CODE = "DSP-PH-\x00001"
NUL_SHOWN = "DSP-PH-\\x00001"  # how a message names it


@tagged("post_install", "-at_install")
class TestScanInput(DispatchCase):
    """Bad input at every entry point: a clear message, no traceback, nothing changed but
    the scan log."""

    def _log(self, picking):
        return self.env["serial.scan"].search(
            [("picking_id", "=", picking.id)], order="id")

    def test_garbled_scan_codes_are_logged_refusals(self):
        delivery = self._ready_delivery()
        cases = [
            (NUL_CODE, [NUL_SHOWN, "control character"]),
            ("DSP\x1bPH", ["DSP\\x1bPH", "control character"]),
            ("X" * 300, ["too long", "256"]),
            (42, ["must be text, not 42"]),
            (["DSP-CABLE"], ["must be text"]),
        ]
        for code, fragments in cases:
            with self.subTest(code=code), self.assertNoLogs(level="WARNING"), \
                    self.assertChangesNothing():
                result = self._scan(delivery, code)
                self.assertRefusedScan(result, *fragments)
        log = self._log(delivery)
        self.assertEqual(log.mapped("result"), ["refused"] * len(cases))
        self.assertEqual(log[0].code, NUL_SHOWN)
        self.assertFalse(any(log.mapped("open")))

    def test_bad_client_scan_ids_are_refused(self):
        delivery = self._ready_delivery()
        cases = [
            ("scan-\x00-1", ["The client scan id", "scan-\\x00-1", "control character"]),
            (42, ["The client scan id must be text, not 42"]),
            (None, ["The client scan id is empty"]),
            ("   ", ["The client scan id is empty"]),
            ("u" * 200, ["The client scan id", "too long"]),
        ]
        for client_uid, fragments in cases:
            with self.subTest(client_uid=client_uid), self.assertNoLogs(level="WARNING"), \
                    self.assertChangesNothing(), self.assertRefused(UserError, *fragments):
                delivery.serial_dispatch_scan("DSP-CABLE", client_uid)
        self.assertFalse(self._log(delivery))

    def test_gs1_group_separator_is_not_a_control_character(self):
        delivery = self._ready_delivery()
        lot = self.phone_lots[1]
        # FNC1 form: a group separator ends the variable-length serial before the next AI.
        self.assertAccepted(self._scan(delivery, f"21{lot.name}\x1d0109506000134352"))

    def test_a_reused_scan_id_with_another_code_is_refused(self):
        delivery = self._ready_delivery()
        first = self._scan(delivery, "DSP-CABLE", "reused-1")
        self.assertAccepted(first)
        with self.assertChangesNothing(), self.assertRefused(
                UserError, "Scan id reused-1 was already used for code DSP-CABLE",
                self.phone_lots[0].name, "not recorded"):
            delivery.serial_dispatch_scan(self.phone_lots[0].name, "reused-1")
        # The same id with the same code stays an idempotent retry.
        again = self._scan(delivery, "DSP-CABLE", "reused-1")
        self.assertTrue(again["duplicate"])
        self.assertEqual(again["scan_id"], first["scan_id"])
        self.assertEqual(len(self._log(delivery)), 1)
        self.assertEqual(self._line(delivery, self.cable)["scanned"], 1.0)

    def test_a_scan_id_reused_on_another_picking_is_refused(self):
        delivery = self._ready_delivery()
        other = self._ready_delivery([(self.cable, 1)])
        self.assertAccepted(self._scan(delivery, "DSP-CABLE", "reused-2"))
        with self.assertChangesNothing(), self.assertRefused(
                UserError, "Scan id reused-2 was already used on", delivery.name,
                "not recorded on", other.name):
            other.serial_dispatch_scan("DSP-CABLE", "reused-2")
        self.assertFalse(self._log(other))

    def test_bad_quantities_are_refused(self):
        delivery = self._ready_delivery()
        cable_move = delivery.move_ids.filtered(lambda move: move.product_id == self.cable)
        cases = [
            (float("nan"), "nan is not a quantity: give a finite number"),
            ("nan", "nan is not a quantity: give a finite number"),
            (float("inf"), "inf is not a quantity: give a finite number"),
            ("-inf", "-inf is not a quantity"),
            (1e308, "1e+308 is too large a quantity (at most 1e+09)"),
            ("1e308", "1e308 is too large a quantity"),
            (10**400, "too large a quantity"),
            (True, "True is not a quantity"),
            (None, "None is not a quantity"),
            ("2\x00", "2\\x00 is not a quantity"),
            ([2], "[2] is not a quantity"),
            (-1, "cannot be negative"),
        ]
        for quantity, message in cases:
            with self.subTest(quantity=quantity), self.assertNoLogs(level="WARNING"), \
                    self.assertChangesNothing(), self.assertRefused(UserError, message):
                delivery.serial_dispatch_set_quantity(cable_move.id, quantity)
        for move_id in (str(cable_move.id), None, True, 1.5):
            with self.subTest(move_id=move_id), self.assertChangesNothing(), \
                    self.assertRefused(UserError, "is not a record id"):
                delivery.serial_dispatch_set_quantity(move_id, 1)
        self.assertFalse(self._log(delivery))

    def test_scan_to_transfer_refuses_bad_input(self):
        Picking = self.env["stock.picking"]
        cases = [
            ((self.stock_location.id, ["DSP-CABLE", NUL_CODE], self.shelf.id),
             [NUL_SHOWN, "control character"]),
            ((self.stock_location.id, "DSP-CABLE", self.shelf.id),
             ["must be a list of codes"]),
            ((self.stock_location.id, ["DSP-CABLE"] * 10001, self.shelf.id),
             ["Too many codes"]),
            ((str(self.stock_location.id), ["DSP-CABLE"], self.shelf.id),
             ["The source location", "is not a record id"]),
            ((self.stock_location.id, ["DSP-CABLE"], "\x00"),
             ["The destination location", "is not a record id"]),
        ]
        for args, fragments in cases:
            with self.subTest(args=str(args)[:60]), self.assertNoLogs(level="WARNING"), \
                    self.assertChangesNothing(), self.assertRefused(UserError, *fragments):
                Picking.serial_transfer_create(*args)

    def test_returns_refuse_bad_codes(self):
        Picking = self.env["stock.picking"]
        for method in (Picking.serial_return_lookup, Picking.serial_return_create):
            for code, fragment in ((NUL_CODE, NUL_SHOWN), (7, "must be text, not 7"),
                                   ("", "is empty")):
                with self.subTest(method=method.__name__, code=code), \
                        self.assertNoLogs(level="WARNING"), self.assertChangesNothing(), \
                        self.assertRefused(UserError, fragment):
                    method(code)

    def test_scan_to_order_refuses_bad_input(self):
        SaleOrder = self.env["sale.order"]
        count = SaleOrder.search_count([])
        cases = [
            ((self.customer.id, [NUL_CODE]), [NUL_SHOWN, "control character"]),
            ((str(self.customer.id), ["DSP-CABLE"]), ["The customer", "not a record id"]),
            ((self.customer.id, ["DSP-CABLE"], "main"), ["The warehouse", "not a record id"]),
            ((self.customer.id, None), ["must be a list of codes"]),
        ]
        for args, fragments in cases:
            with self.subTest(args=args), self.assertNoLogs(level="WARNING"), \
                    self.assertChangesNothing(), self.assertRefused(UserError, *fragments):
                SaleOrder.serial_order_create(*args)
        self.assertEqual(SaleOrder.search_count([]), count)

    def test_scan_wizards_refuse_garbled_codes_before_storing_them(self):
        Wizard = self.env["serial.scan.wizard"]
        values = {"order": {"partner_id": self.customer.id},
                  "transfer": {"source_location_id": self.stock_location.id,
                               "destination_location_id": self.shelf.id},
                  "return": {}}
        for mode, extra in values.items():
            with self.subTest(mode=mode), self.assertNoLogs(level="WARNING"), \
                    self.assertChangesNothing(), self.assertRefused(UserError, NUL_SHOWN):
                Wizard.create({"mode": mode, "codes": f"DSP-CABLE\n{NUL_CODE}\n", **extra})
        wizard = Wizard.create({"mode": "transfer", "codes": "DSP-CABLE",
                                **values["transfer"]})
        with self.assertChangesNothing(), self.assertRefused(UserError, "too long"):
            wizard.write({"codes": "DSP-CABLE\n" + "9" * 300})
        self.assertEqual(wizard.codes, "DSP-CABLE")
