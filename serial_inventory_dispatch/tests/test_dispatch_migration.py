import importlib.util
from pathlib import Path

from odoo.tests import tagged

from .common import DispatchCase

SCRIPT = Path(__file__).parents[1] / "migrations" / "18.0.1.1.0" / "post-migrate.py"


def _migrate(cr):
    spec = importlib.util.spec_from_file_location("serial_dispatch_one_log", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.migrate(cr, "18.0.1.0.0")


@tagged("post_install", "-at_install")
class TestDispatchMigration(DispatchCase):
    """18.0.1.1.0: the dialog's own log (serial_dispatch_scan) moves into the scan log."""

    def test_old_dispatch_scans_become_deliver_scans_holding_their_serials(self):
        delivery = self._ready_delivery()
        cable_move = delivery.move_ids.filtered(lambda move: move.product_id == self.cable)
        phone_move = delivery.move_ids - cable_move
        lot = self.phone_lots[0]
        # The table of 18.0.1.0.0 (a temporary one: the transaction's own).
        self.env.cr.execute("""
            CREATE TEMP TABLE serial_dispatch_scan (
                id serial PRIMARY KEY, picking_id int, company_id int, user_id int,
                kind varchar, code varchar, client_uid varchar, result varchar,
                message varchar, product_id int, lot_id int, move_id int, quantity float8,
                open boolean, create_uid int, create_date timestamp, write_uid int,
                write_date timestamp)""")
        rows = [
            ("scan", lot.name, "old-1", "accepted", self.phone.id, lot.id, phone_move.id, 1.0,
             True),
            ("scan", "NOPE", "old-2", "refused", None, None, None, 0.0, False),
            ("manual", "Quantity set to 2", "manual-old", "accepted", self.cable.id, None,
             cable_move.id, 2.0, False),
        ]
        for kind, code, uid, result, product, lot_id, move, quantity, is_open in rows:
            self.env.cr.execute(
                """INSERT INTO serial_dispatch_scan (picking_id, company_id, user_id, kind,
                       code, client_uid, result, message, product_id, lot_id, move_id,
                       quantity, open, create_uid, create_date, write_uid, write_date)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, '', %s, %s, %s, %s, %s, %s,
                           now(), %s, now())""",
                (delivery.id, delivery.company_id.id, self.env.uid, kind, code, uid, result,
                 product, lot_id, move, quantity, is_open, self.env.uid, self.env.uid))
        _migrate(self.env.cr)
        self.env.invalidate_all()
        log = self.env["serial.scan"].search([("picking_id", "=", delivery.id)], order="id")
        self.assertEqual(
            [(scan.code, scan.result, scan.kind, scan.operation, scan.open, scan.hold)
             for scan in log],
            [(lot.name, "accepted", "scan", "deliver", True, "dispatch"),
             ("NOPE", "refused", "scan", "deliver", False, False),
             ("Quantity set to 2", "accepted", "manual", "deliver", False, False)])
        self.assertEqual([line["scanned"] for line in delivery.serial_dispatch_state()["lines"]],
                         [1.0, 2.0])
        # The migrated scan holds its serial, and is found by its client id on a retry.
        other = self._ready_delivery([(self.phone, 1)])
        self.assertRefusedScan(self._scan(other, lot.name), lot.name, delivery.name)
        self.assertTrue(self._scan(delivery, lot.name, "old-1")["duplicate"])
