"""Fixtures shared by the Serial Inventory tests: locations, operation types, patterns,
serial products and pickings built the way Odoo's own stock tests build them."""

import json
import time
from contextlib import contextmanager

import odoo
from odoo import api
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase


def stored_rows(cr, query, params=(), ignored=frozenset()):
    """The rows ``query`` returns, as sorted JSON texts without the ``ignored`` columns:
    comparable between two runs that differ only in those columns."""
    cr.execute(query, params)
    names = [column.name for column in cr.description]
    return sorted(
        json.dumps({name: value for name, value in zip(names, row, strict=True)
                    if name not in ignored}, sort_keys=True, default=str)
        for row in cr.fetchall())


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

    def _receive_with_pattern(self, product, quantity, **lot_values):
        """Receive ``quantity`` units of ``product`` numbered by its pattern; return the lots."""
        receipt = self._create_receipt([(product, quantity)])
        lots = receipt.move_ids._serial_fill_from_pattern(lot_values)
        self._validate(receipt)
        return lots
