from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SerialInventoryCase


@tagged("post_install", "-at_install")
class TestSerialGeneration(SerialInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pattern = cls._create_pattern("GEN{YY}-{REF}-{SEQ:4}", name="Generation test")
        cls.product = cls._create_serial_product(
            "Patterned unit", cls.pattern, default_code="ab-12")
        cls.plain_product = cls._create_serial_product("Plain serial unit")

    def _today(self):
        return fields.Date.context_today(self.pattern)

    def _expected(self, pattern, product, start, count):
        """The serials ``pattern`` renders for counters start .. start + count - 1 today."""
        return pattern._parsed().render_many(
            start, count, on=self._today(), reference=product.default_code or "")

    def _next_counter(self, pattern):
        self.env.invalidate_all()
        return pattern.next_counter

    def _lot_names(self, vals_list):
        return [vals.get("lot_name") or vals["lot_id"]["display_name"] for vals in vals_list]

    def _line_names(self, move):
        return [line.lot_name or line.lot_id.name for line in move.move_line_ids]

    # ------------------------------------------------------------------
    # Pattern rendering and preview
    # ------------------------------------------------------------------
    def test_pattern_renders_sequence_counters(self):
        # A pattern of its own: sequences are not transactional, other tests move the
        # class pattern's counter.
        pattern = self._create_pattern("GEN{YY}-{REF}-{SEQ:4}")
        product = self._create_serial_product("Counted unit", pattern, default_code="ab-12")
        yy = f"{self._today().year % 100:02d}"
        self.assertEqual(self._next_counter(pattern), 1)
        self.assertEqual(
            pattern._generate(3, product),
            [f"GEN{yy}-AB12-0001", f"GEN{yy}-AB12-0002", f"GEN{yy}-AB12-0003"],
        )
        self.assertEqual(self._next_counter(pattern), 4)
        # The counter belongs to the pattern's PostgreSQL sequence, whatever the product.
        other = self._create_serial_product("Same pattern", pattern, default_code="zz9")
        self.assertEqual(pattern._generate(1, other), [f"GEN{yy}-ZZ9-0004"])

    def test_base36_counter_and_next_counter(self):
        pattern = self._create_pattern("B{SEQ:3:36}")
        pattern.next_counter = 35
        self.assertEqual(self._next_counter(pattern), 35)
        self.assertEqual(pattern._generate(3), ["B00Z", "B010", "B011"])
        self.assertEqual(self._next_counter(pattern), 38)

    def test_preview_equals_next_serials(self):
        pattern = self._create_pattern("PV-{REF}-{SEQ:5:36}{CHECK}", "mod37_36")
        product = self._create_serial_product("Preview unit", pattern, default_code="PV1")
        pattern._generate(7, product)  # the preview starts after what was already used
        self.env.invalidate_all()
        preview = product.product_tmpl_id.serial_pattern_preview.splitlines()
        self.assertEqual(len(preview), 5)
        self.assertEqual(preview, self._expected(pattern, product, 8, 5))
        self.assertEqual(pattern._generate(5, product), preview)
        self.env.invalidate_all()
        self.assertEqual(product.product_tmpl_id.serial_pattern_preview.splitlines(),
                         self._expected(pattern, product, 13, 5))
        self.assertEqual(pattern.with_context(serial_preview_reference="PV1").max_length,
                         len(preview[0]))
        self.assertFalse(self.plain_product.product_tmpl_id.serial_pattern_preview)

    # ------------------------------------------------------------------
    # Which pattern applies
    # ------------------------------------------------------------------
    def test_company_default_pattern(self):
        company_pattern = self._create_pattern("CO-{SEQ:6}", name="Company default")
        self.assertFalse(self.plain_product._get_serial_pattern())
        self.company.serial_pattern_id = company_pattern
        self.assertEqual(self.plain_product._get_serial_pattern(), company_pattern)
        # A product's own pattern wins over the company's.
        self.assertEqual(self.product._get_serial_pattern(), self.pattern)
        # Only serial-tracked products are numbered by a pattern.
        lot_product = self.env["product.product"].create(
            {"name": "Lot tracked", "is_storable": True, "tracking": "lot"})
        self.assertFalse(lot_product._get_serial_pattern())

        self.assertEqual(
            self.env["stock.lot"]._get_next_serial(self.company, self.plain_product),
            "CO-000001")
        self.env.invalidate_all()
        self.assertEqual(self.plain_product.product_tmpl_id.serial_pattern_preview.splitlines(),
                         [f"CO-{counter:06d}" for counter in range(2, 7)])
        receipt = self._create_receipt([(self.plain_product, 2)])
        receipt.move_ids._generate_serial_numbers("", 2)
        self.assertEqual(self._line_names(receipt.move_ids), ["CO-000002", "CO-000003"])

    def test_no_pattern_keeps_odoo_numbering(self):
        receipt = self._create_receipt([(self.plain_product, 3)])
        move = receipt.move_ids
        move._generate_serial_numbers("SN001", 3)
        self.assertEqual(self._line_names(move), ["SN001", "SN002", "SN003"])
        self.assertEqual(
            self.env["stock.lot"].with_context(serial_pattern_product_id=self.plain_product.id)
            .generate_lot_names("SN001", 3),
            [{"lot_name": "SN001"}, {"lot_name": "SN002"}, {"lot_name": "SN003"}],
        )
        context = self._generate_context(self.plain_product, move)
        self.assertEqual(
            self._lot_names(self.env["stock.move"].action_generate_lot_line_vals(
                context, "generate", "SN001", 3, "")),
            ["SN001", "SN002", "SN003"],
        )
        self.env["stock.lot"].create({
            "name": "SN-0041", "product_id": self.plain_product.id,
            "company_id": self.company.id})
        self.assertEqual(
            self.env["stock.lot"]._get_next_serial(self.company, self.plain_product), "SN-0042")
        # A product without pattern gets Odoo's default lot name, not a pattern serial.
        defaults = self.env["stock.lot"].with_context(
            default_product_id=self.plain_product.id).default_get(["name"])
        self.assertFalse(self.pattern._parsed().matches(defaults["name"]))

    # ------------------------------------------------------------------
    # Odoo's generation entry points
    # ------------------------------------------------------------------
    def _generate_context(self, product, move):
        return {
            "default_product_id": product.id,
            "default_tracking": "serial",
            "default_quantity": move.product_uom_qty,
            "default_location_dest_id": self.stock_location.id,
            "default_picking_type_id": self.picking_type_in.id,
            "default_company_id": self.company.id,
            "default_move_id": move.id,
        }

    def test_action_generate_lot_line_vals_follows_pattern(self):
        move = self._create_receipt([(self.product, 3)]).move_ids
        context = self._generate_context(self.product, move)
        generate = self.env["stock.move"].action_generate_lot_line_vals

        start = self._next_counter(self.pattern)
        self.assertEqual(self._lot_names(generate(context, "generate", "", 3, "")),
                         self._expected(self.pattern, self.product, start, 3))
        # A first serial of the pattern's shape: the pattern's counter goes on.
        shaped = self._expected(self.pattern, self.product, 9000, 1)[0]
        self.assertEqual(self._lot_names(generate(context, "generate", shaped, 3, "")),
                         self._expected(self.pattern, self.product, start + 3, 3))
        # A custom first serial: Odoo's increment, and the pattern's counter is untouched.
        self.assertEqual(self._lot_names(generate(context, "generate", "CUSTOM-100", 3, "")),
                         ["CUSTOM-100", "CUSTOM-101", "CUSTOM-102"])
        self.assertEqual(self._next_counter(self.pattern), start + 6)

    def test_move_generate_serial_numbers_follows_pattern(self):
        receipts = [self._create_receipt([(self.product, 3)]) for _index in range(3)]
        empty_move, shaped_move, custom_move = (receipt.move_ids for receipt in receipts)
        start = self._next_counter(self.pattern)

        empty_move._generate_serial_numbers("", 3)
        self.assertEqual(self._line_names(empty_move),
                         self._expected(self.pattern, self.product, start, 3))
        shaped = self._expected(self.pattern, self.product, 5000, 1)[0]
        shaped_move._generate_serial_numbers(shaped, 3)
        self.assertEqual(self._line_names(shaped_move),
                         self._expected(self.pattern, self.product, start + 3, 3))
        custom_move._generate_serial_numbers("MY-SN-07", 3)
        self.assertEqual(self._line_names(custom_move), ["MY-SN-07", "MY-SN-08", "MY-SN-09"])
        self.assertEqual(self._next_counter(self.pattern), start + 6)

        # The generated serials go through the receipts into stock.
        for receipt in receipts:
            self._validate(receipt)
        lots = (empty_move | shaped_move | custom_move).move_line_ids.lot_id
        self.assertEqual(len(lots), 9)
        self.assertEqual(set(lots.mapped("serial_state")), {"in_stock"})

    def test_get_next_serial_follows_pattern(self):
        start = self._next_counter(self.pattern)
        self.assertEqual(self.env["stock.lot"]._get_next_serial(self.company, self.product),
                         self._expected(self.pattern, self.product, start, 1)[0])

    def test_lot_default_get_gives_pattern_serial(self):
        Lot = self.env["stock.lot"].with_context(default_product_id=self.product.id)
        start = self._next_counter(self.pattern)
        expected = self._expected(self.pattern, self.product, start, 2)
        self.assertEqual(Lot.default_get(["name", "product_id"])["name"], expected[0])
        # The proposal is a preview: creating the lot takes that number, not the next.
        self.assertEqual(Lot.default_get(["name", "product_id"])["name"], expected[0])
        lot = Lot.create({})
        self.assertEqual(lot.name, expected[0])
        self.assertEqual(self._next_counter(self.pattern), start + 1)
        self.assertEqual(lot.product_id, self.product)

    # ------------------------------------------------------------------
    # Wizards
    # ------------------------------------------------------------------
    def test_pregenerate_wizard_refuses_bad_input(self):
        start = self._next_counter(self.pattern)
        with self.assertChangesNothing(), self.assertRefused(UserError, "PRE\\x00B", "control"):
            self.env["serial.pregenerate"].create({
                "product_id": self.product.id, "quantity": 2, "new_batch_name": "PRE\x00B"})
        wizard = self.env["serial.pregenerate"].create({"product_id": self.product.id,
                                                        "quantity": 10 ** 9})
        with self.assertChangesNothing(), self.assertRefused(UserError, "at most 100000"):
            wizard.action_generate()
        with self.assertChangesNothing(), self.assertRefused(UserError, "control"):
            wizard.write({"new_batch_name": "B\x1bX"})
        with self.assertChangesNothing(), self.assertRefused(UserError, "control"):
            self.env["serial.batch"].create({"name": "BATCH\x00"})
        self.assertEqual(self._next_counter(self.pattern), start)
        self.assertEqual(self.env["serial.batch"].create({"name": " PRE-B2 "}).name, "PRE-B2")

    def test_pregenerate_wizard(self):
        start = self._next_counter(self.pattern)
        expiry = fields.Datetime.to_datetime("2031-05-31 00:00:00")
        wizard = self.env["serial.pregenerate"].create({
            "product_id": self.product.id,
            "quantity": 4,
            "new_batch_name": "PRE-BATCH-1",
            "manufacture_date": "2026-01-15",
            "expiration_date": expiry,
        })
        self.assertEqual(wizard.preview.splitlines(),
                         self._expected(self.pattern, self.product, start, 5))
        action = wizard.action_generate()
        self.assertEqual(action["res_model"], "stock.lot")
        lots = self.env["stock.lot"].search(action["domain"])
        self.assertEqual(sorted(lots.mapped("name")),
                         self._expected(self.pattern, self.product, start, 4))
        self.assertEqual(lots.product_id, self.product)
        self.assertEqual(set(lots.mapped("serial_state")), {"new"})
        batch = lots.serial_batch_id
        self.assertEqual(len(batch), 1)
        self.assertEqual(batch.name, "PRE-BATCH-1")
        self.assertEqual(batch.product_id, self.product)
        self.assertEqual(batch.lot_count, 4)
        self.assertEqual(lots.company_id, batch.company_id)
        self.assertEqual(set(lots.mapped("manufacture_date")),
                         {fields.Date.to_date("2026-01-15")})
        self.assertEqual(set(lots.mapped("expiration_date")), {expiry})

    def test_pregenerate_wizard_uses_existing_batch_dates(self):
        batch = self.env["serial.batch"].create({
            "name": "EXISTING-BATCH",
            "product_id": self.product.id,
            "manufacture_date": "2026-02-01",
            "expiration_date": "2032-02-01 00:00:00",
        })
        wizard = self.env["serial.pregenerate"].create({
            "product_id": self.product.id, "quantity": 2, "serial_batch_id": batch.id})
        lots = self.env["stock.lot"].search(wizard.action_generate()["domain"])
        self.assertEqual(lots.serial_batch_id, batch)
        self.assertEqual(set(lots.mapped("manufacture_date")),
                         {fields.Date.to_date("2026-02-01")})
        self.assertEqual(set(lots.mapped("expiration_date")),
                         {fields.Datetime.to_datetime("2032-02-01 00:00:00")})
        self.assertEqual(self.env["serial.batch"].search_count(
            [("name", "=", "EXISTING-BATCH")]), 1)

    def test_pregenerate_wizard_refusals(self):
        Wizard = self.env["serial.pregenerate"]
        with self.assertRefused(UserError, "Plain serial unit"):
            Wizard.create({"product_id": self.plain_product.id, "quantity": 3})._create_lots()
        with self.assertRefused(UserError, "positive"):
            Wizard.create({"product_id": self.product.id, "quantity": 0})._create_lots()
        self.assertFalse(self.env["stock.lot"].search(
            [("product_id", "in", (self.product | self.plain_product).ids)]))

    def test_receipt_fill_wizard(self):
        meter_pattern = self._create_pattern("{YY}{SEQ:6}{CHECK}", "luhn")
        meter = self._create_serial_product(
            "Metered unit", meter_pattern, use_expiration_date=True, expiration_time=365)
        bulk = self.env["product.product"].create({"name": "Untracked", "is_storable": True})
        receipt = self._create_receipt([(self.product, 3), (meter, 2), (bulk, 5)])
        action = receipt.action_serial_fill_receipt()
        self.assertEqual(action["res_model"], "receipt.serial.fill")
        self.assertEqual(action["context"]["default_picking_id"], receipt.id)

        expiry = fields.Datetime.to_datetime("2030-12-31 00:00:00")
        self.env["receipt.serial.fill"].with_context(**action["context"]).create({
            "new_batch_name": "RCPT-BATCH",
            "manufacture_date": "2026-03-01",
            "expiration_date": expiry,
        }).action_apply()

        serial_moves = receipt.move_ids.filtered(lambda move: move.has_tracking == "serial")
        for move in serial_moves:
            lines = move.move_line_ids
            self.assertEqual(len(lines), move.product_uom_qty)
            self.assertEqual(lines.mapped("quantity"), [1.0] * len(lines))
            self.assertEqual(len(lines.lot_id), len(lines), "every unit gets its own serial")
            pattern = move.product_id._get_serial_pattern()
            self.assertTrue(all(pattern._parsed().is_valid_serial(name)
                                for name in lines.lot_id.mapped("name")))
        lots = serial_moves.move_line_ids.lot_id
        self.assertEqual(len(lots), 5)
        self.assertEqual(lots.serial_batch_id.name, "RCPT-BATCH")
        self.assertEqual(lots.serial_batch_id.lot_count, 5)
        self.assertEqual(set(lots.mapped("expiration_date")), {expiry})
        self.assertEqual(set(lots.mapped("manufacture_date")),
                         {fields.Date.to_date("2026-03-01")})
        self.assertEqual(set(lots.mapped("serial_state")), {"new"})
        self.assertFalse((receipt.move_ids - serial_moves).move_line_ids.lot_id)

        self._validate(receipt)
        self.assertEqual(set(lots.mapped("serial_state")), {"in_stock"})
        quants = lots.quant_ids.filtered(lambda quant: quant.quantity > 0)
        self.assertEqual(len(quants), 5)
        self.assertEqual(quants.location_id, self.stock_location)

    def test_receipt_fill_keeps_typed_serials(self):
        receipt = self._create_receipt([(self.product, 3)])
        move = receipt.move_ids
        move.move_line_ids[0].lot_name = "TYPED-0001"
        self.env["receipt.serial.fill"].create({"picking_id": receipt.id}).action_apply()
        self.assertEqual(len(move.move_line_ids), 3)
        self.assertEqual(move.move_line_ids.filtered("lot_name").lot_name, "TYPED-0001")
        self.assertEqual(len(move.move_line_ids.lot_id), 2)
        self._validate(receipt)
        self.assertEqual(len(move.move_line_ids.lot_id), 3)
        self.assertIn("TYPED-0001", move.move_line_ids.lot_id.mapped("name"))

    def test_receipt_fill_refusals(self):
        bulk = self.env["product.product"].create({"name": "Untracked", "is_storable": True})
        receipt = self._create_receipt([(bulk, 2)])
        with self.assertRefused(UserError, receipt.name):
            receipt.action_serial_fill_receipt()
        receipt = self._create_receipt([(self.product, 1)])
        receipt.move_ids._serial_fill_from_pattern()
        self._validate(receipt)
        with self.assertRefused(UserError, receipt.name):
            self.env["receipt.serial.fill"].create({"picking_id": receipt.id}).action_apply()

    def test_fill_refused_on_a_delivery(self):
        """Numbering creates units: refused on anything but a receipt, whatever calls it."""
        self._receive_with_pattern(self.product, 2)
        delivery = self._create_delivery([(self.product, 2)])
        delivery.action_assign()
        lots_before = self.env["stock.lot"].search_count([])
        lines_before = delivery.move_line_ids.read(["lot_id", "lot_name", "quantity"])
        with self.assertRefused(UserError, delivery.name, "receipts only"):
            delivery.move_ids._serial_fill_from_pattern()
        with self.assertRefused(UserError, delivery.name, "receipts only"):
            self.env["receipt.serial.fill"].create({"picking_id": delivery.id}).action_apply()
        self.assertEqual(self.env["stock.lot"].search_count([]), lots_before)
        self.assertEqual(delivery.move_line_ids.read(["lot_id", "lot_name", "quantity"]),
                         lines_before)

    def test_pregenerated_serial_reused_on_receipt(self):
        wizard = self.env["serial.pregenerate"].create(
            {"product_id": self.product.id, "quantity": 2})
        lots = self.env["stock.lot"].search(wizard.action_generate()["domain"])
        lot_count = self.env["stock.lot"].search_count([("product_id", "=", self.product.id)])
        receipt = self._create_receipt([(self.product, 2)])
        for line, lot in zip(receipt.move_line_ids, lots, strict=True):
            line.lot_name = lot.name
        self._validate(receipt)
        self.assertEqual(receipt.move_line_ids.lot_id, lots)
        self.assertEqual(
            self.env["stock.lot"].search_count([("product_id", "=", self.product.id)]),
            lot_count, "no duplicate lot was created")
        self.assertEqual(set(lots.mapped("serial_state")), {"in_stock"})
