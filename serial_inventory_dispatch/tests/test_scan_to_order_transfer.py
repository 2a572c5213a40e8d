from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import GTIN, DispatchCase


@tagged("post_install", "-at_install")
class TestScanToTransfer(DispatchCase):
    def test_transfer_moves_the_scanned_units(self):
        lots = self.phone_lots[:2]
        result = self.env["stock.picking"].serial_transfer_create(
            self.stock_location.id,
            [lots[0].name, f"(01){GTIN}(21){lots[1].name}", "DSP-CABLE", "DSP-CABLE"],
            self.shelf.id)
        picking = self.env["stock.picking"].browse(result["picking_id"])
        self.assertEqual((result["state"], picking.picking_type_code), ("done", "internal"))
        for lot in lots:
            quant = self.env["stock.quant"].search([("lot_id", "=", lot.id),
                                                    ("quantity", ">", 0)])
            self.assertEqual(quant.location_id, self.shelf)
        self.assertEqual(
            self.env["stock.quant"]._get_available_quantity(self.cable, self.shelf), 2)
        self.assertEqual(
            sorted((m.product_id.name, m.quantity) for m in picking.move_ids),
            [("Dispatch Cable", 2.0), ("Dispatch Phone", 2.0)])

    def test_transfer_refuses_a_wrong_scan_list_and_creates_nothing(self):
        held = self._ready_delivery([(self.phone, 1)])
        self.assertAccepted(self._scan(held, self.phone_lots[3].name))
        count = self.env["stock.picking"].search_count([])
        with self.assertRaises(UserError) as caught:
            self.env["stock.picking"].serial_transfer_create(
                self.stock_location.id,
                [self.phone_lots[0].name, self.phone_lots[0].name, "DSP-PH-AWAY", "NOPE",
                 self.phone_lots[3].name, GTIN] + ["DSP-CABLE"] * 21,
                self.shelf.id)
        message = str(caught.exception)
        for fragment in ("scanned twice", "DSP-PH-AWAY: Serial DSP-PH-AWAY is not in stock",
                         "NOPE: Unknown code", held.name, "tracked: scan the serial",
                         "Only 20 Dispatch Cable available"):
            self.assertIn(fragment, message)
        self.assertEqual(self.env["stock.picking"].search_count([]), count)
        with self.assertRefused(UserError, "same location"):
            self.env["stock.picking"].serial_transfer_create(
                self.shelf.id, ["DSP-CABLE"], self.shelf.id)


@tagged("post_install", "-at_install")
class TestScanToOrder(DispatchCase):
    def test_quotation_with_one_line_per_product_and_reserved_serials(self):
        # Odoo reserves the oldest serials first: scan others, so the swap is visible.
        scanned = self.phone_lots[3:5]
        result = self.env["sale.order"].serial_order_create(
            self.customer.id, [*scanned.mapped("name"), "DSP-CABLE", "DSP-CABLE", "DSP-CABLE"])
        order = self.env["sale.order"].browse(result["order_id"])
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(
            sorted((line.product_id.name, line.product_uom_qty, line.serial_lot_ids.ids)
                   for line in order.order_line),
            [("Dispatch Cable", 3.0, []), ("Dispatch Phone", 2.0, sorted(scanned.ids))])
        order.action_confirm()
        delivery = order.picking_ids
        self.assertEqual(len(delivery), 1)
        phone_lines = delivery.move_line_ids.filtered(lambda ml: ml.product_id == self.phone)
        self.assertEqual(phone_lines.lot_id, scanned)
        for lot in scanned:
            quant = self.env["stock.quant"].search([("lot_id", "=", lot.id),
                                                    ("quantity", ">", 0)])
            self.assertEqual(quant.reserved_quantity, 1.0)
        # The serials Odoo had reserved first are free again.
        for lot in self.phone_lots[:3]:
            quant = self.env["stock.quant"].search([("lot_id", "=", lot.id),
                                                    ("quantity", ">", 0)])
            self.assertEqual(quant.reserved_quantity, 0.0)

    def test_order_refuses_unknown_customer_and_bad_codes(self):
        with self.assertRefused(UserError, "customer"):
            self.env["sale.order"].serial_order_create(0, ["DSP-CABLE"])
        with self.assertRefused(UserError, "DSP-PH-AWAY"):
            self.env["sale.order"].serial_order_create(self.customer.id, ["DSP-PH-AWAY"])


