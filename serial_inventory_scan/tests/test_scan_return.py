from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.serial_inventory.tests.common import run_hoot_suite

from .common import ScanCase


@tagged("post_install", "-at_install")
class TestScanReturn(ScanCase):
    """Return through the core's public entry points (scan, scan_state, scan_action,
    scan_apply), the way the screen calls them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_customer = cls.env["res.partner"].create({"name": "Other Return Customer"})
        cls.return_type = (cls.picking_type_out.return_picking_type_id
                           or cls.picking_type_out)
        # Odoo's return posts a note on the new transfer as its user.
        cls.clerk.email = "scan.clerk@example.com"

    def deliver(self, names, partner=None):
        lots = self.env["stock.lot"].browse([self.lots[name].id for name in names])
        delivery = self._create_delivery([(self.product, len(lots))], partner)
        delivery.move_line_ids.unlink()
        move = delivery.move_ids
        move.write({"move_line_ids": [Command.create({
            **move._prepare_move_line_vals(quantity=1),
            "lot_id": lot.id, "quantity": 1, "location_id": lot.quant_ids.filtered(
                lambda quant: quant.quantity > 0).location_id.id,
        }) for lot in lots]})
        return self._validate(delivery)

    def state(self, env=None):
        return (env or self.env)["serial.scan.operation"].scan_state("return", False)

    def apply(self, env=None):
        return (env or self.env)["serial.scan.operation"].scan_apply("return", False)

    def returns_of(self, delivery):
        return self.env["stock.picking"].search([("return_id", "=", delivery.id)])

    def test_scan_finds_the_delivery_and_customer(self):
        delivery = self.deliver(["SC-1", "SC-2"])
        answer = self.scan("return", False, "SC-1")
        self.assertEqual(answer["result"], "accepted", answer["message"])
        self.assertEqual(answer["message"],
                         f"SC-1 comes back from {delivery.name} (Serial Test Customer).")
        [unit] = answer["state"]["units"]
        self.assertEqual(
            (unit["serial"], unit["product"], unit["delivery"], unit["customer"],
             unit["recall"], unit["problem"]),
            ("SC-1", "Scanned Drill", delivery.name, "Serial Test Customer", "", ""))
        self.assertTrue(answer["state"]["can_apply"])
        scan = self.env["serial.scan"].browse(answer["scan_id"])
        self.assertEqual((scan.res_model, scan.res_id, scan.open, scan.hold),
                         ("res.users", self.env.uid, True, "return"))

    def test_refusals_name_the_reason(self):
        delivery = self.deliver(["SC-1"])
        self.scan("return", False, "SC-1")
        never = self.env["stock.lot"].create({"name": "SC-NEVER", "product_id": self.product.id})
        self.assertTrue(never)
        for code, fragment in (
            ("SC-1", "Serial SC-1 is already in this return: it counts once."),
            ("SC-9", "Serial SC-9 is in stock at WH/Stock/Scan Other, not at a customer"),
            ("SC-NEVER", "Serial SC-NEVER was never delivered: there is nothing to return."),
            ("5400000000010", "scan the serial of each returned unit of Scanned Drill"),
            ("NO-SUCH-CODE", "Unknown code NO-SUCH-CODE"),
            ("SC-1\x00", "contains the control character \\x00 at position 5"),
            (self.customer_location.complete_name,
             "Partners/Customers is not a stock location"),
        ):
            with self.subTest(code=code), self.assertChangesNothing():
                rows = self.scan_rows()
                answer = self.scan("return", False, code)
                self.assertEqual(answer["result"], "refused")
                self.assertIn(fragment, answer["message"])
                self.assertEqual(self.scan_rows(), rows + 1, "the refusal is logged")
        self.assertEqual([unit["serial"] for unit in self.state()["units"]], ["SC-1"])
        self.assertFalse(self.returns_of(delivery))

    def test_already_returned_or_return_pending(self):
        delivery = self.deliver(["SC-1", "SC-2"])
        self.scan("return", False, "SC-1")
        [applied] = self.apply()["applied"]
        # A return made in Odoo, not validated yet, already takes SC-2 back.
        wizard = self.env["stock.return.picking"].with_context(
            active_id=delivery.id, active_model="stock.picking").create(
            {"picking_id": delivery.id})
        wizard.product_return_moves.quantity = 1
        pending = wizard._create_return()
        pending.move_ids.move_line_ids.unlink()
        pending.move_ids.write({"move_line_ids": [Command.create({
            **pending.move_ids._prepare_move_line_vals(quantity=1),
            "lot_id": self.lots["SC-2"].id, "quantity": 1})]})
        for code, fragment in (
            ("SC-1", f"Serial SC-1 was already returned ({applied['name']})."),
            ("SC-2", f"Serial SC-2 is already on return {pending.name}, not yet validated."),
        ):
            with self.subTest(code=code), self.assertChangesNothing():
                answer = self.scan("return", False, code)
                self.assertEqual(answer["result"], "refused")
                self.assertEqual(answer["message"], fragment)

    def test_another_companys_delivery_refused(self):
        other = self.env["res.company"].create({"name": "Other Return Company"})
        self.env.user.company_ids |= other
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", other.id)])
        # A unit with no company (shared), delivered by the other company.
        lot = self.env["stock.lot"].create({"name": "SC-SHARED", "product_id": self.product.id})
        lot.company_id = False
        env = self.env(context=dict(self.env.context, allowed_company_ids=other.ids))
        env["stock.quant"]._update_available_quantity(
            self.product, warehouse.lot_stock_id, 1, lot_id=lot)
        delivery = env["stock.picking"].create({
            "picking_type_id": warehouse.out_type_id.id,
            "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": self.customer_location.id,
            "partner_id": self.customer.id,
            "move_ids": [Command.create({
                "name": "shared", "product_id": self.product.id, "product_uom_qty": 1,
                "product_uom": self.uom_unit.id, "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": self.customer_location.id})],
        })
        delivery.action_confirm()
        self._choose_serials(delivery, lot)
        self._validate(delivery)
        clerk_env = self.env(user=self.clerk)
        with self.assertChangesNothing():
            answer = self.scan("return", False, "SC-SHARED", env=clerk_env)
        self.assertEqual(answer["result"], "refused")
        self.assertEqual(answer["message"], "Serial SC-SHARED was delivered by another "
                         "company: it cannot be returned here.")
        self.assertNotIn(other.name, answer["message"])
        # A user of both companies returns it (into the other company's warehouse).
        self.assertEqual(self.scan("return", False, "SC-SHARED")["result"], "accepted")
        [applied] = self.apply()["applied"]
        returned = self.env["stock.picking"].browse(applied["id"])
        self.assertEqual((returned.company_id, returned.state), (other, "done"))

    def test_held_by_another_users_return(self):
        self.deliver(["SC-1"])
        self.scan("return", False, "SC-1")
        clerk_env = self.env(user=self.clerk)
        answer = self.scan("return", False, "SC-1", env=clerk_env)
        self.assertEqual(answer["result"], "refused")
        self.assertEqual(answer["message"],
                         f"Serial SC-1 is being returned by {self.env.user.name}.")
        self.assertFalse(self.state(clerk_env)["units"])

    def test_recalled_unit_accepted_and_comes_back_blocked(self):
        self.deliver(["SC-3"])
        recall = self.env["serial.recall"].create({
            "reason": "Faulty battery",
            "line_ids": [Command.create({"lot_id": self.lots["SC-3"].id})]})
        recall.action_open()
        answer = self.scan("return", False, "SC-3")
        self.assertEqual(answer["result"], "accepted", answer["message"])
        self.assertIn(f"Under recall {recall.display_name}: it comes back blocked.",
                      answer["message"])
        self.assertEqual(answer["state"]["units"][0]["recall"], recall.display_name)
        self.apply()
        lot = self.lots["SC-3"]
        self.assertEqual((lot.serial_state, lot.serial_recall_id), ("recalled", recall))

    def test_nothing_applied_before_confirm(self):
        delivery = self.deliver(["SC-1", "SC-2"])
        with self.assertChangesNothing():
            for code in ("SC-1", "SC-2", "SCAN-SHELF"):
                self.scan("return", False, code)
            self.state()
        self.assertFalse(self.returns_of(delivery))
        self.assertEqual(self.lots["SC-1"].serial_state, "delivered")

    def test_apply_makes_one_validated_return_per_delivery(self):
        first = self.deliver(["SC-1", "SC-2"])
        second = self.deliver(["SC-3"], self.other_customer)
        scans = [self.scan("return", False, code) for code in ("SC-1", "SC-3")]
        self.assertEqual(scans[-1]["state"]["deliveries"], 2)
        state = self.apply()
        self.assertEqual(
            [(row["delivery"], row["customer"], row["count"]) for row in state["applied"]],
            [(first.name, "Serial Test Customer", 1),
             (second.name, "Other Return Customer", 1)])
        self.assertFalse(state["units"])
        for delivery, serial in ((first, "SC-1"), (second, "SC-3")):
            returned = self.returns_of(delivery)
            self.assertEqual(len(returned), 1)
            self.assertEqual((returned.state, returned.picking_type_id, returned.partner_id),
                             ("done", self.return_type, delivery.partner_id))
            self.assertEqual(returned.move_ids.origin_returned_move_id, delivery.move_ids)
            self.assertEqual(returned.move_line_ids.lot_id.mapped("name"), [serial])
            self.assertEqual(returned.location_dest_id,
                             self.return_type.default_location_dest_id)
        quants = self.env["stock.quant"].search(
            [("lot_id", "in", [self.lots[name].id for name in ("SC-1", "SC-2", "SC-3")]),
             ("quantity", ">", 0)])
        self.assertEqual(
            sorted((quant.lot_id.name, quant.location_id.usage) for quant in quants),
            [("SC-1", "internal"), ("SC-2", "customer"), ("SC-3", "internal")])
        self.assertEqual(
            [self.lots[name].serial_state for name in ("SC-1", "SC-2", "SC-3")],
            ["returned", "delivered", "returned"])
        logged = self.env["serial.scan"].browse([scan["scan_id"] for scan in scans])
        self.assertEqual(logged.mapped("open"), [False, False])
        self.assertEqual(logged.picking_id, self.returns_of(first) | self.returns_of(second))
        with self.assertChangesNothing(), \
                self.assertRefused(UserError, "Scan the returned units first"):
            self.apply()

    def test_unit_changed_since_its_scan_stops_apply(self):
        delivery = self.deliver(["SC-1", "SC-2"])
        self.scan("return", False, "SC-1")
        self.scan("return", False, "SC-2")
        # Meanwhile SC-1 is returned from Odoo's own return wizard.
        wizard = self.env["stock.return.picking"].with_context(
            active_id=delivery.id, active_model="stock.picking").create(
            {"picking_id": delivery.id})
        wizard.product_return_moves.quantity = 1
        returned = wizard._create_return()
        self._choose_serials(returned, self.lots["SC-1"])
        self._validate(returned)
        state = self.state()
        self.assertEqual((state["problems"], state["can_apply"]), (1, False))
        problem = next(unit for unit in state["units"] if unit["serial"] == "SC-1")["problem"]
        self.assertIn("already returned", problem)
        with self.assertChangesNothing(), \
                self.assertRefused(UserError, "Nothing was returned; remove these units",
                                   "Serial SC-1 was already returned"):
            self.apply()
        scan_id = next(unit for unit in state["units"] if unit["serial"] == "SC-1")["scan_id"]
        state = self.operations.scan_action("return", False, "remove", {"scan_id": scan_id})
        self.assertEqual([unit["serial"] for unit in state["units"]], ["SC-2"])
        self.assertEqual(self.env["serial.scan"].browse(scan_id).result, "cleared")
        self.assertEqual(self.apply()["applied"][0]["count"], 1)

    def test_remove_and_clear(self):
        self.deliver(["SC-1", "SC-2"])
        first = self.scan("return", False, "SC-1")
        self.scan("return", False, "SC-2")
        with self.assertChangesNothing(), \
                self.assertRefused(UserError, "This unit is not in your return"):
            self.operations.scan_action("return", False, "remove", {"scan_id": 999999999})
        with self.assertChangesNothing(), \
                self.assertRefused(UserError, "The parameters of remove are not valid"):
            self.operations.scan_action("return", False, "remove", {"serial": "SC-1"})
        state = self.operations.scan_action("return", False, "remove",
                                            {"scan_id": first["scan_id"]})
        self.assertEqual([unit["serial"] for unit in state["units"]], ["SC-2"])
        # A removed unit can be scanned again.
        self.assertEqual(self.scan("return", False, "SC-1")["result"], "accepted")
        state = self.operations.scan_action("return", False, "clear")
        self.assertFalse(state["units"])
        self.assertFalse(state["can_apply"])

    def test_session_is_the_users_own(self):
        with self.assertChangesNothing(), \
                self.assertRefused(UserError, "A return is scanned in your own session"):
            self.operations.scan_state("return", self.clerk.id)

    def test_location_rules_of_the_return_type(self):
        self.return_type.serial_scan_require_location = True
        self.deliver(["SC-1", "SC-2"])
        state = self.state()
        self.assertTrue(state["rules"]["require_location"])
        with self.assertChangesNothing():
            answer = self.scan("return", False, "SC-1")
        self.assertEqual(answer["result"], "refused")
        self.assertIn("Scan the location the returned units go to first: "
                      f"{self.return_type.display_name} asks for it", answer["message"])
        self.assertEqual(self.scan("return", False, "SCAN-BIN")["message"],
                         "Returned units go to WH/Stock/Scan Shelf/Scan Bin.")
        self.assertEqual(self.scan("return", False, "SC-1")["result"], "accepted")
        # A location outside where Odoo returns the delivery's units is refused.
        outside = self.env["stock.location"].create(
            {"name": "Return Outside", "barcode": "RET-OUTSIDE", "usage": "internal",
             "location_id": self.stock_location.location_id.id})
        self.scan("return", False, outside.barcode)
        answer = self.scan("return", False, "SC-2")
        self.assertEqual(answer["result"], "refused")
        self.assertIn("not to WH/Return Outside: scan a location in", answer["message"])
        self.apply()
        quant = self.lots["SC-1"].quant_ids.filtered(lambda quant: quant.quantity > 0)
        self.assertEqual(quant.location_id, self.bin)
        # The next return asks for the location again.
        answer = self.scan("return", False, "SC-2")
        self.assertIn("Scan the location the returned units go to first", answer["message"])

    def test_typed_serial_of_a_mandatory_return_type(self):
        self.return_type.serial_scan_policy = "mandatory"
        self.deliver(["SC-1", "SC-2"])
        clerk_env = self.env(user=self.clerk)
        self.assertEqual(self.state(clerk_env)["rules"]["policy"], "mandatory")
        clerk_ops = clerk_env["serial.scan.operation"]
        with self.assertChangesNothing():
            answer = clerk_ops.scan("return", False, "SC-1", "typed-1", {"typed": True})
        self.assertEqual(answer["result"], "refused")
        self.assertIn("scan the label of SC-1, or ask an inventory manager",
                      answer["message"])
        answer = self.operations.scan("return", False, "SC-1", "typed-2",
                                      {"typed": True, "reason": "Label torn"})
        self.assertEqual(answer["result"], "accepted", answer["message"])
        self.assertEqual(self.env["serial.scan"].browse(answer["scan_id"]).override_reason,
                         "Label torn")
        self.assertEqual(self.scan("return", False, "SC-2")["result"], "accepted")
        # The return's type wants every serial scanned for it: the scans made it.
        [applied] = self.apply()["applied"]
        returned = self.env["stock.picking"].browse(applied["id"])
        self.assertEqual(returned.state, "done")
        self.assertEqual(sorted(returned.move_line_ids.lot_id.mapped("name")), ["SC-1", "SC-2"])

    def test_clerk_returns(self):
        self.deliver(["SC-1"])
        clerk_env = self.env(user=self.clerk)
        self.assertEqual(self.scan("return", False, "SC-1", env=clerk_env)["result"],
                         "accepted")
        [applied] = self.apply(clerk_env)["applied"]
        self.assertEqual(self.env["stock.picking"].browse(applied["id"]).state, "done")


@tagged("post_install", "-at_install")
class TestScanReturnTour(HttpCase):
    def _return_tour(self):
        """Return units by scanning through Odoo's barcode service; check the stock after."""
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        env.company.serial_pattern_id = False
        admin = env.ref("base.user_admin")
        admin.email = admin.email or "admin@example.com"
        stock = env.ref("stock.stock_location_stock")
        customers = env.ref("stock.stock_location_customers")
        out_type = env.ref("stock.picking_type_out")
        product = env["product.product"].create(
            {"name": "Tour Returned Drill", "is_storable": True, "tracking": "serial"})
        lots = {}
        for name in ("TOUR-RET-1", "TOUR-RET-2", "TOUR-RET-3", "TOUR-RET-9"):
            lots[name] = env["stock.lot"].create({"name": name, "product_id": product.id})
            env["stock.quant"]._update_available_quantity(product, stock, 1, lot_id=lots[name])
        deliveries = {}
        for partner_name, names in (("Tour Return Customer", ("TOUR-RET-1", "TOUR-RET-2")),
                                    ("Tour Recall Customer", ("TOUR-RET-3",))):
            partner = env["res.partner"].create({"name": partner_name})
            delivery = env["stock.picking"].create({
                "picking_type_id": out_type.id, "partner_id": partner.id,
                "location_id": stock.id, "location_dest_id": customers.id,
                "move_ids": [Command.create({
                    "name": product.name, "product_id": product.id,
                    "product_uom_qty": len(names), "product_uom": product.uom_id.id,
                    "location_id": stock.id, "location_dest_id": customers.id})],
            })
            delivery.action_confirm()
            delivery.move_line_ids.unlink()
            delivery.move_ids.write({"move_line_ids": [Command.create({
                **delivery.move_ids._prepare_move_line_vals(quantity=1),
                "lot_id": lots[name].id, "quantity": 1}) for name in names]})
            self.assertIs(delivery.button_validate(), True)
            deliveries[partner_name] = delivery
        recall = env["serial.recall"].create({
            "reason": "Tour recall",
            "line_ids": [Command.create({"lot_id": lots["TOUR-RET-3"].id})]})
        recall.action_open()

        self.start_tour("/odoo/action-serial_inventory_scan.action_serial_scanner",
                        "serial_inventory_scan_return_tour", login="admin")

        self.env.invalidate_all()
        for partner_name, returned_lots in (("Tour Return Customer", ["TOUR-RET-1"]),
                                            ("Tour Recall Customer", ["TOUR-RET-3"])):
            delivery = deliveries[partner_name]
            returned = env["stock.picking"].search([("return_id", "=", delivery.id)])
            self.assertEqual(len(returned), 1, f"one return of {delivery.name}")
            self.assertEqual(returned.state, "done")
            self.assertEqual(returned.picking_type_id,
                             out_type.return_picking_type_id or out_type)
            self.assertEqual(returned.move_line_ids.lot_id.mapped("name"), returned_lots)
        quants = env["stock.quant"].search(
            [("product_id", "=", product.id), ("quantity", ">", 0)])
        self.assertEqual(sorted((quant.lot_id.name, quant.location_id.usage) for quant in quants),
                         [("TOUR-RET-1", "internal"), ("TOUR-RET-2", "customer"),
                          ("TOUR-RET-3", "internal"), ("TOUR-RET-9", "internal")])
        self.assertEqual(
            {name: lot.serial_state for name, lot in lots.items()},
            {"TOUR-RET-1": "returned", "TOUR-RET-2": "delivered", "TOUR-RET-3": "recalled",
             "TOUR-RET-9": "in_stock"})
        scans = env["serial.scan"].search(
            [("operation", "=", "return"), ("res_model", "=", "res.users"),
             ("res_id", "=", admin.id)], order="id")
        self.assertEqual(
            [(scan.code, scan.result) for scan in scans],
            [("TOUR-RET-1", "accepted"), ("TOUR-RET-1", "refused"), ("TOUR-RET-9", "refused"),
             ("TOUR-RET-2", "cleared"), ("TOUR-RET-3", "accepted")])
        self.assertFalse(scans.filtered("open"))

    def test_return_tour_phone(self):
        self.browser_size = "390x844"
        self.touch_enabled = True
        self._return_tour()

    def test_return_tour_desktop(self):
        self._return_tour()

    def test_hoot_return_screen(self):
        """The Return screen's Hoot tests (static/tests/return_screen.test.js), headless."""
        run_hoot_suite(self, "@serial_inventory_scan/return_screen")
