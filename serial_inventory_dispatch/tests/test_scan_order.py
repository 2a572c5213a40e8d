import uuid

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.serial_inventory.tests.common import RealTransactionCase, run_hoot_suite

from .common import GTIN, DispatchCase

SALE_TABLES = (*DispatchCase.STOCK_TABLES, "sale_order", "sale_order_line")


@tagged("post_install", "-at_install")
class TestScanOrder(DispatchCase):
    """The Order operation of the Inventory Scanner, through the core's public calls."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operations = cls.env["serial.scan.operation"]

    def new_quotation(self, partner=None):
        state = self.operations.scan_action("order", False, "new",
                                            {"partner_id": (partner or self.customer).id})
        return self.env["sale.order"].browse(state["record_id"])

    def scan(self, order, code, client_uid=None):
        return self.operations.scan("order", order.id if order else False, code,
                                    client_uid or self._uid())

    def lines(self, order):
        return sorted((line.product_id.name, line.product_uom_qty, line.serial_lot_ids.ids)
                      for line in order.order_line)

    def assertRefusedChangingNothing(self, order, code, *fragments):
        """The scan is refused with a message holding ``fragments``; no quotation, line or
        stock record changed."""
        with self.assertChangesNothing(SALE_TABLES):
            answer = self.scan(order, code)
        self.assertRefusedScan(answer, *fragments)
        return answer

    def test_scans_make_the_quotation_line_by_line(self):
        self.phone.write({"list_price": 100.0, "taxes_id": [Command.set(self.env[
            "account.tax"].create({"name": "Order tax 10%", "amount": 10.0}).ids)]})
        order = self.new_quotation()
        self.assertEqual((order.state, order.partner_id, order.origin),
                         ("draft", self.customer, "Inventory Scanner"))
        self.assertFalse(order.order_line)
        first, second = self.phone_lots[3:5]
        answer = self.scan(order, first.name)
        self.assertAccepted(answer)
        self.assertEqual(answer["message"],
                         "Dispatch Phone: serial DSP-PH-004 added (1 on the quotation).")
        self.assertEqual(self.lines(order), [("Dispatch Phone", 1.0, [first.id])])
        self.assertAccepted(self.scan(order, f"(01){GTIN}(21){second.name}"))
        self.assertAccepted(self.scan(order, "DSP-CABLE"))
        answer = self.scan(order, "DSP-CABLE")
        self.assertEqual(answer["message"],
                         "Dispatch Cable: one unit added (2 on the quotation).")
        self.assertEqual(self.lines(order), [("Dispatch Cable", 2.0, []),
                                             ("Dispatch Phone", 2.0, sorted([first.id,
                                                                             second.id]))])
        state = answer["state"]
        self.assertEqual((state["customer"], state["can_scan"], state["can_confirm"]),
                         (self.customer.display_name, True, True))
        self.assertEqual([(line["product"], line["quantity"], line["serials"])
                          for line in state["lines"]],
                         [("Dispatch Phone", "2", ["DSP-PH-004", "DSP-PH-005"]),
                          ("Dispatch Cable", "2", [])])
        self.assertIn(f"{order.amount_total:.2f}", state["total"])
        self.assertIn("220.00", state["lines"][0]["subtotal"], "taxes included, as the total")
        held = self.env["serial.scan"].search([("res_model", "=", "sale.order"),
                                               ("res_id", "=", order.id), ("open", "=", True)])
        self.assertEqual((held.lot_id, set(held.mapped("hold"))), (first | second, {"order"}))

    def test_confirm_delivers_the_scanned_serials_and_releases_them(self):
        order = self.new_quotation()
        # Odoo reserves the oldest serials first: scan others, so the swap is visible.
        scanned = self.phone_lots[3:5]
        for lot in scanned:
            self.assertAccepted(self.scan(order, lot.name))
        state = self.operations.scan_action("order", order.id, "confirm")
        self.assertEqual((order.state, state["can_scan"]), ("sale", False))
        delivery = order.picking_ids
        self.assertEqual(delivery.move_line_ids.lot_id, scanned)
        self.assertEqual(state["deliveries"],
                         [{"name": delivery.name, "serials": scanned.mapped("name")}])
        self.assertFalse(self.env["serial.scan"].search_count(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id),
             ("open", "=", True)]))
        self.assertRefusedChangingNothing(order, self.phone_lots[0].name, order.name,
                                          "takes no more units")
        with self.assertRefused(UserError, "takes no more units"):
            self.operations.scan_action("order", order.id, "confirm")

    def test_open_quotation_returns_its_form(self):
        order = self.new_quotation()
        state = self.operations.scan_action("order", order.id, "open")
        self.assertEqual((state["client_action"]["res_model"], state["client_action"]["res_id"]),
                         ("sale.order", order.id))

    def test_refusals_change_nothing(self):
        order = self.new_quotation()
        self.assertAccepted(self.scan(order, self.phone_lots[4].name))
        recalled = self.phone_lots[3]
        recalled.serial_recall_id = self.env["serial.recall"].create(
            {"reason": "Battery overheating"})
        unsellable = self.env["product.product"].create(
            {"name": "Dispatch Sample", "is_storable": True, "sale_ok": False,
             "barcode": "DSP-SAMPLE"})
        company_b = self.env["res.company"].create({"name": "Order Company B"})
        self.env.user.company_ids |= company_b
        foreign = self.env["stock.lot"].create(
            {"name": "DSP-PH-B1", "product_id": self.phone.id, "company_id": company_b.id})
        reserved = self._ready_delivery([(self.phone, 1)]).move_line_ids.lot_id
        for code, fragments in (
            (recalled.name, ("DSP-PH-004", "under recall")),
            ("DSP-PH-AWAY", ("DSP-PH-AWAY is not in stock at WH/Stock",)),
            (reserved.name, (reserved.name, "is reserved for WH/OUT/")),
            (self.phone_lots[4].name, ("DSP-PH-005 is already on", order.name,
                                       "it counts once")),
            (GTIN, ("tracked: scan the serial",)),
            ("DSP-SAMPLE", ("Dispatch Sample is not sold",)),
            (foreign.name, ("DSP-PH-B1 belongs to another company",)),
            ("DSP-PH-00\x001", ("control character",)),
            ("NO-SUCH-CODE", ("Unknown code NO-SUCH-CODE",)),
            (f"(01){GTIN}(21)DSP-PH-NEW", ("DSP-PH-NEW", "is not known")),
        ):
            with self.subTest(code=code):
                self.assertRefusedChangingNothing(order, code, *fragments)
        self.assertFalse(unsellable.sale_ok)
        self.assertEqual(self.lines(order), [("Dispatch Phone", 1.0, [self.phone_lots[4].id])])

    def test_untracked_units_no_more_than_in_stock(self):
        order = self.new_quotation()
        self.env["stock.quant"]._update_available_quantity(self.cable, self.stock_location, -18)
        self.assertAccepted(self.scan(order, "DSP-CABLE"))
        self.assertAccepted(self.scan(order, "DSP-CABLE"))
        self.assertRefusedChangingNothing(order, "DSP-CABLE", "Only 2 Dispatch Cable available",
                                          "number 3")

    def test_a_serial_goes_on_one_quotation_until_that_one_is_over(self):
        first, second = self.new_quotation(), self.new_quotation()
        lot = self.phone_lots[3]
        self.assertAccepted(self.scan(first, lot.name))
        self.assertRefusedChangingNothing(second, lot.name,
                                          f"DSP-PH-004 is already on quotation {first.name}")
        first._action_cancel()
        self.assertAccepted(self.scan(second, lot.name))
        self.assertEqual(self.lines(second), [("Dispatch Phone", 1.0, [lot.id])])

    def test_a_hold_left_by_a_deleted_quotation_is_released(self):
        first, second = self.new_quotation(), self.new_quotation()
        lot = self.phone_lots[3]
        self.assertAccepted(self.scan(first, lot.name))
        first.unlink()
        self.assertAccepted(self.scan(second, lot.name))

    def test_a_serial_being_dispatched_is_refused(self):
        delivery = self._ready_delivery([(self.phone, 1)])
        lot = self.phone_lots[3]  # not the one Odoo reserved: held by the dialog's scan only
        self.assertAccepted(self._scan(delivery, lot.name))
        self.assertRefusedChangingNothing(self.new_quotation(), lot.name,
                                          f"being dispatched with {delivery.name}")

    def test_held_by_another_operation_names_it(self):
        """The core refuses a serial another operation's open scan holds with this
        operation's message: it names that record, not a quotation."""
        order, transfer = self.new_quotation(), self._ready_delivery([(self.phone, 1)])
        held = self.env["serial.scan.operation.order"]._scan_held_message(
            order, self.phone_lots[3], transfer)
        self.assertEqual(held, f"Serial DSP-PH-004 is being scanned for {transfer.name}.")

    def test_retry_counts_once(self):
        order = self.new_quotation()
        first = self.scan(order, "DSP-CABLE", client_uid="order-retry-1")
        retry = self.scan(order, "DSP-CABLE", client_uid="order-retry-1")
        self.assertEqual((retry["duplicate"], retry["scan_id"]), (True, first["scan_id"]))
        self.assertEqual(self.lines(order), [("Dispatch Cable", 1.0, [])])

    def test_without_a_quotation_choose_the_customer(self):
        answer = self.scan(False, "DSP-CABLE")
        self.assertRefusedScan(answer, "Choose the customer first")
        state = self.operations.scan_state("order", False)
        self.assertEqual((state["record_id"], state["can_scan"]), (False, False))
        order, scanned = self.new_quotation(), self.new_quotation()
        self.assertAccepted(self.scan(scanned, "DSP-CABLE"))
        # Made by a clerk of another language: found by its scans.
        scanned.origin = "Scanner d'inventaire"
        other = self.env["sale.order"].create({"partner_id": self.customer.id})
        state = self.operations.scan_state("order", False)
        resumable = [row["id"] for row in state["open_orders"]]
        self.assertEqual(resumable[:2], [scanned.id, order.id])
        self.assertNotIn(other.id, resumable, "made elsewhere, never scanned")
        self.assertIn(self.customer.id, [row["id"] for row in state["customers"]])
        found = self.operations.scan_action("order", False, "customers",
                                            {"query": "Serial Test Cust"})
        self.assertEqual([row["name"] for row in found["customers"]], ["Serial Test Customer"])
        for params, fragment in (({"query": "a\x00b"}, "control character"),
                                 ({"query": "x" * 80}, "too long"),
                                 ({"query": 5}, "must be text")):
            with self.subTest(params=params), self.assertRefused(UserError, fragment):
                self.operations.scan_action("order", False, "customers", params)
        for params, fragment in (({"partner_id": 0}, "Choose the customer"),
                                 ({"partner_id": "3"}, "is not a record id"),
                                 ({}, "Choose the customer")):
            with self.subTest(params=params), self.assertChangesNothing(SALE_TABLES), \
                    self.assertRefused(UserError, fragment):
                self.operations.scan_action("order", False, "new", params)
        with self.assertRefused(UserError, "There is no quotation"):
            self.operations.scan_action("order", False, "open")

    def test_a_clerk_who_never_sold_sees_the_best_customers(self):
        clerk = self.env["res.users"].create({
            "name": "Order Clerk", "login": "order_clerk",
            "groups_id": [Command.set([self.env.ref("sales_team.group_sale_salesman").id,
                                       self.env.ref("stock.group_stock_user").id])]})
        self.customer.customer_rank = 10**6
        state = self.operations.with_user(clerk).scan_state("order", False)
        self.assertEqual(state["customers"][0]["name"], "Serial Test Customer")
        for partner in (self.env.company.partner_id, clerk.partner_id):
            found = self.operations.with_user(clerk).scan_action(
                "order", False, "customers", {"query": partner.name})
            self.assertNotIn(partner.id, [row["id"] for row in found["customers"]],
                             "a user or a company is not a customer")

    def test_another_companys_customer_is_refused(self):
        company_b = self.env["res.company"].create({"name": "Order Company C"})
        self.env.user.company_ids = [Command.link(company_b.id)]
        partner = self.env["res.partner"].create({"name": "Company C Buyer",
                                                  "company_id": company_b.id})
        with self.assertChangesNothing(SALE_TABLES), \
                self.assertRefused(UserError, "Company C Buyer is a customer of another company",
                                   f"for {self.env.company.name}"):
            self.new_quotation(partner)


