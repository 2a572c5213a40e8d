"""Stock behaviours hold with the fast validation path: each scenario runs on Odoo's own
code (context serial_odoo_path) and on the fast path, and everything stored for the product
must be identical (see PathEquivalenceCase); where the fast path batched units, the same
scenario with one fast step broken must differ."""

from odoo.tests import Form, tagged

from .common import PathEquivalenceCase, broken_fast_path, fast_path_spy


@tagged("post_install", "-at_install")
class TestFastValidationBehaviours(PathEquivalenceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pattern = cls._create_pattern("FV{SEQ:6:36}{CHECK}", "mod37_36")
        cls.category = cls.env["product.category"].create({
            "name": "Fast validation (real time, FIFO)", "property_cost_method": "fifo",
            "property_valuation": "real_time"})
        cls.product = cls._create_serial_product(
            "Fast validation unit", cls.pattern, standard_price=20.0,
            categ_id=cls.category.id)
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Shelf FV", "location_id": cls.stock_location.id})
        cls.owner = cls.env["res.partner"].create({"name": "Consignor FV"})

    # ------------------------------------------------------------------
    def _both_ways(self, scenario, batched=True):
        """Compare ``scenario`` on both paths; ``batched``: whether the fast path must have
        batched units (then a broken fast step must show), or must have left them all to
        Odoo's code."""
        def reset_counter():
            # The pattern's PostgreSQL counter is not rolled back: number the same units.
            self.pattern.next_counter = 1000

        if batched:
            # The negative control first (rolled back): one fast step broken must show.
            with broken_fast_path():
                self.assertPathsDiffer(self._both_paths(
                    scenario, self.product, before_each=reset_counter, keep_fast=False))
        with fast_path_spy() as batched_units:
            snapshots = self._both_paths(scenario, self.product, before_each=reset_counter)
        self.assertSamePaths(snapshots)
        if batched:
            self.assertTrue(sum(batched_units), "the fast path batched units")
        else:
            self.assertFalse(sum(batched_units), "these lines are left to Odoo's code")
        return snapshots["fast"]

    def _numbered_receipt(self, quantity, picking_type=None, **move_values):
        receipt = self._create_picking(
            picking_type or self.picking_type_in, self.supplier_location,
            self.stock_location, [(self.product, quantity)], self.supplier)
        if move_values:
            receipt.move_ids.write(move_values)
        receipt.move_ids._serial_fill_from_pattern()
        return receipt

    # ------------------------------------------------------------------
    def test_putaway_rule(self):
        self.env["stock.putaway.rule"].create({
            "product_id": self.product.id, "location_in_id": self.stock_location.id,
            "location_out_id": self.shelf.id})

        def scenario(on_path):
            self._validate(on_path(self._numbered_receipt(8)))

        snapshot = self._both_ways(scenario)
        self.assertEqual(len(snapshot["lots"]), 8)
        self.assertEqual(
            self.env["stock.quant"].search_count(
                [("product_id", "=", self.product.id), ("location_id", "=", self.shelf.id)]),
            8)

    def test_two_step_reception(self):
        warehouse = self.env.ref("stock.warehouse0")
        warehouse.reception_steps = "two_steps"

        def scenario(on_path):
            receipt = self._create_picking(
                warehouse.in_type_id, self.supplier_location, warehouse.wh_input_stock_loc_id,
                [(self.product, 6)], self.supplier)
            receipt.move_ids._serial_fill_from_pattern()
            self._validate(on_path(receipt))
            storage = receipt.move_ids.move_dest_ids.picking_id
            self.assertTrue(storage)
            storage.action_assign()
            self._validate(on_path(storage))

        self._both_ways(scenario)
        self.assertEqual(self.product.with_context(
            location=self.stock_location.id).qty_available, 6)

    def test_packages_and_owner(self):
        def scenario(on_path):
            receipt = self._numbered_receipt(5)
            package = self.env["stock.quant.package"].create({"name": "PACK-FV"})
            receipt.move_line_ids[:2].write({"result_package_id": package.id})
            receipt.move_line_ids[2:4].write({"owner_id": self.owner.id})
            self._validate(on_path(receipt))

        self._both_ways(scenario, batched=False)
        self.assertEqual(self.env["stock.quant"].search_count(
            [("product_id", "=", self.product.id), ("owner_id", "=", self.owner.id),
             ("location_id", "=", self.stock_location.id)]), 2)

    def test_backorder(self):
        def scenario(on_path):
            receipt = self._numbered_receipt(10)
            receipt.move_line_ids.sorted("id")[6:].unlink()
            result = on_path(receipt).button_validate()
            self.assertIsInstance(result, dict, "Odoo asks about the backorder")
            Form.from_action(on_path(receipt).env, result).save().process()
            backorder = receipt.backorder_ids
            self.assertEqual(backorder.move_ids.product_uom_qty, 4)
            backorder.move_ids._serial_fill_from_pattern()
            self._validate(on_path(backorder))

        self._both_ways(scenario)

    def test_partial_return_of_a_receipt(self):
        def scenario(on_path):
            receipt = self._validate(on_path(self._numbered_receipt(6)))
            wizard = Form(self.env["stock.return.picking"].with_context(
                active_id=receipt.id, active_model="stock.picking")).save()
            wizard.product_return_moves.quantity = 2
            returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
            self._choose_serials(returned, receipt.move_line_ids.lot_id.sorted("name")[:2])
            self._validate(on_path(returned))

        self._both_ways(scenario)
        self.assertEqual(self.product.with_context(
            location=self.stock_location.id).qty_available, 4)

    def test_lot_valuation(self):
        self.product.lot_valuated = True

        def scenario(on_path):
            self._validate(on_path(self._numbered_receipt(7, price_unit=31.5)))

        snapshot = self._both_ways(scenario)
        self.assertEqual(len(snapshot["layers"]), 7, "one valuation layer per serial")

    def test_cancelled_receipt(self):
        def scenario(on_path):
            receipt = self._numbered_receipt(4)
            receipt.action_cancel()
            self.assertEqual(receipt.state, "cancel")
            self._validate(on_path(self._numbered_receipt(3)))

        snapshot = self._both_ways(scenario)
        self.assertEqual(len(snapshot["lots"]), 7)

    def test_inventory_adjustment_of_new_serials(self):
        """Counted serials new to the location: Odoo's quants there hold no quantity yet
        (inventory mode creates them with only the counted quantity)."""
        lots = self.env["stock.lot"]._serial_bulk_create(
            self.product, self.pattern._generate(3, self.product), from_pattern=True)

        def scenario(on_path):
            quants = self.env["stock.quant"].with_context(inventory_mode=True).create([
                {"product_id": self.product.id, "location_id": self.stock_location.id,
                 "lot_id": lot.id, "inventory_quantity": 1} for lot in lots])
            on_path(quants).with_context(inventory_mode=True).action_apply_inventory()

        snapshot = self._both_ways(scenario)
        self.assertEqual(self.product.with_context(
            location=self.stock_location.id).qty_available, 3)
        self.assertEqual(len(snapshot["lots"]), 3)

    def test_serial_reserved_by_another_delivery(self):
        """A transfer takes a serial another delivery had reserved (its quant reserved
        twice): Odoo frees that reservation in the middle of its loop and may reserve
        again, reading the quants the transfer has already moved; the line cannot be
        planned, so the whole product is left to Odoo's code."""
        lots = self.env["stock.lot"]._serial_bulk_create(
            self.product, self.pattern._generate(3, self.product), from_pattern=True)
        taken, first, second = lots
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(self.product, self.stock_location, 1, lot_id=taken,
                                         in_date="2026-10-30 08:00:00")
        for lot in first | second:
            Quant._update_available_quantity(self.product, self.stock_location, 1, lot_id=lot,
                                             in_date="2026-10-10 08:00:00")
        delivery = self._create_delivery([(self.product, 1)])
        self._choose_serials(delivery, taken)
        delivery.move_line_ids.picked = False

        def scenario(on_path):
            transfer = self._create_picking(
                self.env.ref("stock.picking_type_internal"), self.stock_location, self.shelf,
                [(self.product, 3)])
            self._choose_serials(transfer, lots)
            self._validate(on_path(transfer))

        self._both_ways(scenario, batched=False)
