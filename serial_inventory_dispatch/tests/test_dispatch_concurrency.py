import threading
import time
import uuid

from odoo.tests import tagged

from odoo.addons.serial_inventory.tests.common import THREAD_TIMEOUT, RealTransactionCase


@tagged("post_install", "-at_install")
class TestDispatchConcurrency(RealTransactionCase):
    """Scans on real parallel transactions, each on its own database connection.

    The other connections cannot see the test transaction's uncommitted data: the product,
    serial, stock and deliveries are created and committed through a real cursor, and
    removed afterwards.
    """

    # ------------------------------------------------------------------
    # Real cursors and committed fixtures
    # ------------------------------------------------------------------
    def _commit_fixture(self, deliveries, reserve=False):
        """One serial in stock and ``deliveries`` open deliveries of one unit, committed.

        Only with ``reserve`` does Odoo reserve the serial (for the first delivery): a serial
        reserved for another transfer is refused, so the races on the scans' hold need it
        free.
        """
        tag = uuid.uuid4().hex[:8].upper()
        cursor = self._real_cursor()
        try:
            env = self._real_env(cursor)
            stock = env.ref("stock.stock_location_stock")
            customers = env.ref("stock.stock_location_customers")
            product = env["product.product"].create({
                "name": f"Race unit {tag}", "is_storable": True, "tracking": "serial"})
            pattern = product._get_serial_pattern()
            name = pattern._generate(1, product)[0] if pattern else f"RACE-{tag}"
            lot = env["stock.lot"].create(
                {"name": name, "product_id": product.id, "company_id": env.company.id})
            env["stock.quant"]._update_available_quantity(product, stock, 1, lot_id=lot)
            pickings = env["stock.picking"].create([{
                "picking_type_id": env.ref("stock.picking_type_out").id,
                "location_id": stock.id,
                "location_dest_id": customers.id,
                "move_ids": [(0, 0, {
                    "name": product.name, "product_id": product.id, "product_uom_qty": 1,
                    "product_uom": product.uom_id.id, "location_id": stock.id,
                    "location_dest_id": customers.id,
                })],
            } for _index in range(deliveries)])
            pickings.action_confirm()  # reserves the serial for the first delivery
            pickings.action_assign()
            if not reserve:
                pickings.do_unreserve()
            ids = (product.id, lot.name, pickings.ids, pickings.mapped("name"))
            cursor.commit()
        finally:
            cursor.close()
        self.addCleanup(self._delete_fixture, ids[0], ids[2])
        return ids

    def _delete_fixture(self, product_id, picking_ids):
        cursor = self._real_cursor()
        try:
            env = self._real_env(cursor)
            pickings = env["stock.picking"].browse(picking_ids).exists()
            pickings.action_cancel()
            cursor.execute("DELETE FROM serial_scan WHERE picking_id = ANY(%s)",
                           [picking_ids])
            pickings.unlink()
            cursor.execute("DELETE FROM stock_quant WHERE product_id = %s", [product_id])
            env["stock.lot"].search([("product_id", "=", product_id)]).unlink()
            product = env["product.product"].browse(product_id)
            template = product.product_tmpl_id
            product.unlink()
            template.exists().unlink()
            cursor.commit()
        finally:
            cursor.close()

    def _committed_scans(self, picking_ids):
        """(picking id, client id, result, open, message) of the committed scans, seen afresh."""
        cursor = self._real_cursor()
        try:
            cursor.execute(
                """SELECT picking_id, client_uid, result, open, message
                     FROM serial_scan WHERE picking_id = ANY(%s) ORDER BY id""",
                [picking_ids])
            return cursor.fetchall()
        finally:
            cursor.close()

    # ------------------------------------------------------------------
    # Scanning on a connection of its own
    # ------------------------------------------------------------------
    def _scan_in_thread(self, picking_id, code, client_uid, outcome, barrier):
        """Scan on a new connection once every scanner is ready (``barrier``) and commit;
        store the result (or error) in ``outcome``."""
        try:
            cursor = self._real_cursor()
            try:
                env = self._real_env(cursor)
                picking = env["stock.picking"].browse(picking_id)
                barrier.wait()
                outcome["result"] = picking.serial_dispatch_scan(code, client_uid)
                cursor.commit()
            finally:
                cursor.close()
        except Exception as error:  # reported by the main thread
            outcome["error"] = error

    def _race_against_open_transaction(self, first_picking, second_picking, serial,
                                       first_uid, second_uid, commit_first=True,
                                       takeover=False):
        """A scans and keeps its transaction open; B scans and must wait on A's index entry;
        then A commits (or rolls back). Returns (A's result, B's result)."""
        def scan(picking_id, client_uid):
            return lambda env: env["stock.picking"].browse(picking_id).serial_dispatch_scan(
                serial, client_uid, takeover=takeover)

        result_a, outcome_b = self._race(
            scan(first_picking, first_uid), scan(second_picking, second_uid),
            name="dispatch-race-b", end_a="commit" if commit_first else "rollback")
        self.assertEqual(result_a["result"], "accepted", result_a["message"])
        self.assertNotIn("error", outcome_b)
        return result_a, outcome_b["result"]

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------
    def test_same_serial_into_two_dispatches_at_once(self):
        _product_id, serial, picking_ids, names = self._commit_fixture(2)
        _result_a, result_b = self._race_against_open_transaction(
            picking_ids[0], picking_ids[1], serial, "race-a", "race-b")
        self.assertEqual(result_b["result"], "refused")
        self.assertEqual(result_b["message"],
                         f"Serial {serial} is already scanned for {names[0]}.")
        scans = self._committed_scans(picking_ids)
        self.assertEqual([(p, uid, result, is_open) for p, uid, result, is_open, _m in scans], [
            (picking_ids[0], "race-a", "accepted", True),
            (picking_ids[1], "race-b", "refused", False),
        ])

    def test_loser_is_accepted_when_the_winner_rolls_back(self):
        _product_id, serial, picking_ids, _names = self._commit_fixture(2)
        _result_a, result_b = self._race_against_open_transaction(
            picking_ids[0], picking_ids[1], serial, "rb-a", "rb-b", commit_first=False)
        self.assertEqual(result_b["result"], "accepted", result_b["message"])
        scans = self._committed_scans(picking_ids)
        self.assertEqual([(p, result, is_open) for p, _uid, result, is_open, _m in scans],
                         [(picking_ids[1], "accepted", True)])

    def test_two_identical_retries_at_once_count_once(self):
        _product_id, serial, picking_ids, _names = self._commit_fixture(1)
        result_a, result_b = self._race_against_open_transaction(
            picking_ids[0], picking_ids[0], serial, "retry-same", "retry-same")
        self.assertEqual(result_b["result"], "accepted")
        self.assertTrue(result_b["duplicate"])
        self.assertEqual(result_b["scan_id"], result_a["scan_id"])
        scans = self._committed_scans(picking_ids)
        self.assertEqual([(uid, result, is_open) for _p, uid, result, is_open, _m in scans],
                         [("retry-same", "accepted", True)])

    def test_four_scanners_one_serial(self):
        clients = 4
        _product_id, serial, picking_ids, names = self._commit_fixture(clients)
        barrier = threading.Barrier(clients, timeout=THREAD_TIMEOUT)
        outcomes = [{} for _index in range(clients)]
        threads = [
            threading.Thread(target=self._scan_in_thread, name=f"dispatch-scanner-{index}",
                             args=(picking_ids[index], serial, f"four-{index}",
                                   outcomes[index], barrier))
            for index in range(clients)
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + THREAD_TIMEOUT
        for thread in threads:
            thread.join(max(deadline - time.monotonic(), 0))
        self.assertFalse([thread.name for thread in threads if thread.is_alive()],
                         f"scanners did not finish in time:\n{self._activity_report()}")
        self.assertEqual([outcome.get("error") for outcome in outcomes], [None] * clients)
        results = [outcome["result"]["result"] for outcome in outcomes]
        self.assertEqual(sorted(results), ["accepted"] + ["refused"] * (clients - 1))
        winner = names[results.index("accepted")]
        for outcome in outcomes:
            if outcome["result"]["result"] == "refused":
                self.assertIn(winner, outcome["result"]["message"])
        open_scans = [scan for scan in self._committed_scans(picking_ids) if scan[3]]
        self.assertEqual(len(open_scans), 1)

    def test_two_takeovers_of_one_reserved_serial_at_once(self):
        """A and B take over the serial Odoo reserved for C at the same moment: A's scan
        holds it first, B waits on that index entry and is refused once A commits."""
        product_id, serial, picking_ids, names = self._commit_fixture(3, reserve=True)
        holder, first, second = picking_ids
        result_a, result_b = self._race_against_open_transaction(
            first, second, serial, "takeover-a", "takeover-b", takeover=True)
        self.assertIn(f"taken over from {names[0]}", result_a["message"])
        self.assertEqual(result_b["result"], "refused")
        self.assertEqual(result_b["message"],
                         f"Serial {serial} is already scanned for {names[1]}.")
        scans = self._committed_scans(picking_ids)
        self.assertEqual([(p, uid, result, is_open) for p, uid, result, is_open, _m in scans], [
            (first, "takeover-a", "accepted", True),
            (second, "takeover-b", "refused", False),
        ])
        cursor = self._real_cursor()
        try:
            cursor.execute(
                """SELECT quant.quantity, quant.reserved_quantity FROM stock_quant quant
                     JOIN stock_location location ON location.id = quant.location_id
                    WHERE quant.product_id = %s AND location.usage = 'internal'""",
                [product_id])
            self.assertEqual(cursor.fetchall(), [(1.0, 1.0)])
            cursor.execute(
                """SELECT line.picking_id, lot.name, line.quantity FROM stock_move_line line
                     JOIN stock_lot lot ON lot.id = line.lot_id
                    WHERE line.product_id = %s""", [product_id])
            self.assertEqual(cursor.fetchall(), [(first, serial, 1.0)])
            cursor.execute(
                """SELECT res_id FROM mail_message WHERE model = 'stock.picking'
                      AND res_id = ANY(%s) AND body LIKE %s ORDER BY res_id""",
                [picking_ids, "%taken over%"])
            self.assertEqual([row[0] for row in cursor.fetchall()], [holder, first])
        finally:
            cursor.close()
