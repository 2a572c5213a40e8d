import itertools
import json

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, tagged

from .common import GTIN, DispatchCase

_uids = itertools.count(1)


@tagged("post_install", "-at_install")
class TestScanDeliver(DispatchCase):
    """The Deliver operation of the Inventory Scanner, through the core's public API (the
    way its screen calls it): the dispatch rules, the operation type's rules, the buttons."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operations = cls.env["serial.scan.operation"]
        cls.shelf.barcode = "DSP-SHELF"
        cls.picking_type_out.write({"serial_scan_allow_extra": False,
                                    "serial_scan_require_location": False})

    def deliver(self, picking, code, client_uid=None):
        return self.operations.scan("deliver", picking.id if picking else False, code,
                                    client_uid or f"deliver-{next(_uids)}")

    def action(self, picking, name, **params):
        return self.operations.scan_action("deliver", picking.id, name, params)

    def state(self, picking):
        return self.operations.scan_state("deliver", picking.id)

    def lines(self, state):
        return [(line["product_name"], line["ordered"], line["scanned"], line["serials"])
                for line in state["lines"]]

    def deliver_log(self, picking):
        return self.env["serial.scan"].search(
            [("picking_id", "=", picking.id), ("operation", "=", "deliver")], order="id")

    def test_ready_deliveries_and_a_reference_opening_one(self):
        delivery = self._ready_delivery()
        receipt = self._create_picking(self.picking_type_in, self.supplier_location,
                                       self.stock_location, [(self.cable, 1)])
        home = self.operations.scan_state("deliver", False)
        json.dumps(home)
        self.assertIn(delivery.id, [ready["id"] for ready in home["deliveries"]])
        self.assertNotIn(receipt.id, [ready["id"] for ready in home["deliveries"]])
        refused = self.deliver(False, receipt.name)
        self.assertEqual((refused["result"], refused["record_id"]), ("refused", False))
        self.assertIn("not a delivery order", refused["message"])
        self.assertIn(receipt.name, refused["message"])
        opened = self.deliver(False, delivery.name)
        self.assertEqual((opened["result"], opened["record_id"]), ("accepted", delivery.id))
        state = opened["state"]
        self.assertEqual((state["name"], state["prompt"], state["can_scan"]),
                         (delivery.name, "Start scanning now!", True))
        self.assertEqual(self.lines(state), [("Dispatch Phone", 3.0, 0.0, []),
                                             ("Dispatch Cable", 2.0, 0.0, [])])
        self.assertEqual(state["rules"]["allow_extra"], False)
        # A delivery's reference once it is open is not a unit of it.
        self.assertIn("is a transfer", self.deliver(delivery, delivery.name)["message"])

    def test_units_follow_the_dispatch_rules(self):
        delivery = self._ready_delivery()
        other = self._ready_delivery([(self.phone, 1)])
        lot_1, lot_2 = self.phone_lots[0], self.phone_lots[1]
        answer = self.deliver(delivery, lot_1.name)
        self.assertEqual(answer["result"], "accepted", answer["message"])
        self.assertEqual(self.lines(answer["state"])[0], ("Dispatch Phone", 3.0, 1.0,
                                                          [lot_1.name]))
        self.assertAccepted(self.deliver(delivery, f"(01){GTIN}(21){lot_2.name}"))
        self.assertAccepted(self.deliver(delivery, "DSP-CABLE"))
        before = self.state(delivery)["lines"]
        cases = [
            (lot_1.name, [lot_1.name, "already scanned on this delivery"]),
            ("DSP-PH-AWAY", ["DSP-PH-AWAY", "not in stock"]),
            (GTIN, ["serial number", "scan the serial"]),
            ("DSP-BATTERY", ["not in this order"]),
            ("NO-SUCH-CODE", ["Unknown code NO-SUCH-CODE"]),
        ]
        for code, fragments in cases:
            with self.subTest(code=code), self.assertChangesNothing():
                self.assertRefusedScan(self.deliver(delivery, code), *fragments)
        self.assertEqual(self.state(delivery)["lines"], before)
        # One open dispatch per serial, whether the dialog or the scanner scanned it.
        self.assertRefusedScan(self._scan(other, lot_1.name), lot_1.name, delivery.name)
        self.assertAccepted(self._scan(other, self.phone_lots[3].name))
        self.assertRefusedScan(self.deliver(delivery, self.phone_lots[3].name),
                               self.phone_lots[3].name, other.name)
        log = self.deliver_log(delivery)
        self.assertEqual(log.filtered("open").lot_id, lot_1 | lot_2)
        self.assertEqual(set(log.filtered("open").mapped("hold")), {"dispatch"})
        self.assertEqual(log.filtered(lambda scan: scan.lot_id == lot_1).move_id.product_id,
                         self.phone)

    def test_dialog_is_named_after_what_it_does(self):
        delivery = self._ready_delivery()
        action = delivery.action_serial_dispatch_open()
        # Its own Dispatch button writes the scans; the header button opening it scans.
        self.assertEqual(action["name"], f"Scan serials: {delivery.name}")

    def test_dialog_and_scanner_share_one_log(self):
        delivery = self._ready_delivery()
        self.assertAccepted(self._scan(delivery, self.phone_lots[0].name))
        self.assertAccepted(self.deliver(delivery, self.phone_lots[1].name))
        self.assertAccepted(self._scan(delivery, "DSP-CABLE"))
        self.assertEqual(self.lines(self.state(delivery))[0][2:],
                         (2.0, [self.phone_lots[0].name, self.phone_lots[1].name]))
        self.assertEqual(self._line(delivery, self.cable)["scanned"], 1.0)
        self.assertEqual(delivery.serial_scan_count, 3)
        self.assertEqual(self.deliver_log(delivery), delivery.serial_scan_ids.sorted("id"))
        action = delivery.action_open_serial_scans()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]),
                         delivery.serial_scan_ids)
        # A Dispatch from either is the other's.
        delivery.serial_dispatch_apply()
        self.assertTrue(self.state(delivery)["dispatched"])
        self.action(delivery, "rescan")
        self.assertEqual([line["scanned"] for line in delivery.serial_dispatch_state()["lines"]],
                         [0.0, 0.0])
        self.assertFalse(delivery.serial_dispatch_state()["dispatched"])

    def test_serial_on_a_transfer_being_scanned_is_refused(self):
        delivery = self._ready_delivery()
        lot = self.phone_lots[5]  # on the shelf
        opened = self.operations.scan("transfer", False, "DSP-SHELF", "deliver-transfer-1")
        answer = self.operations.scan("transfer", opened["record_id"], lot.name,
                                      "deliver-transfer-2")
        self.assertEqual(answer["result"], "accepted", answer["message"])
        transfer = self.env["stock.picking"].browse(opened["record_id"])
        with self.assertChangesNothing():
            self.assertRefusedScan(self.deliver(delivery, lot.name), lot.name, transfer.name)
            self.assertRefusedScan(self._scan(delivery, lot.name), lot.name, transfer.name)

    def test_check_lot_hook_and_reservations_apply(self):
        delivery = self._ready_delivery([(self.phone, 1)])
        blocked = self.phone_lots[4]

        def _serial_dispatch_check_lot(picking, lot):
            if lot == blocked:
                raise UserError(picking.env._("Serial %s is recalled.", lot.name))
            return True

        self.patch(type(self.env["stock.picking"]), "_serial_dispatch_check_lot",
                   _serial_dispatch_check_lot)
        self.assertRefusedScan(self.deliver(delivery, blocked.name), blocked.name, "recalled")
        reserved_elsewhere = delivery.move_line_ids.lot_id
        mine = self._ready_delivery([(self.phone, 1)])
        self.assertRefusedScan(self.deliver(mine, reserved_elsewhere.name),
                               reserved_elsewhere.name, "reserved for", delivery.name)

    def test_extra_units_follow_the_operation_type(self):
        delivery = self._ready_delivery([(self.phone, 1), (self.cable, 1)])
        self.assertAccepted(self.deliver(delivery, "DSP-CABLE"))
        with self.assertChangesNothing():
            self.assertRefusedScan(self.deliver(delivery, "DSP-CABLE"), "More Dispatch Cable",
                                   "1 ordered")
        cable_move = delivery.move_ids.filtered(lambda move: move.product_id == self.cable)
        with self.assertRefused(UserError, "More Dispatch Cable"), self.assertChangesNothing():
            self.action(delivery, "add_one", move_id=cable_move.id)
        with self.assertRefused(UserError, "More Dispatch Cable", "not 3"):
            self.action(delivery, "set_quantity", move_id=cable_move.id, quantity=3)
        self.picking_type_out.serial_scan_allow_extra = True
        extra = self.deliver(delivery, "DSP-CABLE")
        self.assertAccepted(extra)
        self.assertIn("more than ordered", extra["message"])
        self.assertAccepted(self.deliver(delivery, self.phone_lots[0].name))
        self.assertAccepted(self.deliver(delivery, self.phone_lots[1].name))
        state = self.action(delivery, "dispatch")
        self.assertEqual(self.lines(state), [
            ("Dispatch Phone", 1.0, 2.0, [self.phone_lots[0].name, self.phone_lots[1].name]),
            ("Dispatch Cable", 1.0, 2.0, [])])
        self.assertEqual(sorted((d["product_name"], d["extra"])
                                for d in state["dispatched"]["differences"]),
                         [("Dispatch Cable", 1.0), ("Dispatch Phone", 1.0)])
        self.assertEqual(delivery.move_line_ids.filtered("picked").lot_id,
                         self.phone_lots[:2])

    def test_source_location_scanned_first_when_required(self):
        self.picking_type_out.serial_scan_require_location = True
        delivery = self._ready_delivery()
        state = self.state(delivery)
        self.assertTrue(state["needs_location"])
        self.assertIn(self.stock_location.display_name, state["prompt"])
        with self.assertChangesNothing():
            self.assertRefusedScan(self.deliver(delivery, self.phone_lots[5].name),
                                   "Scan the source location", self.phone_lots[5].name)
        cable_move = delivery.move_ids.filtered(lambda move: move.product_id == self.cable)
        # No unit counted before the location: +1, a quantity typed by hand and Dispatch
        # alike (the screen's and the dialog's), nothing logged, nothing written.
        with self.assertChangesNothing(("stock_move", "stock_move_line", "stock_picking",
                                        "serial_scan")):
            for name, params in (("add_one", {"move_id": cable_move.id}),
                                 ("set_quantity", {"move_id": cable_move.id, "quantity": 2}),
                                 ("dispatch", {})):
                with self.subTest(action=name), self.assertRefused(
                        UserError, "Scan the source location", self.stock_location.display_name):
                    self.action(delivery, name, **params)
            with self.assertRefused(UserError, "Scan the source location"):
                delivery.serial_dispatch_set_quantity(cable_move.id, 2)
            with self.assertRefused(UserError, "Scan the source location"):
                delivery.serial_dispatch_apply()
        self.assertFalse(delivery.move_ids.filtered("picked"))
        self.other_warehouse_location.barcode = "DSP-AWAY"
        self.assertRefusedScan(self.deliver(delivery, "DSP-AWAY"), "Dispatch elsewhere",
                               "is not")
        answer = self.deliver(delivery, "DSP-SHELF")
        self.assertAccepted(answer)
        self.assertFalse(answer["state"]["needs_location"])
        self.assertEqual(answer["state"]["prompt"], "Start scanning now!")
        state = self.action(delivery, "set_quantity", move_id=cable_move.id, quantity=2)
        self.assertEqual(self.lines(state)[1], ("Dispatch Cable", 2.0, 2.0, []))
        # The units come from the scanned shelf now: a serial elsewhere in stock is refused.
        self.assertAccepted(self.deliver(delivery, self.phone_lots[5].name))
        self.assertRefusedScan(self.deliver(delivery, self.phone_lots[0].name),
                               self.phone_lots[0].name, "not in stock at", "Dispatch shelf")
        self.action(delivery, "rescan")
        self.assertTrue(self.state(delivery)["needs_location"])

    def test_manual_quantities_and_rescan(self):
        delivery = self._ready_delivery()
        cable_move = delivery.move_ids.filtered(lambda move: move.product_id == self.cable)
        phone_move = delivery.move_ids - cable_move
        state = self.action(delivery, "add_one", move_id=cable_move.id)
        self.assertEqual(self.lines(state)[1], ("Dispatch Cable", 2.0, 1.0, []))
        state = self.action(delivery, "set_quantity", move_id=cable_move.id, quantity=2)
        self.assertEqual(self.lines(state)[1], ("Dispatch Cable", 2.0, 2.0, []))
        manual = self.deliver_log(delivery).filtered(lambda scan: scan.kind == "manual")
        self.assertEqual(manual.mapped("quantity"), [1.0, 1.0])
        for params, message in (({"move_id": phone_move.id}, "tracked by serial"),
                                ({"move_id": 0}, "not an open line"),
                                ({"move_id": cable_move.id, "quantity": -1}, "negative"),
                                ({"move_id": cable_move.id, "quantity": "abc"},
                                 "not a quantity"),
                                ({"move": cable_move.id}, "not valid")):
            name = "set_quantity" if "quantity" in params else "add_one"
            with self.subTest(params=params), self.assertRefused(UserError, message), \
                    self.assertChangesNothing():
                self.action(delivery, name, **params)
        serial = self.phone_lots[0].name
        self.assertAccepted(self.deliver(delivery, serial))
        state = self.action(delivery, "rescan")
        self.assertEqual([line["scanned"] for line in state["lines"]], [0.0, 0.0])
        self.assertEqual(set(self.deliver_log(delivery).filtered(
            lambda scan: scan.quantity).mapped("result")), {"cleared"})
        other = self._ready_delivery([(self.phone, 1)])
        delivery.do_unreserve()
        self.assertAccepted(self.deliver(other, serial))

    def test_dispatch_then_deliver_with_odoo_backorder_wizard(self):
        delivery = self._ready_delivery()
        with self.assertRefused(UserError, "Dispatch", "first"):
            self.action(delivery, "deliver")
        lots = self.phone_lots[:2]
        for lot in lots:
            self.assertAccepted(self.deliver(delivery, lot.name))
        cable_move = delivery.move_ids.filtered(lambda move: move.product_id == self.cable)
        self.action(delivery, "set_quantity", move_id=cable_move.id, quantity=2)
        state = self.action(delivery, "dispatch")
        self.assertFalse(state["dispatched"]["complete"])
        self.assertEqual([(d["product_name"], d["missing"])
                          for d in state["dispatched"]["differences"]],
                         [("Dispatch Phone", 1.0)])
        self.assertEqual(self.state(delivery)["dispatched"], state["dispatched"])
        state = self.action(delivery, "deliver")
        action = state["client_action"]
        self.assertEqual(action["res_model"], "stock.backorder.confirmation")
        json.dumps(state)
        wizard = Form(self.env["stock.backorder.confirmation"].with_context(
            **action["context"])).save()
        wizard.process()
        self.assertEqual(delivery.state, "done")
        self.assertEqual(delivery.move_line_ids.filtered(
            lambda line: line.product_id == self.phone).lot_id, lots)
        self.assertEqual(delivery.backorder_ids.move_ids.product_uom_qty, 1.0)
        self.assertFalse(any(self.deliver_log(delivery).mapped("open")))
        done = self.state(delivery)
        self.assertFalse(done["can_scan"])
        self.assertIn("done", done["prompt"])
        self.assertRefusedScan(self.deliver(delivery, self.phone_lots[2].name), "done")

    def test_complete_dispatch_delivers_at_once(self):
        delivery = self._ready_delivery([(self.phone, 1)])
        self.assertAccepted(self.deliver(delivery, self.phone_lots[3].name))
        self.assertTrue(self.action(delivery, "dispatch")["dispatched"]["complete"])
        state = self.action(delivery, "deliver")
        self.assertTrue(state["delivered"])
        self.assertNotIn("client_action", state)
        self.assertEqual(delivery.state, "done")
        self.assertEqual(self.phone_lots[3].serial_state, "delivered")
        # A scan after Dispatch asks for Dispatch again.
        other = self._ready_delivery([(self.cable, 2)])
        self.assertAccepted(self.deliver(other, "DSP-CABLE"))
        self.action(other, "dispatch")
        self.assertAccepted(self.deliver(other, "DSP-CABLE"))
        self.assertFalse(self.state(other)["dispatched"])

    def test_another_company_delivery_is_refused(self):
        company_b = self.env["res.company"].create({"name": "Deliver Company B"})
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)])
        clerk = self.env["res.users"].create({
            "name": "Deliver Clerk", "login": "deliver_clerk",
            "company_id": self.env.company.id,
            "company_ids": [Command.set(self.env.company.ids)],
            "groups_id": [Command.set([self.env.ref("stock.group_stock_user").id])],
        })
        foreign = self.env["stock.picking"].create({
            "picking_type_id": warehouse_b.out_type_id.id,
            "location_id": warehouse_b.lot_stock_id.id,
            "location_dest_id": self.customer_location.id,
            "company_id": company_b.id,
        })
        operations = self.operations.with_user(clerk)
        self.assertNotIn(foreign.id, [ready["id"] for ready in
                                      operations.scan_state("deliver", False)["deliveries"]])
        with self.assertRaises(UserError):
            operations.scan("deliver", foreign.id, "DSP-CABLE", "deliver-foreign")


@tagged("post_install", "-at_install")
class TestScanDeliverTour(HttpCase):
    def _deliver_tour(self):
        """Open a ready delivery by its reference in the Inventory Scanner, scan through
        Odoo's barcode service, +1 and a typed quantity, Dispatch, Deliver with a backorder;
        check the stock and the log after."""
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        env.company.serial_pattern_id = False
        stock = env.ref("stock.stock_location_stock")
        customers = env.ref("stock.stock_location_customers")
        customer = env["res.partner"].create({"name": "Tour Deliver Customer"})
        phone = env["product.product"].create({
            "name": "Tour Deliver Phone", "is_storable": True, "tracking": "serial",
            "barcode": GTIN})
        cable = env["product.product"].create(
            {"name": "Tour Deliver Cable", "is_storable": True, "barcode": "TOUR-DL-CABLE"})
        lots = env["stock.lot"].create([
            {"name": f"TOUR-DL-00{index}", "product_id": phone.id,
             "company_id": env.company.id} for index in (1, 2, 3)])
        for lot in lots:
            env["stock.quant"]._update_available_quantity(phone, stock, 1, lot_id=lot)
        env["stock.quant"]._update_available_quantity(cable, stock, 5)
        # Only this delivery is ready: the list shows it (other tests' leave none).
        env["stock.picking"].search([("picking_type_code", "=", "outgoing"),
                                     ("state", "=", "assigned")]).do_unreserve()
        delivery = env["stock.picking"].create({
            "picking_type_id": env.ref("stock.picking_type_out").id,
            "partner_id": customer.id,
            "location_id": stock.id,
            "location_dest_id": customers.id,
            "move_ids": [Command.create({
                "name": product.name, "product_id": product.id, "product_uom_qty": quantity,
                "product_uom": product.uom_id.id, "location_id": stock.id,
                "location_dest_id": customers.id,
            }) for product, quantity in ((phone, 3), (cable, 2))],
        })
        delivery.action_confirm()
        delivery.action_assign()
        self.assertEqual(delivery.state, "assigned")

        self.start_tour("/odoo/action-serial_inventory_scan.action_serial_scanner",
                        "serial_inventory_dispatch_deliver_tour", login="admin")

        self.env.invalidate_all()
        self.assertEqual(delivery.state, "done")
        self.assertEqual(delivery.move_line_ids.filtered(
            lambda line: line.product_id == phone).lot_id, lots[:2])
        for lot in lots[:2]:
            self.assertEqual(lot.serial_state, "delivered")
            self.assertEqual(lot.serial_customer_id, customer)
        self.assertEqual(env["stock.quant"]._get_available_quantity(cable, stock), 3)
        backorder = delivery.backorder_ids
        self.assertEqual([(move.product_id, move.product_uom_qty) for move in backorder.move_ids],
                         [(phone, 1.0)])
        log = env["serial.scan"].search([("picking_id", "=", delivery.id)], order="id")
        self.assertEqual(
            [(scan.code, scan.result, scan.kind) for scan in log],
            [(delivery.name, "accepted", "scan"), ("TOUR-DL-001", "accepted", "scan"),
             ("NO-SUCH-CODE-43", "refused", "scan"), ("TOUR-DL-001", "refused", "scan"),
             ("+1", "accepted", "manual"), ("Quantity set to 2", "accepted", "manual"),
             (f"(01){GTIN}(21)TOUR-DL-002", "accepted", "scan")])
        self.assertFalse(any(log.mapped("open")))

    def test_deliver_tour_phone(self):
        self.browser_size = "390x844"
        self.touch_enabled = True
        self._deliver_tour()

    def test_deliver_tour_desktop(self):
        self._deliver_tour()