@tagged("post_install", "-at_install")
class TestScanReturn(DispatchCase):
    def test_scanning_a_returned_serial_finds_its_delivery_and_customer(self):
        delivery = self._ready_delivery([(self.phone, 1)])
        lot = self.phone_lots[2]
        self.assertAccepted(self._scan(delivery, lot.name))
        delivery.serial_dispatch_apply()
        self._validate(delivery)
        Picking = self.env["stock.picking"]
        found = Picking.serial_return_lookup(f"(01){GTIN}(21){lot.name}")
        self.assertEqual(
            (found["picking_id"], found["partner_id"], found["serial"], found["returnable"]),
            (delivery.id, self.customer.id, lot.name, True))
        created = Picking.serial_return_create(lot.name)
        returned = Picking.browse(created["picking_id"])
        self.assertEqual(returned.return_id, delivery)
        self.assertEqual(returned.move_line_ids.lot_id, lot)
        self._validate(returned)
        self.assertEqual(lot.serial_state, "returned")
        self.assertFalse(Picking.serial_return_lookup(lot.name)["returnable"])
        with self.assertRefused(UserError, "nothing to return"):
            Picking.serial_return_create(lot.name)

    def test_a_serial_never_delivered_has_no_return(self):
        with self.assertRefused(UserError, "never delivered"):
            self.env["stock.picking"].serial_return_lookup(self.phone_lots[0].name)
        with self.assertRefused(UserError, "not a known serial"):
            self.env["stock.picking"].serial_return_lookup("DSP-CABLE")


@tagged("post_install", "-at_install")
class TestScanWizard(DispatchCase):
    def _wizard(self, mode, codes, **values):
        return self.env["serial.scan.wizard"].create(
            {"mode": mode, "codes": "\n".join(codes) + "\n\n", **values})

    def test_wizard_modes_call_the_scan_apis(self):
        wizard = self._wizard("order", ["DSP-PH-004", "DSP-CABLE"],
                              partner_id=self.customer.id)
        self.assertEqual(wizard.code_count, 2)
        action = wizard.action_apply()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.order_line.serial_lot_ids.mapped("name"), ["DSP-PH-004"])

        action = self._wizard("transfer", ["DSP-PH-001"],
                              source_location_id=self.stock_location.id,
                              destination_location_id=self.shelf.id).action_apply()
        self.assertEqual(self.env["stock.picking"].browse(action["res_id"]).state, "done")

        delivery = self._ready_delivery([(self.phone, 1)])
        lot = delivery.move_line_ids.lot_id
        self.assertAccepted(self._scan(delivery, lot.name))
        delivery.serial_dispatch_apply()
        self._validate(delivery)
        wizard = self._wizard("return", [lot.name])
        wizard.action_apply()
        self.assertEqual((wizard.return_picking_id, wizard.return_partner_id),
                         (delivery, self.customer))
        action = wizard.action_create_return()
        self.assertEqual(self.env["stock.picking"].browse(action["res_id"]).return_id,
                         delivery)
        with self.assertRefused(UserError, "one returned unit"):
            self._wizard("return", [lot.name, "DSP-CABLE"]).action_find_return()


@tagged("post_install", "-at_install")
class TestDemoData(DispatchCase):
    def test_demo_shows_a_dispatch_an_order_and_a_transfer(self):
        shelf = self.env.ref("serial_inventory_dispatch.demo_location_dispatch_shelf",
                             raise_if_not_found=False)
        delivery = self.env.ref("serial_inventory.demo_delivery_ready",
                                raise_if_not_found=False)
        if not shelf or not delivery:
            # Installed without demo data: nothing to check, and nothing must be created.
            self.assertFalse(self.env["serial.scan"].search_count(
                [("client_uid", "=like", "demo-scan-%")]))
            return
        state = delivery.serial_dispatch_state()
        self.assertTrue(state["can_scan"])
        self.assertEqual([len(line["serials"]) for line in state["lines"]], [1, 1])
        self.assertIn("refused", delivery.serial_scan_ids.mapped("result"))
        order = self.env["sale.order"].search(
            [("order_line.serial_lot_ids", "!=", False)], limit=1)
        self.assertEqual(order.state, "draft")
        moved = self.env["stock.quant"].search([("location_id", "=", shelf.id),
                                                ("quantity", ">", 0)])
        self.assertEqual(len(moved), 1)