@tagged("post_install", "-at_install")
class TestScanOrderConcurrency(RealTransactionCase):
    """Two clerks scan the same unit for two quotations at the same moment, each on a
    database connection of its own (the records are committed, and removed after)."""

    def _commit_fixture(self):
        tag = uuid.uuid4().hex[:8].upper()
        cursor = self._real_cursor()
        try:
            env = self._real_env(cursor)
            product = env["product.product"].create(
                {"name": f"Order race {tag}", "is_storable": True, "tracking": "serial"})
            lot = env["stock.lot"].create({"name": f"ORACE-{tag}", "product_id": product.id,
                                           "company_id": env.company.id})
            env["stock.quant"]._update_available_quantity(
                product, env.ref("stock.stock_location_stock"), 1, lot_id=lot)
            partner = env["res.partner"].create({"name": f"Order race buyer {tag}"})
            orders = env["sale.order"].create([{"partner_id": partner.id}] * 2)
            ids = (product.id, lot.name, partner.id, orders.ids, orders.mapped("name"))
            cursor.commit()
        finally:
            cursor.close()
        self.addCleanup(self._delete_fixture, *ids)
        return ids

    def _delete_fixture(self, product_id, _serial, partner_id, order_ids, _names):
        cursor = self._real_cursor()
        try:
            env = self._real_env(cursor)
            cursor.execute("DELETE FROM serial_scan WHERE res_model = 'sale.order' "
                           "AND res_id = ANY(%s)", [order_ids])
            env["sale.order"].browse(order_ids).unlink()
            cursor.execute("DELETE FROM stock_quant WHERE product_id = %s", [product_id])
            env["stock.lot"].search([("product_id", "=", product_id)]).unlink()
            product = env["product.product"].browse(product_id)
            template = product.product_tmpl_id
            product.unlink()
            template.unlink()
            env["res.partner"].browse(partner_id).unlink()
            cursor.commit()
        finally:
            cursor.close()

    def _scan(self, env, order_id, code, client_uid):
        return env["serial.scan.operation"].scan("order", order_id, code, client_uid)

    def test_same_unit_on_two_quotations_at_once(self):
        _product_id, serial, _partner_id, order_ids, names = self._commit_fixture()

        def scan(order_id, client_uid):
            return lambda env: self._scan(env, order_id, serial, client_uid)

        # B's scan waits on A's entry in the one-open-scan index, then A commits.
        result_a, outcome_b = self._race(scan(order_ids[0], "orace-a"),
                                         scan(order_ids[1], "orace-b"), name="order-race-b")
        self.assertEqual(result_a["result"], "accepted", result_a["message"])
        self.assertNotIn("error", outcome_b)
        result_b = outcome_b["result"]
        self.assertEqual((result_b["result"], result_b["message"]),
                         ("refused", f"Serial {serial} is already on quotation {names[0]}."))
        cursor = self._real_cursor()
        try:
            cursor.execute(
                """SELECT sale.order_id, sale.product_uom_qty FROM sale_order_line sale
                    WHERE sale.order_id = ANY(%s)""", [order_ids])
            self.assertEqual(cursor.fetchall(), [(order_ids[0], 1.0)],
                             "the refused scan put no line on the second quotation")
        finally:
            cursor.close()



