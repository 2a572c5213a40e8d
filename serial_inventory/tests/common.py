"""Fixtures shared by the Serial Inventory tests: locations, operation types, patterns,
serial products and pickings built the way Odoo's own stock tests build them."""

import json
import queue
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

from freezegun import freeze_time

import odoo
from odoo import api
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase
from odoo.tools import SQL

from odoo.addons.serial_inventory.unit_moves import UnitMoves

THREAD_TIMEOUT = 60  # seconds; bounds every wait of the concurrency tests


def stored_rows(cr, query, params=(), ignored=frozenset()):
    """The rows ``query`` returns, as sorted JSON texts without the ``ignored`` columns:
    comparable between two runs that differ only in those columns."""
    cr.execute(query, params)
    names = [column.name for column in cr.description]
    return sorted(
        json.dumps({name: value for name, value in zip(names, row, strict=True)
                    if name not in ignored}, sort_keys=True, default=str)
        for row in cr.fetchall())


def run_hoot_suite(case, name):
    """Run the Hoot tests of suite ``name`` (e.g. "@serial_inventory_scan", or one file:
    "@serial_inventory_scan/return_screen") headless in ``case``'s browser (an HttpCase)
    and fail on any failing test. The suite's id is Hoot's hash of its name (see
    web/tests/test_js.py: HOOTCommon._generate_hash)."""
    value = 0
    for char in name:
        value = ((value << 5) - value + ord(char)) & 0xFFFFFFFF
    case.browser_js(
        f"/web/tests?headless&loglevel=2&preset=desktop&timeout=15000&id={value:08x}",
        "", "", login="admin", timeout=600,
        success_signal="[HOOT] Test suite succeeded",
        error_checker=lambda message: "[HOOT]" not in message)


