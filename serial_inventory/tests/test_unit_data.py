import datetime

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import SerialInventoryCase


@tagged("post_install", "-at_install")
class TestUnitData(SerialInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pattern = cls._create_pattern("UD-{SEQ:5:36}{CHECK}", "mod37_36")
        cls.product = cls._create_serial_product(
            "Tracked phone", cls.pattern,
            lot_properties_definition=[{
                "name": "colour", "string": "Colour", "type": "selection",
                "selection": [["black", "Black"], ["silver", "Silver"], ["blue", "Blue"]],
            }],
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "Other Customer"})

    def _search_filter(self, name, lots):
        """The lots among ``lots`` that the stock.lot search view's filter ``name`` keeps."""
        arch = self.env["stock.lot"].get_views([(False, "search")])["views"]["search"]["arch"]
        nodes = etree.fromstring(arch).xpath(f"//filter[@name='{name}']")
        self.assertEqual(len(nodes), 1, f"filter {name} is in the search view")
        domain = safe_eval(nodes[0].get("domain"), {
            "context_today": lambda: fields.Date.context_today(lots),
            "relativedelta": relativedelta,
            "uid": self.env.uid,
        })
        return self.env["stock.lot"].search([*domain, ("id", "in", lots.ids)])

    def _return(self, picking, lots):
        wizard = self.env["stock.return.picking"].with_context(
            active_id=picking.id, active_model="stock.picking").create({})
        wizard.product_return_moves.quantity = len(lots)
        return_picking = self.env["stock.picking"].browse(
            wizard.action_create_returns()["res_id"])
        return return_picking

    def test_serial_state_lifecycle(self):
        wizard = self.env["serial.pregenerate"].create(
            {"product_id": self.product.id, "quantity": 3})
        lots = self.env["stock.lot"].search(wizard.action_generate()["domain"])
        self.assertEqual(lots.mapped("serial_state"), ["new"] * 3)

        receipt = self._create_receipt([(self.product, 3)])
        for line, lot in zip(receipt.move_line_ids, lots, strict=True):
            line.lot_name = lot.name
        self._validate(receipt)
        self.assertEqual(lots.mapped("serial_state"), ["in_stock"] * 3)

        delivery = self._create_delivery([(self.product, 2)])
        delivery.action_assign()
        self.assertEqual(delivery.state, "assigned")
        reserved = delivery.move_line_ids.lot_id
        kept = lots - reserved
        self.assertEqual(len(reserved), 2)
        self.assertEqual(reserved.mapped("serial_state"), ["reserved"] * 2)
        self.assertEqual(kept.serial_state, "in_stock")

        self._validate(delivery)
        self.assertEqual(reserved.mapped("serial_state"), ["delivered"] * 2)
        self.assertEqual(reserved.serial_customer_id, self.customer)
        for lot in reserved:
            self.assertTrue(lot.serial_delivery_date)
            self.assertLessEqual(lot.serial_delivery_date, fields.Datetime.now())
        self.assertEqual(set(reserved.mapped("serial_delivery_date")),
                         set(delivery.move_line_ids.mapped("date")))
        self.assertFalse(kept.serial_customer_id)

        return_picking = self._return(delivery, reserved[:1])
        self.assertEqual(len(return_picking.move_line_ids.lot_id), 1)
        returned = return_picking.move_line_ids.lot_id
        self.assertIn(returned, reserved)
        self._validate(return_picking)
        self.assertEqual(returned.serial_state, "returned")
        self.assertFalse(returned.serial_customer_id)
        self.assertFalse(returned.serial_delivery_date)
        self.assertEqual((reserved - returned).serial_state, "delivered")

        scrap = self.env["stock.scrap"].create({
            "product_id": self.product.id,
            "lot_id": kept.id,
            "scrap_qty": 1,
            "location_id": self.stock_location.id,
        })
        self.assertIs(scrap.action_validate(), True)
        self.assertEqual(scrap.state, "done")
        self.assertEqual(kept.serial_state, "scrapped")

        # Each state has its filter in the lots' search view.
        for state, lot in (("delivered", reserved - returned), ("returned", returned),
                           ("scrapped", kept)):
            self.assertEqual(self._search_filter(f"serial_{state}", lots), lot)
            self.assertEqual(
                self.env["stock.lot"].search([("serial_state", "=", state),
                                              ("id", "in", lots.ids)]), lot)

    def test_search_delivered_by_customer_and_batch(self):
        batch = self.env["serial.batch"].create(
            {"name": "SEARCH-BATCH", "product_id": self.product.id})
        lots = self._receive_with_pattern(self.product, 4, serial_batch_id=batch.id)
        self.assertEqual(batch.lot_count, 4)
        first_delivery = self._create_delivery([(self.product, 2)], self.customer)
        first_delivery.action_assign()
        to_customer = first_delivery.move_line_ids.lot_id
        self._validate(first_delivery)
        second_delivery = self._create_delivery([(self.product, 1)], self.other_customer)
        second_delivery.action_assign()
        to_other = second_delivery.move_line_ids.lot_id
        self._validate(second_delivery)

        Lot = self.env["stock.lot"]
        self.assertEqual(Lot.search([("serial_state", "=", "delivered"),
                                     ("serial_customer_id", "=", self.customer.id)]),
                         to_customer)
        self.assertEqual(Lot.search([("serial_state", "=", "delivered"),
                                     ("serial_customer_id", "=", self.other_customer.id)]),
                         to_other)
        self.assertEqual(Lot.search([("serial_customer_id.name", "ilike", "other customer")]),
                         to_other)
        self.assertEqual(Lot.search([("serial_batch_id", "=", batch.id)]), lots)
        self.assertEqual(Lot.search([("serial_batch_id", "ilike", "SEARCH-BATCH")]), lots)
        self.assertEqual(Lot.search(batch.action_open_lots()["domain"]), lots)
        self.assertEqual(
            Lot.search([("serial_batch_id", "=", batch.id), ("serial_state", "=", "in_stock")]),
            lots - to_customer - to_other)
        self.assertEqual(self._search_filter("serial_in_stock", lots),
                         lots - to_customer - to_other)

    def test_batch_shared_by_several_serials(self):
        batch = self.env["serial.batch"].create({
            "name": "SHARED-BATCH",
            "product_id": self.product.id,
            "supplier_id": self.supplier.id,
            "manufacture_date": "2026-04-01",
        })
        pregenerated = self.env["stock.lot"].search(self.env["serial.pregenerate"].create({
            "product_id": self.product.id, "quantity": 2, "serial_batch_id": batch.id,
        }).action_generate()["domain"])
        receipt = self._create_receipt([(self.product, 3)])
        self.env["receipt.serial.fill"].create(
            {"picking_id": receipt.id, "serial_batch_id": batch.id}).action_apply()
        received = receipt.move_line_ids.lot_id
        self.assertEqual(len(received), 3)
        self.assertEqual(batch.lot_ids, pregenerated | received)
        self.assertEqual(batch.lot_count, 5)
        self.assertEqual(set(batch.lot_ids.mapped("manufacture_date")),
                         {fields.Date.to_date("2026-04-01")})
        other = self.env["serial.batch"].create({"name": "OTHER-BATCH"})
        received[0].serial_batch_id = other
        batch.invalidate_recordset(["lot_count"])
        self.assertEqual(batch.lot_count, 4)
        self.assertEqual(other.lot_count, 1)

    def test_lot_properties(self):
        lots = self._receive_with_pattern(self.product, 2, lot_properties={"colour": "blue"})

        def colour(lot):
            return lot.lot_properties["colour"]

        self.assertEqual([colour(lot) for lot in lots], ["blue", "blue"])
        lots[1].lot_properties = {"colour": "silver"}
        self.env.invalidate_all()
        self.assertEqual([colour(lot) for lot in lots], ["blue", "silver"])
        stored = lots[1].read(["lot_properties"])[0]["lot_properties"]
        self.assertEqual([(prop["name"], prop["value"]) for prop in stored],
                         [("colour", "silver")])
        Lot = self.env["stock.lot"]
        self.assertEqual(Lot.search([("lot_properties.colour", "=", "silver")]), lots[1])
        self.assertEqual(
            Lot.search([("lot_properties.colour", "=", "blue"), ("id", "in", lots.ids)]),
            lots[0])

    def test_expiry_dates(self):
        perishable = self._create_serial_product(
            "Perishable unit", self.pattern, use_expiration_date=True, expiration_time=30,
            alert_time=5)
        second = datetime.timedelta(seconds=1)
        before = fields.Datetime.now() - second
        lot = self.env["stock.lot"].create({"name": self.pattern._generate(1)[0],
                                            "product_id": perishable.id})
        self.assertGreaterEqual(lot.expiration_date, before + datetime.timedelta(days=30))
        self.assertLessEqual(lot.expiration_date,
                             fields.Datetime.now() + second + datetime.timedelta(days=30))
        self.assertEqual(lot.alert_date, lot.expiration_date - datetime.timedelta(days=5))

        # Expiry given at reception wins over the product's default.
        expiry = fields.Datetime.to_datetime("2029-09-30 00:00:00")
        received = self._receive_with_pattern(perishable, 2, expiration_date=expiry)
        self.assertEqual(received.mapped("expiration_date"), [expiry, expiry])

    def test_expiration_window_filters(self):
        now = fields.Datetime.now()
        names = self.pattern._generate(3, self.product)
        expired, soon, later = self.env["stock.lot"].create([
            {"name": name, "product_id": self.product.id, "expiration_date": now + delta}
            for name, delta in zip(names, (datetime.timedelta(days=-5),
                                           datetime.timedelta(days=10),
                                           datetime.timedelta(days=60)), strict=True)
        ])
        lots = expired | soon | later
        self.assertEqual(self._search_filter("serial_expired", lots), expired)
        self.assertEqual(self._search_filter("serial_expires_soon", lots), soon)
        Lot = self.env["stock.lot"]
        self.assertEqual(
            Lot.search([("expiration_date", ">=", now),
                        ("expiration_date", "<", now + datetime.timedelta(days=90)),
                        ("id", "in", lots.ids)]),
            soon | later)

    def test_overdue_activities_filter(self):
        today = fields.Date.context_today(self.product)
        late, planned, quiet = self.env["stock.lot"].create([
            {"name": name, "product_id": self.product.id}
            for name in self.pattern._generate(3, self.product)
        ])
        late.activity_schedule("mail.mail_activity_data_todo",
                               date_deadline=today - datetime.timedelta(days=3),
                               summary="Check the returned unit")
        planned.activity_schedule("mail.mail_activity_data_todo",
                                  date_deadline=today + datetime.timedelta(days=3))
        lots = late | planned | quiet
        self.assertEqual(late.activity_state, "overdue")
        self.assertEqual(self._search_filter("serial_overdue_tasks", lots), late)
        self.assertEqual(self._search_filter("serial_my_tasks", lots), late | planned)
        self.assertEqual(
            self.env["stock.lot"].search([("activity_state", "=", "overdue"),
                                          ("id", "in", lots.ids)]),
            late)
