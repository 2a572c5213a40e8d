"""What the demo database shows an accountant and a shipping clerk (skipped without demo)."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoValuation(TransactionCase):
    def setUp(self):
        super().setUp()
        self.phone = self.env.ref("serial_inventory.demo_product_phone",
                                  raise_if_not_found=False)
        if not self.phone:
            self.skipTest("no demo data")

    def test_demo_phones_are_valued_by_serial(self):
        self.assertTrue(self.phone.lot_valuated)
        self.assertEqual(self.phone.categ_id,
                         self.env.ref("serial_inventory.demo_product_category_devices"))
        rows = self.env["serial.valuation.report"].search(
            [("product_id", "=", self.phone.id)])
        self.assertTrue(rows, "Serial Valuation lists the demo phones in stock")
        self.assertEqual(rows.lot_id, self.phone.stock_quant_ids.filtered(
            lambda quant: quant.location_id.usage == "internal" and quant.quantity > 0).lot_id)
        self.assertEqual(set(rows.mapped("unit_cost")), {420.0})
        self.assertEqual(sum(rows.mapped("value")), 420.0 * len(rows))
        # The meter stays valued per product: its units' forms say so.
        meter = self.env.ref("serial_inventory.demo_product_meter")
        self.assertFalse(meter.lot_valuated)
        unit = self.env["stock.lot"].search([("product_id", "=", meter.id)], limit=1)
        self.assertIn("not per unit: unit cost from its receipt", unit.serial_valuation_note)

    def test_demo_delivery_slips_list_serials(self):
        """The setting is on, as Settings switches it on: implied by internal and portal
        users, so the setting reads as checked and every user gets the group."""
        self.assertTrue(self.env["res.config.settings"].create({}).group_lot_on_delivery_slip)
        slip_group = self.env.ref("stock.group_lot_on_delivery_slip")
        for group in ("base.group_user", "base.group_portal"):
            self.assertIn(slip_group, self.env.ref(group).implied_ids)
        self.assertIn(slip_group, self.env.ref("base.user_admin").groups_id)
        self.assertIn(slip_group, self.env.ref("base.user_demo").groups_id)