class RealTransactionCase(TransactionCase):
    """Real parallel transactions on connections of their own, outside the test transaction.

    Other connections cannot see the test transaction's uncommitted data: the records they
    need are created and committed through a real cursor, and removed afterwards.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dbname = cls.env.cr.dbname

    def _real_cursor(self):
        return db_connect(self.dbname).cursor()

    def _real_env(self, cursor):
        # The test runner holds Registry._lock while the tests run, so a thread must not
        # look the registry up by name (Registry(dbname) takes that lock): give the cursor
        # its transaction on the already loaded registry.
        if cursor.transaction is None:
            cursor.transaction = api.Transaction(self.registry)
        return api.Environment(cursor, odoo.SUPERUSER_ID, {
            "tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True})

    def _race(self, step_a, step_b, name="race-b", end_a="commit"):
        """Two transactions on one thing: A runs ``step_a(env_a)`` and keeps its
        transaction open; B runs ``step_b(env_b)`` on a connection of its own, in a thread,
        and must wait on a lock A holds; then A commits (``end_a="rollback"``: rolls back)
        and B commits. Returns (A's result, B's outcome: {"result": ...} or
        {"error": the exception B raised}).

        Both steps run as the superuser on real cursors: the records they touch must be
        committed fixtures (see the class docstring)."""
        pids, outcome_b = queue.Queue(), {}

        def run_b():
            try:
                cursor = self._real_cursor()
                try:
                    cursor.execute("SELECT pg_backend_pid()")
                    pids.put(cursor.fetchone()[0])
                    outcome_b["result"] = step_b(self._real_env(cursor))
                    cursor.commit()
                finally:
                    cursor.close()
            except Exception as error:  # reported by the main thread
                outcome_b["error"] = error

        cursor_a, monitor = self._real_cursor(), self._real_cursor()
        thread_b = threading.Thread(target=run_b, name=name)
        try:
            result_a = step_a(self._real_env(cursor_a))
            cursor_a.execute("SELECT pg_backend_pid()")
            pid_a = cursor_a.fetchone()[0]
            thread_b.start()
            self._wait_until_blocked_by(monitor, pid_a, pids.get(timeout=THREAD_TIMEOUT),
                                        thread_b, outcome_b, THREAD_TIMEOUT)
            if end_a == "commit":
                cursor_a.commit()
            else:
                cursor_a.rollback()
            thread_b.join(THREAD_TIMEOUT)
            self.assertFalse(thread_b.is_alive(), "B is still blocked after A ended")
        finally:
            cursor_a.close()  # rolls A back if it did not end, which releases B
            monitor.close()
            if thread_b.is_alive():
                thread_b.join(THREAD_TIMEOUT)
        return result_a, outcome_b

    def _wait_until_blocked_by(self, monitor, pid_a, pid_b, thread_b, outcome, timeout):
        """Return once the backend ``pid_b`` (run by ``thread_b``) waits on a lock held by
        ``pid_a``; fail if B finishes or the timeout passes first. ``monitor`` is a real
        cursor of its own. The short sleep is the polling interval, not a synchronisation:
        what is waited for is the lock wait itself, seen in pg_stat_activity."""
        deadline = time.monotonic() + timeout
        while True:
            monitor.execute(
                """SELECT wait_event_type, %s = ANY(pg_blocking_pids(pid))
                     FROM pg_stat_activity WHERE pid = %s""", [pid_a, pid_b])
            row = monitor.fetchone()
            monitor.rollback()  # a new transaction sees fresh statistics
            if row and row[0] == "Lock":
                self.assertTrue(row[1], "B waits on a lock that A does not hold")
                return
            self.assertTrue(thread_b.is_alive(), f"B finished without waiting for A: {outcome}")
            self.assertLess(time.monotonic(), deadline,
                            f"B never waited on A's lock:\n{self._activity_report()}")
            time.sleep(0.01)

    def _activity_report(self):
        """Who waits on what in this database: included in failure messages."""
        cursor = self._real_cursor()
        try:
            cursor.execute(
                """SELECT pid, state, wait_event_type, wait_event, pg_blocking_pids(pid),
                          left(query, 200)
                     FROM pg_stat_activity
                    WHERE datname = current_database() AND pid != pg_backend_pid()""")
            return "\n".join(str(row) for row in cursor.fetchall())
        finally:
            cursor.close()


class SerialInventoryCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        # Start from Odoo's standard behaviour whatever the database holds.
        cls.company.write({"serial_pattern_id": False, "serial_unique_scope": "product"})
        cls.stock_location = cls.env.ref("stock.stock_location_stock")
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.picking_type_in = cls.env.ref("stock.picking_type_in")
        cls.picking_type_out = cls.env.ref("stock.picking_type_out")
        cls.uom_unit = cls.env.ref("uom.product_uom_unit")
        cls.supplier = cls.env["res.partner"].create({"name": "Serial Test Supplier"})
        cls.customer = cls.env["res.partner"].create({"name": "Serial Test Customer"})

    @contextmanager
    def assertRefused(self, exception, *fragments):
        """``assertRaises`` (rolled back to a savepoint, unlike ``assertRaisesRegex``) that
        also checks the error message contains every one of ``fragments``."""
        with self.assertRaises(exception) as caught:
            yield caught
        message = str(caught.exception)
        for fragment in fragments:
            self.assertIn(fragment, message)

    # Tables whose rows a refused input must leave as they were (the scan log aside).
    STOCK_TABLES = ("stock_lot", "stock_quant", "stock_move", "stock_move_line",
                    "stock_picking", "serial_batch", "serial_registry_queue")

    @contextmanager
    def assertChangesNothing(self, tables=STOCK_TABLES):
        """Fail when the block adds, removes or changes a row of ``tables`` (compared by
        count and by the latest write date of each table, after flushing the ORM)."""
        def state():
            self.env.flush_all()
            found = {}
            for table in tables:
                self.env.cr.execute(SQL("SELECT count(*), max(write_date), max(id) FROM %s",
                                        SQL.identifier(table)))
                found[table] = self.env.cr.fetchone()
            return found
        before = state()
        yield
        self.assertEqual(state(), before, "the refused input changed stored records")

    # ------------------------------------------------------------------
    # Records
    # ------------------------------------------------------------------
    @classmethod
    def _create_pattern(cls, template, check_algorithm="none", **values):
        return cls.env["serial.pattern"].create({
            "name": values.pop("name", f"Test pattern {template}"),
            "template": template,
            "check_algorithm": check_algorithm,
            **values,
        })

    @classmethod
    def _create_serial_product(cls, name, pattern=None, **values):
        return cls.env["product.product"].create({
            "name": name,
            "is_storable": True,
            "tracking": "serial",
            "serial_pattern_id": pattern.id if pattern else False,
            **values,
        })

    def _create_picking(self, picking_type, source, destination, lines, partner=None):
        """A confirmed picking with one move per (product, quantity) of ``lines``."""
        picking = self.env["stock.picking"].create({
            "picking_type_id": picking_type.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "partner_id": partner.id if partner else False,
            "move_ids": [
                (0, 0, {
                    "name": product.display_name,
                    "product_id": product.id,
                    "product_uom_qty": quantity,
                    "product_uom": product.uom_id.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                })
                for product, quantity in lines
            ],
        })
        picking.action_confirm()
        return picking

    def _create_receipt(self, lines, partner=None):
        return self._create_picking(self.picking_type_in, self.supplier_location,
                                    self.stock_location, lines, partner or self.supplier)

    def _create_delivery(self, lines, partner=None):
        return self._create_picking(self.picking_type_out, self.stock_location,
                                    self.customer_location, lines, partner or self.customer)

    def _validate(self, picking):
        """Validate ``picking`` without any confirmation dialog and check it is done."""
        result = picking.with_context(skip_sms=True).button_validate()
        self.assertIs(result, True, f"{picking.name} asked for a confirmation: {result}")
        self.assertEqual(picking.state, "done")
        return picking

    def _choose_serials(self, picking, lots):
        """Replace the lines of ``picking``'s move by one line per lot of ``lots``, as a
        clerk picking those units would."""
        picking.move_line_ids.unlink()
        picking.move_ids.write({"move_line_ids": [
            (0, 0, {**picking.move_ids._prepare_move_line_vals(quantity=1),
                    "lot_id": lot.id, "quantity": 1})
            for lot in lots]})

    def _receive_with_pattern(self, product, quantity, **lot_values):
        """Receive ``quantity`` units of ``product`` numbered by its pattern; return the lots."""
        receipt = self._create_receipt([(product, quantity)])
        lots = receipt.move_ids._serial_fill_from_pattern(lot_values)
        self._validate(receipt)
        return lots


# Columns that identify a record or hold a per-record random value: they differ between
# two runs of the same operation by construction. The neighbour add-on's tokens are
# checked apart (one distinct token per record).
RUN_SPECIFIC_COLUMNS = frozenset({
    "id", "lot_id", "move_id", "picking_id", "reference", "origin", "stock_move_id",
    "account_move_id", "account_move_line_id", "description", "create_date", "write_date",
    "group_id", "result_package_id", "package_id", "package_level_id",
    "origin_returned_move_id", "move_orig_ids", "move_dest_ids", "picking_type_id",
    "backorder_id", "return_id", "stock_valuation_layer_id", "quant_id", "res_id",
    "neighbour_token", "neighbour_lot_token", "neighbour_move_reference",
    "serial_registry_queue_id",
})


class PathEquivalenceCase(SerialInventoryCase):
    maxDiff = None
    """Run one scenario on Odoo's own code (context ``serial_odoo_path``) and on the add-ons'
    fast paths, in one transaction rolled back in between, and compare what the database
    holds for the product: lots, quants, move lines, moves, valuation layers, journal items
    and what the neighbour add-on (tests/addons) saw."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "neighbour.event" not in cls.env:
            raise AssertionError("the test neighbour add-on serial_inventory_neighbour must be "
                                 "installed (setup/test.sh installs it)")

    def _snapshot(self, product):
        self.env.flush_all()
        cr = self.env.cr

        def rows(query, *params, ignored=RUN_SPECIFIC_COLUMNS):
            return stored_rows(cr, query, params, ignored)

        snapshot = {
            "lots": rows("SELECT * FROM stock_lot WHERE product_id = %s", product.id),
            "quants": rows("SELECT quant.*, lot.name AS lot_ref FROM stock_quant quant "
                           "LEFT JOIN stock_lot lot ON lot.id = quant.lot_id "
                           "WHERE quant.product_id = %s", product.id),
            "lines": rows("SELECT line.*, lot.name AS lot_ref FROM stock_move_line line "
                          "LEFT JOIN stock_lot lot ON lot.id = line.lot_id "
                          "WHERE line.product_id = %s", product.id),
            # A return move's name quotes the returned picking's number.
            "moves": rows("SELECT * FROM stock_move WHERE product_id = %s", product.id,
                          ignored=RUN_SPECIFIC_COLUMNS | {"name"}),
            "layers": rows("SELECT layer.*, lot.name AS lot_ref FROM stock_valuation_layer "
                           "layer LEFT JOIN stock_lot lot ON lot.id = layer.lot_id "
                           "WHERE layer.product_id = %s", product.id),
            "journal items": rows(
                "SELECT aml.account_id, aml.debit, aml.credit, aml.balance, aml.quantity, "
                "aml.product_id FROM account_move_line aml WHERE aml.product_id = %s",
                product.id),
            "lot tags": rows(
                "SELECT lot.name, rel.* FROM neighbour_tag_stock_lot_rel rel "
                "JOIN stock_lot lot ON lot.id = rel.stock_lot_id WHERE lot.product_id = %s",
                product.id, ignored=RUN_SPECIFIC_COLUMNS | {"stock_lot_id"}),
            # How many times the neighbour's create()/write() overrides saw each kind of
            # record, and with which fields.
            "neighbour events": rows(
                "SELECT model, method, field_names, count(*) FROM neighbour_event "
                "GROUP BY model, method, field_names"),
        }
        for table, model in (("stock_lot", "stock.lot"), ("stock_quant", "stock.quant"),
                             ("stock_move_line", "stock.move.line")):
            cr.execute(f"SELECT count(*), count(DISTINCT neighbour_token), "
                       f"count(neighbour_token) FROM {table} WHERE product_id = %s",
                       (product.id,))
            count, distinct, filled = cr.fetchone()
            self.assertEqual((distinct, filled), (count, count),
                             f"every {model} has its own neighbour default")
        return snapshot

    def _run_on_path(self, scenario, product, odoo_path):
        """Run ``scenario(on_path)`` on one path; ``on_path(records)`` gives records the
        path's context. Returns the snapshot."""
        def on_path(records):
            return records.with_context(serial_odoo_path=odoo_path)

        self.env["neighbour.event"].search([]).unlink()
        scenario(on_path)
        return self._snapshot(product)

    def _both_paths(self, scenario, product, before_each=None, when="2026-11-04 08:00:00",
                    keep_fast=True):
        """{"odoo": snapshot, "fast": snapshot} of ``scenario`` run on each path; what the
        fast path stored stays (``keep_fast``) for the test to look at."""
        snapshots = {}
        with freeze_time(when):
            for path in ("odoo", "fast"):
                savepoint = self.env.cr.savepoint()
                if before_each:
                    before_each()
                snapshots[path] = self._run_on_path(scenario, product, path == "odoo")
                rollback = path == "odoo" or not keep_fast
                savepoint.close(rollback=rollback)
                if rollback:
                    self.env.transaction.reset()
        return snapshots

    def assertSamePaths(self, snapshots):
        for table, odoo_rows in snapshots["odoo"].items():
            self.assertEqual(snapshots["fast"][table], odoo_rows, f"{table} differ")

    def assertPathsDiffer(self, snapshots):
        """The negative control: a broken fast path must show in the comparison."""
        self.assertNotEqual(snapshots["fast"], snapshots["odoo"],
                            "a broken fast path went unnoticed by the comparison")


@contextmanager
def fast_path_spy():
    """Count the one-unit lines the fast validation path batched (it runs for real)."""
    batched = []
    original = UnitMoves.apply

    def apply(self):
        batched.append(len(self))
        return original(self)

    UnitMoves.apply = apply
    try:
        yield batched
    finally:
        UnitMoves.apply = original


@contextmanager
def broken_fast_path():
    """A test-only break of one fast step: the batched quants get an in_date an hour off."""
    original = UnitMoves._plan_source

    def plan_source(*args):
        plan = original(*args)
        if plan:
            plan["in_date"] += timedelta(hours=1)
        return plan

    UnitMoves._plan_source = staticmethod(plan_source)
    try:
        yield
    finally:
        UnitMoves._plan_source = staticmethod(original)
