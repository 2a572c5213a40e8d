"""One scan log: the dispatch dialog's scans (serial_dispatch_scan) move to the scanning
core's log (serial_scan) as scans of the Deliver operation, with their hold on the serial.

Post-migrate: serial_scan has its move_id and kind columns by now, and the old table is
still there (Odoo drops the table of a removed model at the end of the update)."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute("SELECT to_regclass('serial_dispatch_scan')")
    if not cr.fetchone()[0]:
        return
    cr.execute(SQL(
        """INSERT INTO serial_scan (
                res_model, res_id, picking_id, company_id, operation, user_id, code,
                client_uid, result, message, product_id, lot_id, location_id, move_id,
                quantity, open, hold, kind, create_uid, create_date, write_uid,
                write_date)
           SELECT 'stock.picking', old.picking_id, old.picking_id,
                  COALESCE(old.company_id, picking.company_id), 'deliver', old.user_id,
                  old.code, old.client_uid, old.result, old.message, old.product_id,
                  old.lot_id, NULL, old.move_id, COALESCE(old.quantity, 0), old.open,
                  CASE WHEN old.open THEN 'dispatch' END, COALESCE(old.kind, 'scan'),
                  old.create_uid, old.create_date, old.write_uid, old.write_date
             FROM serial_dispatch_scan old
             JOIN stock_picking picking ON picking.id = old.picking_id
            ORDER BY old.id
           ON CONFLICT DO NOTHING"""))
