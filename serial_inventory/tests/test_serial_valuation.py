from datetime import timedelta

from odoo import fields
from odoo.tests import Form, tagged

from .test_serial_recall import RecallCase


@tagged("post_install", "-at_install")
class TestSerialValuation(RecallCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["product.category"]
        cls.phones = Category.create({
            "name": "Valued phones", "property_cost_method": "fifo",
            "property_valuation": "manual_periodic"})
        cls.tablets = Category.create({
            "name": "Valued tablets", "property_cost_method": "average",
            "property_valuation": "manual_periodic"})
        cls.phone = cls._create_serial_product("Valued phone", categ_id=cls.phones.id,
                                               lot_valuated=True)
        cls.tablet = cls._create_serial_product("Valued tablet", categ_id=cls.tablets.id,
                                                lot_valuated=True)
        # Same category, valued per product: not in the report.
        cls.pooled = cls._create_serial_product("Pooled phone", categ_id=cls.phones.id)
        cls.now = fields.Datetime.now()
        cls.Report = cls.env["serial.valuation.report"]

    def _receive_at_cost(self, product, names, cost, days_ago):
        receipt = self._create_receipt([(product, len(names))])
        receipt.move_ids.price_unit = cost
        for line, name in zip(receipt.move_line_ids, names, strict=True):
            line.lot_name = name
        self._validate(receipt)
        self._backdate(receipt, days_ago)
        return receipt.move_line_ids.lot_id.sorted("name")

    def _deliver_lots(self, product, lots, days_ago):
        delivery = self._create_delivery([(product, len(lots))], self.other_customer)
        delivery.action_assign()
        for line, lot in zip(delivery.move_line_ids, lots, strict=True):
            line.lot_id = lot
        delivery.move_ids.picked = True
        self._validate(delivery)
        self._backdate(delivery, days_ago)
        return delivery

    def _backdate(self, picking, days_ago):
        """Date the transfer's layers and lines in the past (a test runs in one instant)."""
        moment = self.now - timedelta(days=days_ago)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_valuation_layer SET create_date = %s WHERE stock_move_id IN %s",
            (moment, tuple(picking.move_ids.ids)))
        self.env.cr.execute("UPDATE stock_move_line SET date = %s WHERE picking_id = %s",
                            (moment, picking.id))
        self.env.invalidate_all()

    def _layers(self, at=None):
        domain = [("product_id.lot_valuated", "=", True),
                  ("company_id", "=", self.env.company.id),
                  ("product_id", "in", self._products().ids)]
        if at:
            domain.append(("create_date", "<=", at))
        return self.env["stock.valuation.layer"]._read_group(domain, [], ["value:sum"])[0][0]

    def _report(self, at=None):
        # The rows' values depend on the date in the context, which the record cache
        # ignores (each request of the web client starts with an empty cache).
        self.env.invalidate_all()
        report = self.Report.with_context(
            serial_valuation_date=fields.Datetime.to_string(at) if at else False)
        return report.search([("company_id", "=", self.env.company.id),
                              ("product_id", "in", self._products().ids)])

    def _products(self):
        """The products of these tests (the demo data values its phones by serial too)."""
        return self.phone | self.tablet | self.pooled

    def _scenario(self):
        first = self._receive_at_cost(self.phone, ["VAL-P1", "VAL-P2", "VAL-P3"], 100.0, 10)
        second = self._receive_at_cost(self.phone, ["VAL-P4", "VAL-P5"], 123.456, 6)
        tablets = self._receive_at_cost(self.tablet, ["VAL-T1", "VAL-T2"], 33.33, 5)
        self._receive_at_cost(self.pooled, ["VAL-X1"], 50.0, 5)
        delivery = self._deliver_lots(self.phone, first[:1] | second[:1], 3)
        self._deliver_lots(self.tablet, tablets[:1], 3)
        # The customer sends the 123.456 phone back.
        wizard = self.env["stock.return.picking"].with_context(
            active_id=delivery.id, active_model="stock.picking").create({})
        wizard.product_return_moves.quantity = 1
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_line_ids.lot_id = second[:1]
        returned.move_ids.picked = True
        self._validate(returned)
        self._backdate(returned, 1)
        return first, second, tablets

    def test_report_equals_the_valuation_layers_to_the_cent(self):
        first, second, tablets = self._scenario()
        rows = self._report()
        currency = self.env.company.currency_id
        # Every serial on hand, one row each, nothing else.
        self.assertEqual(sorted(rows.lot_id.mapped("name")),
                         ["VAL-P2", "VAL-P3", "VAL-P4", "VAL-P5", "VAL-T2"])
        self.assertEqual(set(rows.mapped("quantity")), {1.0})
        total = sum(rows.mapped("value"))
        self.assertEqual(currency.round(total), currency.round(self._layers()))
        self.assertEqual(currency.compare_amounts(total, 2 * 100.0 + 2 * 123.46 + 33.33), 0)

        by_lot = {row.lot_id.name: row for row in rows}
        self.assertEqual(by_lot["VAL-P2"].unit_cost, 100.0)
        self.assertEqual(by_lot["VAL-P4"].unit_cost, 123.46)  # the returned unit
        self.assertEqual(by_lot["VAL-T2"].value, 33.33)
        self.assertEqual(set(rows.location_id), {self.stock_location})
        self.assertEqual(by_lot["VAL-P2"].age_days, 10)
        self.assertEqual(by_lot["VAL-T2"].age_days, 5)
        # Delivered and returned: in stock since its receipt six days ago.
        self.assertEqual(by_lot["VAL-P4"].age_days, 6)
        self.assertEqual(by_lot["VAL-P4"].in_date, self.now - timedelta(days=6))
        self.assertEqual(by_lot["VAL-P2"].categ_id, self.phones)

        # Totals per product and per category (the list's groups) match the layers'.
        mine = [("company_id", "=", self.env.company.id),
                ("product_id", "in", self._products().ids)]
        layers = dict(self.env["stock.valuation.layer"]._read_group(
            [("product_id.lot_valuated", "=", True), *mine], ["product_id"], ["value:sum"]))
        for product, value in layers.items():
            self.assertEqual(currency.round(sum(rows.filtered(
                lambda row, product=product: row.product_id == product).mapped("value"))),
                currency.round(value), product.display_name)
        report_totals = dict(self.Report._read_group(mine, ["categ_id"], ["value:sum"]))
        for category in (self.phones, self.tablets):
            self.assertEqual(
                currency.round(report_totals[category]),
                currency.round(sum(value for product, value in layers.items()
                                   if product.categ_id == category)), category.name)
        self.assertEqual(currency.round(report_totals[self.phones]), 446.92)

    def test_value_at_date(self):
        self._scenario()
        currency = self.env.company.currency_id
        for days_ago, serials in (
            (8, ["VAL-P1", "VAL-P2", "VAL-P3"]),
            (4, ["VAL-P1", "VAL-P2", "VAL-P3", "VAL-P4", "VAL-P5", "VAL-T1", "VAL-T2"]),
            (2, ["VAL-P2", "VAL-P3", "VAL-P5", "VAL-T2"]),
        ):
            at = self.now - timedelta(days=days_ago)
            rows = self._report(at)
            self.assertEqual(sorted(rows.lot_id.mapped("name")), serials, f"{days_ago} days ago")
            self.assertEqual(currency.round(sum(rows.mapped("value"))),
                             currency.round(self._layers(at)))
        # Where the delivered unit was, and how old, four days ago.
        four_days_ago = self._report(self.now - timedelta(days=4))
        row = four_days_ago.filtered(lambda row: row.lot_id.name == "VAL-P1")
        self.assertEqual(row.location_id, self.stock_location)
        self.assertEqual(row.age_days, 6)
        self.assertEqual(self.Report.with_context(
            serial_valuation_date=fields.Datetime.to_string(
                self.now - timedelta(days=4)))._layers_total(self.env.company),
            self._layers(self.now - timedelta(days=4)))

    def test_dialog_opens_the_report_at_its_date(self):
        self._scenario()
        at = self.now - timedelta(days=8)
        action = self.env["serial.valuation.wizard"].create(
            {"valuation_date": at}).action_open_report()
        self.assertEqual(action["res_model"], "serial.valuation.report")
        rows = self.Report.with_context(**action["context"]).search(
            [("company_id", "=", self.env.company.id), ("product_id", "in", self._products().ids)])
        self.assertEqual(sorted(rows.lot_id.mapped("name")), ["VAL-P1", "VAL-P2", "VAL-P3"])
        exported = rows.export_data(["lot_id", "product_id", "value"])["datas"]
        self.assertEqual(sorted(line[0] for line in exported), ["VAL-P1", "VAL-P2", "VAL-P3"])
        self.assertEqual(sum(float(line[2]) for line in exported), 300.0)
        now_action = self.env["serial.valuation.wizard"].create({}).action_open_report()
        self.assertNotIn("serial_valuation_date", now_action["context"])

    def test_demo_units_leave_the_root_category_alone(self):
        """Odoo's stock_account tests change the costing of the root category "All" and count
        the journal items revaluing its stock: the demo units, in stock, have a category of
        their own, so such a change revalues none of them."""
        root = self.env.ref("product.product_category_all")
        demo_units = self.env["product.product"]
        for xmlid in ("serial_inventory.demo_product_phone", "serial_inventory.demo_product_meter"):
            demo_units |= self.env.ref(xmlid, raise_if_not_found=False) or demo_units
        for unit in demo_units:
            self.assertNotEqual(unit.categ_id, root, unit.display_name)
        Layer = self.env["stock.valuation.layer"]
        layers = Layer.search([("product_id", "in", demo_units.ids)])
        root.property_cost_method = "fifo" if root.property_cost_method != "fifo" else "average"
        self.assertEqual(Layer.search([("product_id", "in", demo_units.ids)]), layers)

    def test_received_on_is_the_receipt_not_the_switch_to_lot_valuation(self):
        """Switching a product to valuation by lot/serial empties and refills its stock with
        layers dated at the switch: the units were still received when they were."""
        received = self._receive_at_cost(self.pooled, ["VAL-X1", "VAL-X2"], 50.0, 12)
        self.assertFalse(self._report().filtered(lambda row: row.product_id == self.pooled))
        self.pooled.product_tmpl_id.lot_valuated = True
        refill = self.env["stock.valuation.layer"].search(
            [("lot_id", "in", received.ids), ("quantity", ">", 0)])
        self.assertEqual(len(refill), 2)  # the switch's layers, dated now
        self.assertGreater(min(refill.mapped("create_date")), self.now - timedelta(days=1))
        rows = self._report().filtered(lambda row: row.product_id == self.pooled)
        self.assertEqual(rows.lot_id, received)
        self.assertEqual(set(rows.mapped("in_date")), {self.now - timedelta(days=12)})
        self.assertEqual(set(rows.mapped("age_days")), {12})
        self.assertEqual(set(rows.mapped("unit_cost")), {50.0})
        # An internal transfer afterwards does not make the unit new.
        shelf = self.env["stock.location"].create(
            {"name": "Valuation shelf", "location_id": self.stock_location.id})
        transfer = self._create_picking(self.env.ref("stock.picking_type_internal"),
                                        self.stock_location, shelf, [(self.pooled, 1)])
        transfer.action_assign()
        transfer.move_line_ids.lot_id = received[:1]
        transfer.move_ids.picked = True
        self._validate(transfer)
        self._backdate(transfer, 2)
        moved = self._report().filtered(lambda row: row.lot_id == received[:1])
        self.assertEqual(moved.location_id, shelf)
        self.assertEqual(moved.age_days, 12)

    def test_units_under_recall_are_marked_and_keep_their_cost(self):
        first, _second, _tablets = self._scenario()
        before = self._report()
        self.assertFalse(any(before.mapped("under_recall")))
        recalled = first.filtered(lambda lot: lot.name == "VAL-P2")
        recall = self._recall(recalled)
        recall.action_open()
        rows = self._report()
        by_lot = {row.lot_id.name: row for row in rows}
        self.assertTrue(by_lot["VAL-P2"].under_recall)
        self.assertEqual(by_lot["VAL-P2"].recall_id, recall)
        self.assertFalse(by_lot["VAL-P3"].under_recall)
        self.assertFalse(by_lot["VAL-P3"].recall_id)
        # Valued at full cost: the values and the total are those before the recall.
        self.assertEqual(by_lot["VAL-P2"].value, 100.0)
        self.assertEqual(rows.mapped("value"), before.mapped("value"))
        # The accountant filters and groups by it.
        company = [("company_id", "=", self.env.company.id),
                   ("product_id", "in", self._products().ids)]
        self.assertEqual(self.Report.search([*company, ("under_recall", "=", True)]).lot_id,
                         recalled)
        groups = dict(self.Report._read_group(company, ["under_recall"], ["value:sum"]))
        self.assertEqual(groups[True], 100.0)
        self.assertEqual(self.env.company.currency_id.round(groups[True] + groups[False]),
                         self.env.company.currency_id.round(self._layers()))
        # At a date before the recall was opened, the unit was not under recall; once the
        # recall is closed, it no longer is.
        two_days_ago = self._report(self.now - timedelta(days=2))
        self.assertFalse(any(two_days_ago.mapped("under_recall")))
        recall.action_close()
        self.assertFalse(any(self._report().mapped("under_recall")))
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE serial_recall SET date_open = %s, date_closed = %s WHERE id = %s",
            (self.now - timedelta(days=4), self.now - timedelta(days=1), recall.id))
        self.env.invalidate_all()
        at_two_days = self._report(self.now - timedelta(days=2))
        self.assertEqual(at_two_days.filtered("under_recall").lot_id, recalled)
        self.assertEqual(at_two_days.filtered("under_recall").recall_id, recall)

    def test_lot_form_says_how_a_unit_valued_per_product_is_valued(self):
        """Odoo shows Total Value 0.00 on the form of a unit valued per product: the form
        says instead that the product is valued as a whole, and the unit's receipt cost."""
        pooled = self._receive_at_cost(self.pooled, ["VAL-X1"], 420.0, 5)
        self._receive_at_cost(self.pooled, ["VAL-X2"], 380.0, 2)
        self.assertEqual(pooled.total_value, 0.0)  # Odoo's: the product is valued, not the unit
        form = Form(pooled)
        self.assertIn("Valued per product (First In First Out (FIFO)), not per unit",
                      form.serial_valuation_note)
        self.assertIn("unit cost from its receipt", form.serial_valuation_note)
        self.assertIn("420.00", form.serial_valuation_note)
        second = self.env["stock.lot"].search([("name", "=", "VAL-X2")])
        self.assertIn("380.00", second.serial_valuation_note)
        # Delivered: still the cost of its receipt.
        delivery = self._deliver_lots(self.pooled, pooled, 1)
        self.assertEqual(delivery.state, "done")
        pooled.invalidate_recordset()
        self.assertIn("420.00", pooled.serial_valuation_note)
        # A unit valued by lot has its own Total Value: no note.
        valued = self._receive_at_cost(self.phone, ["VAL-P9"], 100.0, 1)
        self.assertEqual(valued.total_value, 100.0)
        self.assertFalse(Form(valued).serial_valuation_note)
        # Not received yet: how it is valued, without a cost.
        waiting = self.env["stock.lot"].create(
            {"name": "VAL-X3", "product_id": self.pooled.id})
        self.assertEqual(waiting.serial_valuation_note,
                         "Valued per product (First In First Out (FIFO)), not per unit.")
