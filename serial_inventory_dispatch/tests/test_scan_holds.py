"""One serial, one operation: a unit held by one operation's open scan is refused to the
others (transfer, quotation, delivery), also when both scan it at the same moment."""

from odoo.tests import tagged

from odoo.addons.serial_inventory.tests.common import RealTransactionCase

from .test_dispatch_concurrency import TestDispatchConcurrency


@tagged("post_install", "-at_install")
class TestScanHolds(RealTransactionCase):
    _commit_fixture = TestDispatchConcurrency._commit_fixture
    _delete_fixture = TestDispatchConcurrency._delete_fixture

    def _stock_barcode(self, env):
        return env.ref("stock.stock_location_stock").barcode

    def test_unit_on_a_transfer_is_refused_to_a_quotation(self):
        """The Order operation checks only its own hold and the dispatch's: the core refuses
        what another operation holds. (Data of the test transaction only: no real cursor.)"""
        env = self.env
        stock = env.ref("stock.stock_location_stock")
        product = env["product.product"].create({
            "name": "Held unit", "is_storable": True, "tracking": "serial", "sale_ok": True})
        pattern = product._get_serial_pattern()
        serial = pattern._generate(1, product)[0] if pattern else "HELD-UNIT-1"
        lot = env["stock.lot"].create({"name": serial, "product_id": product.id,
                                       "company_id": env.company.id})
        env["stock.quant"]._update_available_quantity(product, stock, 1, lot_id=lot)
        customer = env["res.partner"].create({"name": "Held unit customer"})
        operations = env["serial.scan.operation"]
        source = operations.scan("transfer", False, self._stock_barcode(env), "h-src")
        transfer = source["record_id"]
        unit = operations.scan("transfer", transfer, lot.name, "h-unit")
        self.assertEqual(unit["result"], "accepted", unit["message"])
        order = operations.scan_action("order", False, "new", {"partner_id": customer.id})
        answer = operations.scan("order", order["record_id"], lot.name, "h-order")
        self.assertEqual(answer["result"], "refused")
        self.assertIn(env["stock.picking"].browse(transfer).name, answer["message"])
        self.assertFalse(env["sale.order"].browse(order["record_id"]).order_line)

    def _cleanup_transfer(self, picking_id):
        cursor = self._real_cursor()
        try:
            env = self._real_env(cursor)
            cursor.execute("DELETE FROM serial_scan WHERE res_model = 'stock.picking' "
                           "AND res_id = %s", [picking_id])
            picking = env["stock.picking"].browse(picking_id).exists()
            picking.action_cancel()
            picking.unlink()
            cursor.commit()
        finally:
            cursor.close()

    def test_transfer_and_delivery_scan_one_serial_at_once(self):
        """A puts the serial on a transfer and keeps its transaction open; B scans it for a
        delivery and must wait for A, then is refused naming A's transfer (B's snapshot
        cannot see A's scan: the lock and the fresh read do)."""
        _product_id, serial, picking_ids, _names = self._commit_fixture(1)

        def transfer_unit(env):
            operations = env["serial.scan.operation"]
            source = operations.scan("transfer", False, self._stock_barcode(env), "race-src")
            transfer = source["record_id"]
            self.addCleanup(self._cleanup_transfer, transfer)
            unit = operations.scan("transfer", transfer, serial, "race-unit")
            self.assertEqual(unit["result"], "accepted", unit["message"])
            return env["stock.picking"].browse(transfer).name

        def deliver_unit(env):
            return env["serial.scan.operation"].scan(
                "deliver", picking_ids[0], serial, "race-deliver")

        transfer_name, outcome_b = self._race(transfer_unit, deliver_unit, name="hold-race-b")
        self.assertNotIn("error", outcome_b)
        result_b = outcome_b["result"]
        self.assertEqual(result_b["result"], "refused")
        self.assertIn(transfer_name, result_b["message"])
        cursor = self._real_cursor()
        try:
            cursor.execute("SELECT hold FROM serial_scan WHERE open AND lot_id = "
                           "(SELECT id FROM stock_lot WHERE name = %s)", [serial])
            self.assertEqual(cursor.fetchall(), [("transfer",)])
        finally:
            cursor.close()
