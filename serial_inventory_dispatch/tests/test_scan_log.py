from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase, new_test_user
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestScanLog(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.delivery = cls.env["stock.picking"].create({
            "picking_type_id": cls.env.ref("stock.picking_type_out").id,
            "location_id": cls.env.ref("stock.stock_location_stock").id,
            "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
        })
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.user_b = new_test_user(
            cls.env, "scanner_b", groups="stock.group_stock_user",
            company_id=cls.company_b.id, company_ids=[(6, 0, cls.company_b.ids)])

    def _scan(self, client_uid, code="X200", picking=None):
        picking = picking or self.delivery
        return self.env["serial.scan"].create({
            "res_model": "stock.picking", "res_id": picking.id, "picking_id": picking.id,
            "company_id": picking.company_id.id, "operation": "deliver", "code": code,
            "client_uid": client_uid, "result": "refused",
        })

    def test_scans_are_counted_on_the_picking(self):
        self._scan("c-1")
        self._scan("c-2")
        self.assertEqual(self.delivery.serial_scan_count, 2)
        action = self.delivery.action_open_serial_scans()
        self.assertEqual(
            self.env["serial.scan"].search(action["domain"]),
            self.delivery.serial_scan_ids)

    def test_a_retried_scan_is_stored_once(self):
        self._scan("same-id")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self._scan("same-id")
        self.assertEqual(self.delivery.serial_scan_count, 1)

    def test_other_company_sees_no_scan(self):
        scan = self._scan("c-3")
        scans_seen_by_b = self.env["serial.scan"].with_user(self.user_b).search([])
        self.assertNotIn(scan, scans_seen_by_b)
        with self.assertRaises(AccessError):
            scan.with_user(self.user_b).read(["code"])