@tagged("post_install", "-at_install")
class TestScanOrderTour(HttpCase):
    def _order_tour(self):
        """Make a quotation by scanning through Odoo's barcode service, confirm it; check the
        order, its delivery's serials and the scan log after."""
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        env.company.serial_pattern_id = False
        stock = env.ref("stock.stock_location_stock")
        buyer = env["res.partner"].create({"name": "Tour Buyer Ltd", "city": "Ghent"})
        phone = env["product.product"].create({
            "name": "Tour Scanned Phone", "is_storable": True, "tracking": "serial",
            "list_price": 50.0, "taxes_id": [Command.clear()]})
        cable = env["product.product"].create({
            "name": "Tour Cable", "is_storable": True, "barcode": "TOUR-CABLE",
            "list_price": 30.0, "taxes_id": [Command.clear()]})
        lots = {}
        for name in ("TOUR-ORD-1", "TOUR-ORD-2", "TOUR-ORD-3", "TOUR-ORD-RECALLED"):
            lots[name] = env["stock.lot"].create({"name": name, "product_id": phone.id})
            env["stock.quant"]._update_available_quantity(phone, stock, 1, lot_id=lots[name])
        env["stock.quant"]._update_available_quantity(cable, stock, 5)
        lots["TOUR-ORD-RECALLED"].serial_recall_id = env["serial.recall"].create(
            {"reason": "Tour recall"})

        self.start_tour("/odoo/action-serial_inventory_scan.action_serial_scanner",
                        "serial_inventory_dispatch_order_tour", login="admin")

        self.env.invalidate_all()
        order = env["sale.order"].search([("partner_id", "=", buyer.id)])
        self.assertEqual((len(order), order.state), (1, "sale"))
        self.assertEqual(
            sorted((line.product_id.name, line.product_uom_qty, line.serial_lot_ids.mapped("name"))
                   for line in order.order_line),
            [("Tour Cable", 1.0, []), ("Tour Scanned Phone", 2.0, ["TOUR-ORD-1", "TOUR-ORD-2"])])
        phone_lines = order.picking_ids.move_line_ids.filtered(
            lambda line: line.product_id == phone)
        self.assertEqual(sorted(phone_lines.lot_id.mapped("name")), ["TOUR-ORD-1", "TOUR-ORD-2"])
        scans = env["serial.scan"].search([("res_model", "=", "sale.order"),
                                           ("res_id", "=", order.id)]).sorted("id")
        self.assertEqual([(scan.code, scan.result) for scan in scans],
                         [("TOUR-ORD-1", "accepted"), ("TOUR-ORD-2", "accepted"),
                          ("TOUR-ORD-2", "refused"), ("TOUR-ORD-RECALLED", "refused"),
                          ("TOUR-CABLE", "accepted")])
        self.assertFalse(any(scans.mapped("open")), "confirmed: the serials are released")

    def test_order_tour_phone(self):
        self.browser_size = "390x844"
        self.touch_enabled = True
        self._order_tour()

    def test_order_tour_desktop(self):
        self._order_tour()

    def test_hoot_order_screen(self):
        """The Order screen's Hoot tests (static/tests/order_screen.test.js), headless."""
        run_hoot_suite(self, "@serial_inventory_dispatch/order_screen")
