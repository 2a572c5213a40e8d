import threading
import time

import psycopg2
import psycopg2.errors

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import THREAD_TIMEOUT, RealTransactionCase, SerialInventoryCase


@tagged("post_install", "-at_install")
class TestSerialUniqueness(SerialInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_a = cls._create_serial_product("Unique A")
        cls.product_b = cls._create_serial_product("Unique B")

    def _lot(self, name, product, **values):
        return self.env["stock.lot"].create({
            "name": name, "product_id": product.id, "company_id": self.company.id, **values})

    def test_per_product_scope_allows_same_serial_on_two_products(self):
        self.assertEqual(self.company.serial_unique_scope, "product")
        lot_a = self._lot("SHARED-001", self.product_a)
        lot_b = self._lot("SHARED-001", self.product_b)
        self.assertTrue(lot_a.exists() and lot_b.exists())
        self.assertNotEqual(lot_a.serial_unique_key, lot_b.serial_unique_key)
        # Odoo's rule still holds: one product cannot have the serial twice.
        with self.assertRefused(ValidationError, "SHARED-001"):
            self._lot("SHARED-001", self.product_a)

    def test_company_scope_refuses_serial_of_another_product(self):
        self.company.serial_unique_scope = "company"
        self._lot("CS-0001", self.product_a)
        with self.assertRaises(ValidationError) as caught:
            self._lot("CS-0001", self.product_b)
        message = str(caught.exception)
        self.assertIn("CS-0001", message)
        self.assertIn(self.product_a.display_name, message)
        # Renaming an existing serial onto a used one is refused the same way.
        lot_b = self._lot("CS-0002", self.product_b)
        with self.assertRefused(ValidationError, "CS-0001"):
            lot_b.name = "CS-0001"
        self.assertEqual(
            self.env["stock.lot"].search_count([("name", "=", "CS-0001")]), 1)
        # Lot-tracked products keep Odoo's per-product rule.
        lot_tracked = self.env["product.product"].create(
            {"name": "Bulk lot", "is_storable": True, "tracking": "lot"})
        self.assertTrue(self._lot("CS-0001", lot_tracked).exists())

    def test_switch_to_company_scope_refused_while_serials_are_shared(self):
        self._lot("SW-0001", self.product_a)
        self._lot("SW-0001", self.product_b)
        with self.assertRaises(ValidationError) as caught:
            self.company.serial_unique_scope = "company"
        message = str(caught.exception)
        self.assertIn("SW-0001", message)
        self.assertIn(self.product_a.name, message)
        self.assertIn(self.product_b.name, message)
        self.assertEqual(self.company.serial_unique_scope, "product")
        # Once the clash is gone, the switch goes through.
        self.env["stock.lot"].search([("name", "=", "SW-0001"),
                                      ("product_id", "=", self.product_b.id)]).unlink()
        self.company.serial_unique_scope = "company"
        self.assertEqual(self.company.serial_unique_scope, "company")

    def test_database_constraint_per_product(self):
        lot = self._lot("DB-0001", self.product_a)
        self.env.flush_all()
        with self.assertRaises(psycopg2.errors.UniqueViolation) as caught, \
                mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env.cr.execute(
                """
                INSERT INTO stock_lot (name, product_id, company_id, serial_unique_key)
                SELECT name, product_id, company_id, serial_unique_key
                  FROM stock_lot WHERE id = %s
                """,
                [lot.id],
            )
        self.assertEqual(caught.exception.diag.constraint_name,
                         "stock_lot_serial_unique_key_uniq")
        self.assertEqual(self.env["stock.lot"].search_count([("name", "=", "DB-0001")]), 1)

    def test_database_constraint_company_scope(self):
        self.company.serial_unique_scope = "company"
        self._lot("DBC-0001", self.product_a)
        lot_b = self._lot("DBC-0002", self.product_b)
        self.env.flush_all()
        key = self.env["stock.lot"]._serial_unique_key(self.company, self.product_b, "DBC-0001")
        # The Python check is bypassed: only the unique index stands in the way.
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"), \
                self.env.cr.savepoint():
            self.env.cr.execute(
                "UPDATE stock_lot SET name = %s, serial_unique_key = %s WHERE id = %s",
                ["DBC-0001", key, lot_b.id],
            )
        self.env.invalidate_all()
        self.assertEqual(lot_b.name, "DBC-0002")


    def test_company_scope_covers_products_shared_by_all_companies(self):
        self.assertFalse(self.product_a.company_id)
        self.company.serial_unique_scope = "company"
        lot = self.env["stock.lot"].create({"name": "SHARED-0001", "product_id": self.product_a.id})
        self.assertFalse(lot.company_id)  # Odoo's rule: a shared product's lot has none
        with self.assertChangesNothing(), self.assertRefused(
                ValidationError, "SHARED-0001", self.product_a.display_name, "across all"):
            self.env["stock.lot"].create({"name": "SHARED-0001",
                                          "product_id": self.product_b.id})
        # The company's own serials and the shared ones: one scope, both ways.
        with self.assertChangesNothing(), self.assertRefused(
                ValidationError, "SHARED-0001", self.product_a.display_name):
            self._lot("shared-0001", self.product_b)
        self._lot("SHARED-0002", self.product_b)
        with self.assertChangesNothing(), self.assertRefused(
                ValidationError, "SHARED-0002", self.product_b.display_name):
            self.env["stock.lot"].create({"name": "SHARED-0002",
                                          "product_id": self.product_a.id})

    def test_switch_to_company_scope_counts_serials_of_no_company(self):
        self._lot("SW-0002", self.product_a)
        no_company = self.env["stock.lot"].create({"name": "sw0002",
                                                   "product_id": self.product_b.id})
        self.assertFalse(no_company.company_id)
        with self.assertRefused(ValidationError, "SW-0002", "sw0002"):
            self.company.serial_unique_scope = "company"
        self.assertEqual(self.company.serial_unique_scope, "product")

    def test_lot_of_a_shared_product_takes_a_batch(self):
        lot = self.env["stock.lot"].create({"name": "BATCHED-0001",
                                            "product_id": self.product_a.id})
        batch = self.env["serial.batch"].create({"name": "SHARED-PRODUCT-BATCH"})
        lot.serial_batch_id = batch
        self.assertEqual(batch.lot_ids, lot)
        self.assertFalse(lot.company_id)


@tagged("post_install", "-at_install")
class TestSerialConcurrency(RealTransactionCase):
    """Serial generation and insertion on real parallel transactions."""

    def _commit_fixture(self, with_pattern):
        """Create (and commit) a serial product, with a pattern when asked; clean up later."""
        cursor = self._real_cursor()
        try:
            env = self._real_env(cursor)
            pattern = env["serial.pattern"]
            if with_pattern:
                pattern = pattern.create({
                    "name": "Concurrency pattern",
                    "template": "CC{SEQ:6:36}{CHECK}",
                    "check_algorithm": "mod37_36",
                })
            product = env["product.product"].create({
                "name": "Concurrency unit",
                "is_storable": True,
                "tracking": "serial",
                "serial_pattern_id": pattern.id,
            })
            ids = (product.id, pattern.id, pattern.sequence_id.id, env.company.id)
            cursor.commit()
        finally:
            cursor.close()
        self.addCleanup(self._delete_fixture, *ids[:3])
        return ids

    def _delete_fixture(self, product_id, pattern_id, sequence_id):
        cursor = self._real_cursor()
        try:
            env = self._real_env(cursor)
            product = env["product.product"].browse(product_id)
            env["stock.lot"].search([("product_id", "=", product_id)]).unlink()
            template = product.product_tmpl_id
            product.unlink()
            template.exists().unlink()
            if pattern_id:
                env["serial.pattern"].browse(pattern_id).unlink()
                env["ir.sequence"].browse(sequence_id).unlink()
            cursor.commit()
        finally:
            cursor.close()

    def _count_lots(self, product_id, name=None):
        """(rows, distinct names, ids) of the committed lots of a product, seen afresh."""
        cursor = self._real_cursor()
        try:
            cursor.execute(
                """
                SELECT count(*), count(DISTINCT name), array_agg(id ORDER BY id)
                  FROM stock_lot
                 WHERE product_id = %s AND (%s::varchar IS NULL OR name = %s)
                """,
                [product_id, name, name],
            )
            return cursor.fetchone()
        finally:
            cursor.close()

    def test_parallel_generation_never_repeats_a_serial(self):
        product_id, pattern_id, _sequence_id, company_id = self._commit_fixture(True)
        threads_count, per_thread, chunk = 8, 250, 50
        start = threading.Barrier(threads_count, timeout=THREAD_TIMEOUT)
        generated, errors = {}, []

        def generate(index):
            names = []
            try:
                cursor = self._real_cursor()
                try:
                    env = self._real_env(cursor)
                    pattern = env["serial.pattern"].browse(pattern_id)
                    product = env["product.product"].browse(product_id)
                    start.wait()
                    for _chunk in range(per_thread // chunk):
                        batch = pattern._generate(chunk, product)
                        env["stock.lot"].create([
                            {"name": name, "product_id": product_id, "company_id": company_id}
                            for name in batch
                        ])
                        cursor.commit()
                        names += batch
                finally:
                    cursor.close()
            except Exception as error:  # reported by the main thread
                errors.append(error)
            generated[index] = names

        threads = [threading.Thread(target=generate, args=(index,), name=f"serial-gen-{index}")
                   for index in range(threads_count)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + THREAD_TIMEOUT
        for thread in threads:
            thread.join(max(deadline - time.monotonic(), 0))
        self.assertFalse([thread.name for thread in threads if thread.is_alive()],
                         f"generator threads did not finish in time:\n{self._activity_report()}")
        self.assertEqual(errors, [])

        all_names = [name for names in generated.values() for name in names]
        self.assertEqual(len(all_names), threads_count * per_thread)
        self.assertEqual(len(set(all_names)), len(all_names), "a serial was generated twice")
        rows, distinct, _ids = self._count_lots(product_id)
        self.assertEqual(rows, threads_count * per_thread)
        self.assertEqual(distinct, rows)

    def test_simultaneous_insert_of_the_same_serial(self):
        product_id, _pattern_id, _sequence_id, company_id = self._commit_fixture(False)
        values = {"name": "RACE-0001", "product_id": product_id, "company_id": company_id}

        def insert(env):
            lot = env["stock.lot"].create(values)
            env.flush_all()  # B blocks here on the unique index until A ends
            return lot.id

        # B's failing statement is logged by odoo.sql_db: that error is the expected outcome.
        with mute_logger("odoo.sql_db"):
            lot_a_id, outcome = self._race(insert, insert, name="serial-race-b")

        self.assertNotIn("result", outcome, "B stored the same serial")
        self.assertIsInstance(outcome.get("error"), psycopg2.errors.UniqueViolation)
        self.assertEqual(outcome["error"].diag.constraint_name,
                         "stock_lot_serial_unique_key_uniq")
        rows, _distinct, ids = self._count_lots(product_id, "RACE-0001")
        self.assertEqual(rows, 1)
        self.assertEqual(ids, [lot_a_id])
