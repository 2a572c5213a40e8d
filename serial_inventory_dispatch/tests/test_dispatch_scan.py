import json

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import GTIN, DispatchCase


@tagged("post_install", "-at_install")
class TestDispatchScan(DispatchCase):
    def _log(self, picking):
        return self.env["serial.scan"].search(
            [("picking_id", "=", picking.id)], order="id")

    def test_state_lists_lines_and_prompt(self):
        delivery = self._ready_delivery()
        state = delivery.serial_dispatch_state()
        json.dumps(state)  # the dialog receives it as JSON
        self.assertTrue(state["can_scan"])
        self.assertEqual(state["prompt"], "Start scanning now!")
        self.assertEqual(state["picking"]["name"], delivery.name)
        self.assertEqual(
            [(line["product_name"], line["ordered"], line["scanned"], line["serials"])
             for line in state["lines"]],
            [("Dispatch Phone", 3.0, 0.0, []), ("Dispatch Cable", 2.0, 0.0, [])])
        self.assertEqual([line["editable"] for line in state["lines"]], [False, True])
        action = delivery.action_serial_dispatch_open()
        self.assertEqual((action["type"], action["target"], action["params"]),
                         ("ir.actions.client", "new", {"picking_id": delivery.id}))

    def test_product_barcode_adds_one_unit(self):
        delivery = self._ready_delivery()
        result = self._scan(delivery, "DSP-CABLE")
        json.dumps(result)
        self.assertAccepted(result)
        self.assertEqual((result["line"]["scanned"], result["quantity"]), (1.0, 1.0))
        self.assertAccepted(self._scan(delivery, "DSP-CABLE"))
        self.assertEqual(self._line(delivery, self.cable)["scanned"], 2.0)
        scan = self._log(delivery)[0]
        self.assertEqual(
            (scan.user_id, scan.code, scan.result, scan.product_id, scan.quantity, scan.open),
            (self.env.user, "DSP-CABLE", "accepted", self.cable, 1.0, False))
        self.assertTrue(scan.create_date)

    def test_serial_and_gs1_scans_assign_units_to_their_line(self):
        delivery = self._ready_delivery()
        lot_1, lot_2, lot_6 = self.phone_lots[0], self.phone_lots[1], self.phone_lots[5]
        result = self._scan(delivery, lot_1.name)
        self.assertAccepted(result)
        self.assertEqual(result["serial"], lot_1.name)
        self.assertIn(lot_1.name, result["message"])
        self.assertAccepted(self._scan(delivery, f"(01){GTIN}(21){lot_2.name}"))
        # In stock on a shelf under the source location: accepted too.
        self.assertAccepted(self._scan(delivery, lot_6.name))
        line = self._line(delivery, self.phone)
        self.assertEqual((line["scanned"], line["serials"]),
                         (3.0, [lot_1.name, lot_2.name, lot_6.name]))
        scans = self._log(delivery)
        self.assertEqual(scans.lot_id, lot_1 | lot_2 | lot_6)
        self.assertTrue(all(scans.mapped("open")))
        self.assertEqual(scans[1].code, f"(01){GTIN}(21){lot_2.name}")

    def test_refusals_say_why_and_change_nothing_but_the_log(self):
        other = self.env["product.product"].create(
            {"name": "Dispatch Stranger", "is_storable": True, "barcode": "DSP-STRANGER"})
        delivery = self._ready_delivery([(self.phone, 3), (self.cable, 2), (self.battery, 1)])
        self.assertAccepted(self._scan(delivery, self.phone_lots[0].name))
        before = delivery.serial_dispatch_state()["lines"]
        cases = [
            ("NO-SUCH-CODE", ["Unknown code NO-SUCH-CODE"]),
            ("DSP-STRANGER", ["Dispatch Stranger", "not in this order", delivery.name]),
            (self.phone_lots[0].name, [self.phone_lots[0].name, "already scanned on this"]),
            ("DSP-PH-AWAY", ["DSP-PH-AWAY", "not in stock"]),
            (GTIN, ["serial number", "scan the serial"]),
            ("DSP-BATTERY", ["tracked by lot"]),
            (f"(01){GTIN}(21)NOT-A-SERIAL", ["Unknown serial NOT-A-SERIAL"]),
            ("", ["empty"]),
        ]
        for code, fragments in cases:
            with self.subTest(code=code):
                self.assertRefusedScan(self._scan(delivery, code), *fragments)
        self.assertEqual(delivery.serial_dispatch_state()["lines"], before)
        refused = self._log(delivery).filtered(lambda scan: scan.result == "refused")
        self.assertEqual(len(refused), len(cases))
        self.assertFalse(any(refused.mapped("open")))
        self.assertEqual(refused.filtered(lambda s: s.code == "DSP-STRANGER").product_id, other)
        self.assertFalse(any(delivery.move_line_ids.mapped("picked")))

    def test_more_than_ordered_is_refused(self):
        delivery = self._ready_delivery([(self.phone, 1), (self.cable, 1)])
        self.assertAccepted(self._scan(delivery, "DSP-CABLE"))
        self.assertRefusedScan(self._scan(delivery, "DSP-CABLE"), "More Dispatch Cable",
                               "1 ordered")
        self.assertAccepted(self._scan(delivery, self.phone_lots[0].name))
        result = self._scan(delivery, self.phone_lots[1].name)
        self.assertRefusedScan(result, "More Dispatch Phone than ordered")
        self.assertFalse(self._log(delivery).filtered(
            lambda scan: scan.lot_id == self.phone_lots[1]).open)

    def test_serial_held_by_another_open_dispatch(self):
        first = self._ready_delivery([(self.phone, 1)])
        second = self._ready_delivery([(self.phone, 1)])
        serial = self.phone_lots[3].name
        self.assertAccepted(self._scan(first, serial))
        self.assertRefusedScan(self._scan(second, serial), serial, first.name)
        # A cancelled dispatch releases its serials.
        first.action_cancel()
        self.assertFalse(self._log(first).open)
        self.assertAccepted(self._scan(second, serial))

    def test_stale_open_scan_of_a_finished_picking_is_released(self):
        first = self._ready_delivery([(self.phone, 1)])
        second = self._ready_delivery([(self.phone, 1)])
        serial = self.phone_lots[2].name
        self.assertAccepted(self._scan(first, serial))
        # The picking ended by a path that did not release the scan.
        self.env.flush_all()
        self.env.cr.execute("UPDATE stock_picking SET state = 'cancel' WHERE id = %s",
                            [first.id])
        self.env.invalidate_all()
        self.assertAccepted(self._scan(second, serial))
        self.assertFalse(self._log(first).open)

    def test_check_lot_hook_refuses(self):
        delivery = self._ready_delivery()
        blocked = self.phone_lots[4]

        def _serial_dispatch_check_lot(picking, lot):
            if lot == blocked:
                raise UserError(picking.env._("Serial %s is recalled.", lot.name))
            return True

        self.patch(type(self.env["stock.picking"]), "_serial_dispatch_check_lot",
                   _serial_dispatch_check_lot)
        self.assertRefusedScan(self._scan(delivery, blocked.name), blocked.name, "recalled")
        self.assertAccepted(self._scan(delivery, self.phone_lots[0].name))

    def test_recalled_serial_is_refused_when_recalls_exist(self):
        delivery = self._ready_delivery()
        lot, later = self.phone_lots[0], self.phone_lots[1]
        if "serial_recall_id" not in lot._fields:
            # serial_inventory without recalls: the hook accepts every unit.
            self.assertAccepted(self._scan(delivery, lot.name))
            return
        recall = self.env[lot._fields["serial_recall_id"].comodel_name].create(
            {"reason": "Battery overheating"})
        lot.serial_recall_id = recall
        self.assertRefusedScan(self._scan(delivery, lot.name), lot.name, "under recall",
                               recall.name)
        # A unit recalled after its scan is not written on the delivery by Dispatch.
        self.assertAccepted(self._scan(delivery, later.name))
        later.serial_recall_id = recall
        result = delivery.serial_dispatch_apply()
        phone = next(d for d in result["differences"] if d["product_name"] == "Dispatch Phone")
        self.assertEqual(phone["unavailable_serials"], [later.name])
        self.assertNotIn(later, delivery.move_line_ids.filtered("picked").lot_id)

    def test_retried_scan_returns_the_stored_result_and_counts_once(self):
        delivery = self._ready_delivery()
        first = self._scan(delivery, "DSP-CABLE", "retry-1")
        again = self._scan(delivery, "DSP-CABLE", "retry-1")
        self.assertAccepted(again)
        self.assertTrue(again["duplicate"])
        self.assertEqual(again["scan_id"], first["scan_id"])
        self.assertEqual(self._line(delivery, self.cable)["scanned"], 1.0)
        refused = self._scan(delivery, "NOPE", "retry-2")
        self.assertEqual(self._scan(delivery, "NOPE", "retry-2")["message"], refused["message"])
        self.assertEqual(len(self._log(delivery)), 2)
        with self.assertRaises(UserError):
            delivery.serial_dispatch_scan("DSP-CABLE", "")

    def test_typed_serial_where_scans_are_mandatory(self):
        """The dialog's typed entry follows the operation type's rules as the scanner's
        does: a serial typed where they must be scanned needs an inventory manager's
        reason, logged with who typed it."""
        self.picking_type_out.serial_scan_policy = "mandatory"
        delivery = self._ready_delivery()
        clerk = new_test_user(self.env, "dispatch_typing_clerk",
                              groups="stock.group_stock_user")
        as_clerk = delivery.with_user(clerk)
        state = as_clerk.serial_dispatch_state()
        self.assertEqual((state["rules"]["policy"], state["can_override"]), ("mandatory", False))
        self.assertTrue(delivery.serial_dispatch_state()["can_override"])
        serial = self.phone_lots[0].name
        refusals = (
            (as_clerk, {"typed": True}, ["scan the label of", serial]),
            (as_clerk, {"typed": True, "reason": "Label torn"}, ["Only an inventory manager"]),
            (delivery, {"typed": True}, ["give a reason", serial]),
            (delivery, {"reason": "Label torn"}, ["typed serial only"]),
        )
        for picking, options, fragments in refusals:
            with self.subTest(user=picking.env.user.login, options=options), \
                    self.assertChangesNothing():
                result = picking.serial_dispatch_scan(serial, self._uid(), False, options)
                self.assertRefusedScan(result, *fragments)
        self.assertEqual(self._line(delivery, self.phone)["scanned"], 0.0)
        with self.assertChangesNothing(), self.assertRefused(UserError, "true or false"):
            delivery.serial_dispatch_scan(serial, self._uid(), False, {"typed": "yes"})

        # Scanned, the serial counts; typed, the product barcode of an untracked line too.
        self.assertAccepted(as_clerk.serial_dispatch_scan(self.phone_lots[1].name, self._uid()))
        self.assertAccepted(as_clerk.serial_dispatch_scan("DSP-CABLE", self._uid(), False,
                                                          {"typed": True}))
        typed = delivery.serial_dispatch_scan(serial, self._uid(), False,
                                              {"typed": True, "reason": "Label torn"})
        self.assertAccepted(typed)
        row = self._log(delivery).filtered(lambda scan: scan.lot_id == self.phone_lots[0])
        self.assertEqual((row.result, row.typed, row.override_reason, row.user_id),
                         ("accepted", True, "Label torn", self.env.user))
        self.assertEqual(self._log(delivery).filtered("typed").mapped("result"),
                         ["refused", "refused", "refused", "accepted", "accepted"])

    def test_rescan_clears_this_dispatch(self):
        delivery = self._ready_delivery()
        other = self._ready_delivery([(self.phone, 1)])
        serial = self.phone_lots[0].name
        self.assertAccepted(self._scan(delivery, serial))
        self.assertAccepted(self._scan(delivery, "DSP-CABLE"))
        delivery.serial_dispatch_apply()
        state = delivery.serial_dispatch_rescan()
        self.assertEqual([line["scanned"] for line in state["lines"]], [0.0, 0.0])
        self.assertEqual(set(self._log(delivery).mapped("result")), {"cleared"})
        self.assertFalse(any(delivery.move_ids.mapped("picked")))
        # Odoo's reservation of the serial for this delivery stays (it would refuse the scan
        # elsewhere, see test_takeover): release it to see the dispatch's hold is gone.
        delivery.do_unreserve()
        # The serial is free again.
        self.assertAccepted(self._scan(other, serial))

    def test_manual_quantity(self):
        delivery = self._ready_delivery()
        cable_move = delivery.move_ids.filtered(lambda move: move.product_id == self.cable)
        phone_move = delivery.move_ids - cable_move
        result = delivery.serial_dispatch_set_quantity(cable_move.id, 2)
        self.assertEqual(result["line"]["scanned"], 2.0)
        self.assertAccepted(self._scan(delivery, "DSP-PH-001"))
        delivery.serial_dispatch_set_quantity(cable_move.id, 1)
        self.assertEqual(self._line(delivery, self.cable)["scanned"], 1.0)
        manual = self._log(delivery).filtered(lambda scan: scan.kind == "manual")
        self.assertEqual(manual.mapped("quantity"), [2.0, -1.0])
        for move, quantity, message in ((phone_move, 1, "tracked by serial"),
                                        (cable_move, -1, "negative"),
                                        (cable_move, "abc", "not a quantity")):
            with self.subTest(quantity=quantity), self.assertRefused(UserError, message):
                delivery.serial_dispatch_set_quantity(move.id, quantity)
        self.assertEqual(self._line(delivery, self.cable)["scanned"], 1.0)

    def test_apply_writes_scans_on_move_lines_and_reports_differences(self):
        delivery = self._ready_delivery()
        phone_move = delivery.move_ids.filtered(lambda move: move.product_id == self.phone)
        reserved = phone_move.move_line_ids.lot_id
        self.assertEqual(len(reserved), 3)
        kept = reserved[0]
        unreserved = (self.phone_lots - reserved)[0]
        self.assertAccepted(self._scan(delivery, kept.name))
        self.assertAccepted(self._scan(delivery, unreserved.name))
        self.assertAccepted(self._scan(delivery, "DSP-CABLE"))
        result = delivery.serial_dispatch_apply()
        json.dumps(result)
        self.assertFalse(result["complete"])
        self.assertEqual(
            sorted((d["product_name"], d["ordered"], d["applied"], d["missing"], d["extra"])
                   for d in result["differences"]),
            [("Dispatch Cable", 2.0, 1.0, 1.0, 0.0), ("Dispatch Phone", 3.0, 2.0, 1.0, 0.0)])
        picked = phone_move.move_line_ids.filtered("picked")
        self.assertEqual(picked.lot_id, kept | unreserved)
        self.assertEqual(picked.mapped("quantity"), [1.0, 1.0])
        # Odoo's reservation moved to the scanned serial.
        quant = self.env["stock.quant"].search(
            [("lot_id", "=", unreserved.id), ("quantity", ">", 0)])
        self.assertEqual(quant.reserved_quantity, 1.0)

        # Deliver: Odoo's validation asks about the backorder.
        action = delivery.button_validate()
        self.assertEqual(action["res_model"], "stock.backorder.confirmation")
        wizard = self.env["stock.backorder.confirmation"].with_context(
            **action["context"]).create({})
        wizard.process()
        self.assertEqual(delivery.state, "done")
        self.assertEqual(delivery.move_line_ids.lot_id, kept | unreserved)
        for lot in kept | unreserved:
            self.assertEqual(lot.serial_state, "delivered")
            self.assertEqual(lot.serial_customer_id, self.customer)
        backorder = delivery.backorder_ids
        self.assertEqual(
            sorted((m.product_id.name, m.product_uom_qty) for m in backorder.move_ids),
            [("Dispatch Cable", 1.0), ("Dispatch Phone", 1.0)])
        # The delivered serials are no longer held by a dispatch.
        self.assertFalse(any(self._log(delivery).mapped("open")))
        self.assertRefusedScan(self._scan(delivery, "DSP-CABLE"), "done")

    def test_complete_dispatch_delivers_without_wizard(self):
        delivery = self._ready_delivery([(self.phone, 2), (self.cable, 3), (self.battery, 2)])
        serials = self.phone_lots[4:6]
        for code in [*serials.mapped("name"), "DSP-CABLE", "DSP-CABLE", "DSP-BAT-LOT1",
                     "DSP-BAT-LOT1"]:
            self.assertAccepted(self._scan(delivery, code))
        cable_move = delivery.move_ids.filtered(lambda move: move.product_id == self.cable)
        delivery.serial_dispatch_set_quantity(cable_move.id, 3)
        result = delivery.serial_dispatch_apply()
        self.assertTrue(result["complete"], result["differences"])
        self.assertEqual(delivery.button_validate(), True)
        self.assertEqual(delivery.state, "done")
        self.assertEqual(delivery.move_line_ids.filtered(
            lambda ml: ml.product_id == self.phone).lot_id, serials)
        customer_quants = self.env["stock.quant"].search([
            ("location_id", "=", self.customer_location.id),
            ("product_id", "in", (self.phone | self.cable | self.battery).ids),
            ("quantity", ">", 0)])
        self.assertEqual(
            sorted((q.product_id.name, q.lot_id.name or "", q.quantity) for q in customer_quants
                   if q.lot_id in serials or q.product_id != self.phone),
            [("Dispatch Battery", "DSP-BAT-LOT1", 2.0), ("Dispatch Cable", "", 3.0),
             ("Dispatch Phone", serials[0].name, 1.0), ("Dispatch Phone", serials[1].name, 1.0)])

    def test_apply_reports_serials_no_longer_in_stock(self):
        delivery = self._ready_delivery([(self.phone, 1)])
        lot = (self.phone_lots - delivery.move_line_ids.lot_id)[0]
        self.assertAccepted(self._scan(delivery, lot.name))
        # The unit leaves the location by another way after it was scanned.
        quant = self.env["stock.quant"].search([("lot_id", "=", lot.id), ("quantity", ">", 0)])
        self.env["stock.quant"]._update_available_quantity(self.phone, quant.location_id, -1,
                                                           lot_id=lot)
        result = delivery.serial_dispatch_apply()
        self.assertEqual(result["differences"][0]["unavailable_serials"], [lot.name])
        self.assertEqual(result["differences"][0]["missing"], 1.0)
        self.assertFalse(delivery.move_line_ids.filtered("picked"))

    def test_only_open_deliveries_can_be_scanned(self):
        receipt = self._create_receipt([(self.cable, 1)])
        self.assertRefusedScan(self._scan(receipt, "DSP-CABLE"), "not a delivery order")
        with self.assertRefused(UserError, "not a delivery order"):
            receipt.action_serial_dispatch_open()
        delivery = self._ready_delivery()
        delivery.action_cancel()
        state = delivery.serial_dispatch_state()
        self.assertFalse(state["can_scan"])
        self.assertIn("cannot be scanned", state["prompt"])
        with self.assertRefused(UserError, "cannot be scanned"):
            delivery.serial_dispatch_apply()
