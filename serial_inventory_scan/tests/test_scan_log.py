import psycopg2.errors

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ScanCase


@tagged("post_install", "-at_install")
class TestScanLog(ScanCase):
    def values(self, client_uid, code="SC-1", **values):
        return {"operation": "count", "client_uid": client_uid, "code": code,
                "result": "accepted", "message": "", "company_id": self.env.company.id,
                **values}

    def new_count(self, location=None):
        return self.env["serial.scan.count"].create(
            {"location_id": (location or self.shelf).id, "state": "counting"})

    def test_every_scan_is_logged_with_who_what_where(self):
        count = self.new_count()
        answer = self.scan("count", count, "SC-1", client_uid="log-1")
        scan = self.env["serial.scan"].browse(answer["scan_id"])
        self.assertRecordValues(scan, [{
            "res_model": "serial.scan.count", "res_id": count.id, "operation": "count",
            "user_id": self.env.uid, "code": "SC-1", "result": "accepted",
            "product_id": self.product.id, "lot_id": self.lots["SC-1"].id,
            "location_id": self.shelf.id, "quantity": 1.0, "client_uid": "log-1",
            "company_id": self.env.company.id, "open": True, "hold": "count",
            "picking_id": False,
        }])
        self.assertTrue(scan.create_date)

    def test_insert_is_idempotent_by_client_id(self):
        count = self.new_count()
        scans = self.env["serial.scan"]
        first = scans._insert(count, self.values("same-1"))
        self.assertTrue(first)
        # ON CONFLICT DO NOTHING: no second row, no error.
        self.assertIsNone(scans._insert(count, self.values("same-1")))
        self.assertEqual(scans.search_count([("client_uid", "=", "same-1")]), 1)
        # The same id on another record is another scan for the index...
        self.assertTrue(scans._insert(self.new_count(self.other), self.values("same-1")))

    def test_retried_first_scan_answers_from_the_record_it_opened(self):
        """The first scan opens the count; its answer lost, the client sends it again with
        no record yet: the same count answers, no second count is opened."""
        counts = self.env["serial.scan.count"]
        first = self.scan("count", False, "SCAN-SHELF", client_uid="opening-1")
        self.assertFalse(first["duplicate"])
        again = self.scan("count", False, "SCAN-SHELF", client_uid="opening-1")
        self.assertTrue(again["duplicate"])
        self.assertEqual(again["record_id"], first["record_id"])
        self.assertEqual(counts.search_count([("location_id", "=", self.shelf.id)]), 1)
        # The same id from another user is no retry of this one: refused, nothing opened.
        with self.assertRefused(UserError, "already used"):
            self.scan("count", False, "SCAN-BIN", client_uid="opening-1",
                      env=self.env(user=self.clerk))
        self.assertEqual(counts.search_count([]), 1)

    def test_reused_client_id_with_another_code_is_refused(self):
        count = self.new_count()
        self.scan("count", count, "SC-1", client_uid="reuse-1")
        rows = self.scan_rows()
        with self.assertChangesNothing(), self.assertRefused(
                UserError, "Scan id reuse-1 was already used for code SC-1",
                "this scan of SC-2 was not recorded"):
            self.scan("count", count, "SC-2", client_uid="reuse-1")
        other = self.new_count(self.other)
        with self.assertChangesNothing(), self.assertRefused(
                UserError, "Scan id reuse-1 was already used for", count.name,
                f"not recorded for {other.name}"):
            self.scan("count", other, "SC-9", client_uid="reuse-1")
        self.assertEqual(self.scan_rows(), rows)

    def test_reused_client_id_of_another_company_names_nothing_of_it(self):
        company_b = self.env["res.company"].create({"name": "Scan Company B"})
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)])
        count_b = self.env["serial.scan.count"].with_company(company_b).create({
            "location_id": warehouse_b.lot_stock_id.id, "state": "counting",
            "company_id": company_b.id})
        self.env["serial.scan"]._insert(count_b, self.values(
            "foreign-1", code="SECRET-B1", company_id=company_b.id))
        user_a = self.env["res.users"].create({
            "name": "Scan clerk A", "login": "scan_clerk_a",
            "company_id": self.env.company.id, "company_ids": [Command.set(
                [self.env.company.id])],
            "groups_id": [Command.set([self.env.ref("stock.group_stock_user").id])]})
        count = self.new_count().with_user(user_a)
        with self.assertChangesNothing(), self.assertRefused(
                UserError, "Scan id foreign-1 was already used for another scan") as caught:
            self.env["serial.scan.operation"].with_user(user_a).scan(
                "count", count.id, "SC-1", "foreign-1")
        for secret in ("SECRET-B1", count_b.display_name, company_b.name):
            self.assertNotIn(secret, str(caught.exception))

    def test_one_open_scan_per_serial_and_hold(self):
        count, other = self.new_count(), self.new_count(self.stock_location)
        scans = self.env["serial.scan"]
        held = self.values("hold-1", lot_id=self.lots["SC-1"].id, open=True, hold="count")
        scans._insert(count, held)
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.UniqueViolation), \
                self.env.cr.savepoint():
            scans._insert(other, dict(held, client_uid="hold-2"))
        # Another hold (another kind of operation) may hold the same serial.
        self.assertTrue(scans._insert(other, dict(held, client_uid="hold-3", hold="other")))
        # _store turns the violation into a refusal naming the holder.
        stored, duplicate = scans._store(
            other, dict(held, client_uid="hold-4"),
            lambda lot, holder: f"{lot.name} held by {holder.name}")
        self.assertFalse(duplicate)
        self.assertEqual((stored["result"], stored["message"], stored["open"]),
                         ("refused", f"SC-1 held by {count.name}", False))

    def test_open_needs_an_accepted_serial(self):
        count = self.new_count()
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.CheckViolation), \
                self.env.cr.savepoint():
            self.env["serial.scan"]._insert(count, self.values("open-1", open=True,
                                                               hold="count"))

    def test_scans_of_another_company_are_invisible(self):
        count = self.new_count()
        self.scan("count", count, "SC-1")
        company_b = self.env["res.company"].create({"name": "Scan Company B"})
        user_b = self.env["res.users"].create({
            "name": "Clerk of B", "login": "scan_clerk_b", "company_id": company_b.id,
            "company_ids": [Command.set(company_b.ids)],
            "groups_id": [Command.set([self.env.ref("stock.group_stock_manager").id])],
        })
        env_b = self.env(user=user_b, context={"allowed_company_ids": company_b.ids})
        self.assertFalse(env_b["serial.scan"].search([]))
        self.assertFalse(env_b["serial.scan.count"].search([]))
        # Answered as a missing count would be: ids are not confirmed to another company.
        with self.assertRefused(UserError, "not yours to scan for"):
            env_b["serial.scan.operation"].scan_state("count", count.id)
        # Company A's location barcode names nothing for company B.
        answer = self.scan("count", False, "SCAN-SHELF", env=env_b)
        self.assertEqual(answer["result"], "refused")
        self.assertIn("Unknown code SCAN-SHELF", answer["message"])

    def test_clerk_cannot_rewrite_the_log(self):
        answer = self.scan("lookup", False, "SC-1", env=self.env(user=self.clerk))
        scan = self.env(user=self.clerk)["serial.scan"].browse(answer["scan_id"])
        self.assertEqual(scan.code, "SC-1")
        with self.assertRaises(AccessError):
            scan.write({"result": "refused"})
        with self.assertRaises(AccessError):
            scan.unlink()
        # Nor forge one: an accepted scan would count for a transfer whose serials must be
        # scanned. Scans are written by serial.scan.operation.scan only.
        manager = self.env["res.users"].create({
            "name": "Scan Manager", "login": "scan_manager_log",
            "groups_id": [Command.set([self.env.ref("stock.group_stock_manager").id])]})
        for user in (self.clerk, manager):
            with self.assertRaises(AccessError):
                self.env(user=user)["serial.scan"].create({
                    "res_model": "stock.picking", "res_id": 1, "operation": "lookup",
                    "code": "SC-1", "client_uid": f"forged-{user.id}", "result": "accepted",
                    "company_id": self.env.company.id})
