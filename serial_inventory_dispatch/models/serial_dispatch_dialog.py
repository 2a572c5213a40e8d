import psycopg2.errors

from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_is_zero

from odoo.addons.serial_inventory_scan.models.serial_scan import OPEN_LOT_INDEX


class SerialDispatchDialog(models.AbstractModel):
    """What the dispatch dialog's scan API needs besides the Deliver operation: its scans
    stored in the scan log with the races the unique indexes decide, its answers, and
    Dispatch writing the scanned units on the move lines.

    Mixed into stock.picking (``self`` is the delivery).
    """

    _name = "serial.dispatch.dialog"
    _description = "Dispatch dialog: storing scans, writing the units"

    def _serial_dispatch_write(self, moves, wanted):
        """Write the scanned units ``wanted`` ({move id: {lot id or None: quantity}}) on the
        lines of ``moves`` (marked picked); return the differences with the order.

        Odoo's reservation is reused: a reserved line whose serial was scanned is kept, a
        reserved line whose serial was not scanned is given a scanned serial (Odoo moves the
        reservation to it), and the scanned serials left over get new lines. Lines that no
        scan covers stay unpicked, so Odoo's validation leaves them to a backorder. A serial
        refused since its scan (recalled, reserved for another transfer) is not written.
        """
        differences = []
        for move in moves:
            lots = wanted.get(move.id, {})
            unavailable, reserved = [], []
            if move.product_id.tracking == "none":
                quantity = max(sum(lots.values()), 0.0)
                if not float_is_zero(quantity, precision_rounding=move.product_uom.rounding):
                    move.quantity = quantity
                    move.picked = True
                elif move.picked:
                    move.picked = False
                done = quantity
            else:
                scanned_lots = self.env["stock.lot"].browse([lot for lot in lots if lot])
                blocked = self._serial_dispatch_blocked_lots(scanned_lots)
                reserved = self._serial_dispatch_reserved_lots(scanned_lots - blocked)
                skipped = blocked | self.env["stock.lot"].browse(list(reserved))
                done, unavailable = move._serial_assign_lots(
                    {lot: qty for lot, qty in lots.items() if lot and lot not in skipped.ids})
                unavailable += blocked.mapped("name")
                reserved = list(reserved.values())
            missing = move.product_uom_qty - done
            if float_compare(missing, 0.0, precision_rounding=move.product_uom.rounding) \
                    or unavailable or reserved:
                differences.append({
                    "move_id": move.id,
                    "product_name": move.product_id.display_name,
                    "ordered": move.product_uom_qty,
                    "applied": done,
                    "missing": max(missing, 0.0),
                    "extra": max(-missing, 0.0),
                    "unavailable_serials": unavailable,
                    "reserved_serials": reserved,
                })
        return differences

    # ------------------------------------------------------------------
    # Storing the dialog's scans in the scan log
    # ------------------------------------------------------------------
    def _serial_dispatch_check_uid_unused(self, client_uid):
        """A client scan id belongs to one picking: reused on another, it is refused."""
        self.env["serial.scan"].flush_model(["client_uid", "res_model", "res_id"])
        self.env.cr.execute(SQL(
            """SELECT scan.res_model, scan.res_id, scan.code FROM serial_scan scan
                WHERE scan.client_uid = %s
                  AND (scan.res_model != 'stock.picking' OR scan.res_id != %s) LIMIT 1""",
            client_uid, self.id,
        ))
        row = self.env.cr.fetchone()
        if not row:
            return
        other = self.env[row[0]].browse(row[1]).sudo()
        if not self.env["serial.scan"]._visible_to_user(other):
            # Another company's record: refused without naming it.
            raise UserError(_("Scan id %(uid)s was already used on another transfer: this "
                              "scan was not recorded on %(here)s. Scan it again.",
                              uid=client_uid, here=self.name))
        raise UserError(_("Scan id %(uid)s was already used on %(picking)s (code %(code)s): "
                          "this scan was not recorded on %(here)s. Scan it again.",
                          uid=client_uid, picking=other.display_name, code=row[2],
                          here=self.name))

    def _serial_dispatch_store(self, values):
        """Insert the scan; resolve the races the unique indexes decide; return the result.

        The insert runs in a savepoint. A concurrent transaction that committed first either
        stored the same scan (a retry with the same client id: the insert conflicts with a
        row this transaction's snapshot cannot see, which PostgreSQL reports as a
        serialisation failure) or holds the same serial (a unique violation of the open
        scans' index). Its rows are read through a fresh cursor.
        """
        scans = self.env["serial.scan"]
        for _attempt in range(3):
            try:
                with self.env.cr.savepoint(flush=False):
                    scan_id = scans._insert(self, values)
            except (psycopg2.errors.UniqueViolation,
                    psycopg2.errors.SerializationFailure) as error:
                held = getattr(error.diag, "constraint_name", None) == OPEN_LOT_INDEX
                if isinstance(error, psycopg2.errors.UniqueViolation) and not held:
                    raise
                with self.env.registry.cursor() as fresh_cr:
                    stored = scans._read_stored(fresh_cr, self, values["client_uid"])
                    holder = (held and not stored
                              and self._serial_dispatch_lot_holder(fresh_cr, values["lot_id"]))
                if stored:
                    scans._check_same_scan(stored, values)
                    return self._serial_dispatch_result(stored, duplicate=True, refresh=True)
                if not held:
                    raise UserError(_("The scan could not be recorded; please scan "
                                      "again.")) from error
                lot = self.env["stock.lot"].browse(values["lot_id"])
                values.update(
                    result="refused", open=False, hold=False, quantity=0.0, move_id=False,
                    message=self._serial_dispatch_held_message(lot, holder) if holder else _(
                        "Serial %s was scanned for another delivery at the same moment.",
                        lot.name))
                continue
            if scan_id is None:  # stored meanwhile by a transaction this one can see
                stored = scans._read_stored(self.env.cr, self, values["client_uid"])
                scans._check_same_scan(stored, values)
                return self._serial_dispatch_result(stored, duplicate=True, refresh=True)
            self.invalidate_recordset(["serial_scan_ids", "serial_scan_count"])
            return self._serial_dispatch_result(dict(values, id=scan_id))
        raise UserError(_("The scan could not be recorded; please scan again."))

    def _serial_dispatch_result(self, values, duplicate=False, refresh=False):
        move = self.env["stock.move"].browse(values.get("move_id") or [])
        lot = self.env["stock.lot"].browse(values.get("lot_id") or [])
        product = self.env["product.product"].browse(values.get("product_id") or [])
        return {
            "scan_id": values["id"],
            "result": values["result"],
            "message": values["message"] or "",
            "code": values["code"],
            "product_name": product.display_name or "",
            "serial": lot.name or False,
            "quantity": values["quantity"] or 0.0,
            "move_id": move.id or False,
            "duplicate": duplicate,
            # A refusal a takeover would overcome, offered to this user (found again for a
            # retry, whose stored row does not keep it).
            "takeover": values["result"] == "refused" and bool(
                values["takeover"] if "takeover" in values
                else duplicate and lot and self._serial_takeover_possible(lot)),
            # The scan was stored by a concurrent transaction: this one's lines are stale.
            "refresh": refresh,
            "line": self._serial_dispatch_lines(move)[0] if move and not refresh else False,
        }
