"""The fast receiving and delivering paths store exactly what Odoo's own code stores.

Each scenario runs twice in one transaction: on Odoo's code (context ``serial_odoo_path``,
read by every override of the add-ons) and, after rolling back, on the fast paths. Lots,
quants, move lines, moves, valuation layers, journal items, the neighbour add-on's
defaults, many2many and the events its create()/write() overrides logged must be equal
(see PathEquivalenceCase). Every comparison has a negative control: the same scenario with
one fast step broken (broken_fast_path) must differ.
"""

from odoo.tests import tagged

from .common import PathEquivalenceCase, broken_fast_path, fast_path_spy


@tagged("post_install", "-at_install")
class TestFastPathEquivalence(PathEquivalenceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env["product.category"].create({
            "name": "Equivalence (real time, FIFO)", "property_cost_method": "fifo",
            "property_valuation": "real_time"})
        cls.product = cls._create_serial_product(
            "Equivalence unit", use_expiration_date=True, expiration_time=400,
            standard_price=7.25, categ_id=cls.category.id)
        cls.pattern = cls._create_pattern("EQ{SEQ:6:36}{CHECK}", "mod37_36")

    # ------------------------------------------------------------------
    # Scenarios
    # ------------------------------------------------------------------
    def _receive_generated(self, on_path, count=12, prefix="VEQ-000001"):
        """Odoo's own buttons: Generate Serials on the receipt, then Validate."""
        receipt = self._create_receipt([(self.product, count)])
        receipt.move_ids.write({"price_unit": 9.5})
        receipt.move_ids._generate_serial_numbers(prefix, count)
        # An expiry typed on the lines: product_expiry gives it to each lot it creates.
        receipt.move_line_ids.write({"expiration_date": "2027-12-24 00:00:00"})
        self._validate(on_path(receipt))
        return receipt

    def _deliver_reserved(self, on_path, count=9):
        delivery = self._create_delivery([(self.product, count)])
        delivery.action_assign()
        self.assertEqual(delivery.state, "assigned")
        self._validate(on_path(delivery))
        return delivery

    def _check(self, scenario, before_each=None, batched_at_least=2):
        # The negative control first (rolled back): one fast step broken must show.
        with broken_fast_path():
            self.assertPathsDiffer(self._both_paths(
                scenario, self.product, before_each=before_each, keep_fast=False))
        with fast_path_spy() as batched:
            snapshots = self._both_paths(scenario, self.product, before_each=before_each)
        self.assertGreaterEqual(sum(batched), batched_at_least,
                                "the fast path batched the units' quants")
        self.assertSamePaths(snapshots)
        return snapshots["fast"]

    # ------------------------------------------------------------------
    def test_receipt_lots_created_at_validation(self):
        """Generate Serials gives names only; Odoo creates the lots at validation."""
        self.picking_type_in.use_existing_lots = False
        snapshot = self._check(self._receive_generated)
        self.assertEqual(len(snapshot["lots"]), 12)
        self.assertEqual(len(snapshot["quants"]), 24, "-1 at the vendor, +1 in stock")
        self.assertTrue(snapshot["journal items"], "real-time valuation posts entries")

    def test_receipt_lots_created_by_generation(self):
        self.picking_type_in.use_existing_lots = True
        self._check(self._receive_generated)

    def test_receipt_lot_valuation(self):
        self.product.lot_valuated = True
        snapshot = self._check(self._receive_generated)
        self.assertEqual(len(snapshot["layers"]), 12, "one valuation layer per serial")

    def test_delivery_of_reserved_serials(self):
        self._receive_generated(lambda picking: picking.with_context(serial_odoo_path=True),
                                count=15)
        snapshot = self._check(self._deliver_reserved)
        self.assertEqual(len([row for row in snapshot["lines"] if '"state": "done"' in row]),
                         24)

    def test_delivery_lot_valuation(self):
        self.product.lot_valuated = True
        self._receive_generated(lambda picking: picking.with_context(serial_odoo_path=True),
                                count=10)
        self._check(self._deliver_reserved)

    def test_return_from_customer(self):
        """A source that bypasses reservation, holding the lot's quant (the customer)."""
        odoo_path = lambda picking: picking.with_context(serial_odoo_path=True)  # noqa: E731
        self._receive_generated(odoo_path, count=6)
        delivery = self._deliver_reserved(odoo_path, count=6)

        def scenario(on_path):
            returned = self._create_picking(
                self.picking_type_in, self.customer_location, self.stock_location,
                [(self.product, 4)], self.customer)
            self._choose_serials(returned, delivery.move_line_ids.lot_id.sorted("name")[:4])
            self._validate(on_path(returned))

        self._check(scenario)

    def test_number_serials_equals_generate_serials(self):
        """The project's Number serials gives the lines what Odoo's Generate Serials (lots
        created at generation) gives them for the same names."""
        self.product.serial_pattern_id = self.pattern
        self.picking_type_in.use_existing_lots = True

        def reset_counter():
            self.pattern.next_counter = 500

        def scenario(on_path):
            receipt = self._create_receipt([(self.product, 8)])
            if on_path(receipt).env.context.get("serial_odoo_path"):
                # Odoo's button, its first serial from the pattern (stock.lot routes it),
                # on the move without its blank lines, as Number serials works
                receipt.move_line_ids.unlink()
                receipt.move_ids._generate_serial_numbers("", 8)
            else:
                receipt.move_ids._serial_fill_from_pattern()
            self._validate(on_path(receipt))

        snapshots = self._both_paths(scenario, self.product, before_each=reset_counter)
        self.assertEqual(len(snapshots["fast"]["lots"]), 8)
        # Odoo creates these lots with {name, product}; Number serials also names their
        # company and unit data: the neighbour's create() override sees other keys.
        for snapshot in snapshots.values():
            snapshot.pop("neighbour events")
        self.assertSamePaths(snapshots)
