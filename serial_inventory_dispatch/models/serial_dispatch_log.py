import hashlib
import json
import uuid
from collections import defaultdict

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_is_zero, float_round

from ..lib.scan_input import format_quantity

OVER_STATES = ("done", "cancel")


class SerialDispatchLog(models.AbstractModel):
    """The Deliver operation's scans in the scan log (serial.scan) of a delivery: what
    each line has scanned, what Dispatch writes, and whether the last Dispatch still
    describes the delivery; and the rows a quantity given by hand, a Rescan and a Dispatch
    add or change. Whether scanned in the Inventory Scanner or in the dispatch dialog, a
    delivery's scans are the operation's ``deliver`` rows of its transfer.
    """

    _name = "serial.dispatch.log"
    _description = "Deliver: the scans of a delivery"

    @api.model
    def _moves(self, picking):
        return picking.move_ids.filtered(lambda move: move.state != "cancel").sorted(
            lambda move: (move.sequence, move.id))

    # ------------------------------------------------------------------
    # Reading the scans (by SQL: the screen reads them after every scan)
    # ------------------------------------------------------------------
    @api.model
    def _scanned(self, picking, move_ids):
        """{move id: (scanned quantity, [serial names in scan order])} of the accepted
        scans of ``picking``."""
        if not move_ids:
            return {}
        self.env["serial.scan"].flush_model()
        self.env.cr.execute(SQL(
            """SELECT scan.move_id, SUM(scan.quantity),
                      COALESCE(array_agg(lot.name ORDER BY scan.id)
                               FILTER (WHERE lot.id IS NOT NULL), '{}')
                 FROM serial_scan scan
            LEFT JOIN stock_lot lot ON lot.id = scan.lot_id
                WHERE scan.picking_id = %s AND scan.operation = %s
                  AND scan.result = 'accepted' AND scan.move_id = ANY(%s)
             GROUP BY scan.move_id""",
            picking.id, self._operation, list(move_ids),
        ))
        return {move_id: (quantity, names) for move_id, quantity, names in self.env.cr.fetchall()}

    @api.model
    def _wanted(self, picking, moves):
        """{move id: {lot id or None: scanned quantity}} of the accepted scans."""
        if not moves:
            return {}
        self.env["serial.scan"].flush_model()
        self.env.cr.execute(SQL(
            """SELECT move_id, lot_id, SUM(quantity) FROM serial_scan
                WHERE picking_id = %s AND operation = %s AND result = 'accepted'
                  AND move_id = ANY(%s)
             GROUP BY move_id, lot_id ORDER BY move_id, MIN(id)""",
            picking.id, self._operation, list(moves.ids),
        ))
        wanted = defaultdict(dict)
        for move_id, lot_id, quantity in self.env.cr.fetchall():
            wanted[move_id][lot_id] = quantity
        return wanted

    @api.model
    def _scanned_location(self, picking):
        """The location the last accepted location scan of ``picking`` named (empty when
        none, or when a Rescan cleared it)."""
        self.env["serial.scan"].flush_model()
        self.env.cr.execute(SQL(
            """SELECT location_id FROM serial_scan
                WHERE picking_id = %s AND operation = %s AND result = 'accepted'
                  AND location_id IS NOT NULL AND lot_id IS NULL AND product_id IS NULL
             ORDER BY id DESC LIMIT 1""",
            picking.id, self._operation,
        ))
        row = self.env.cr.fetchone()
        return self.env["stock.location"].browse(row[0] if row else [])

    @api.model
    def _check_location_scanned(self, picking):
        """Refuse counting units by hand or dispatching them before the source location was
        scanned, when the operation type requires it (as a unit's scan is refused)."""
        if self._scan_rules(picking)["require_location"] and not self._scanned_location(
                picking):
            raise UserError(_("Scan the source location %s first.",
                              picking.location_id.display_name))

    @api.model
    def _accepted_scan_ids(self, picking):
        self.env["serial.scan"].flush_model()
        self.env.cr.execute(SQL(
            """SELECT id FROM serial_scan
                WHERE picking_id = %s AND operation = %s AND result = 'accepted'
             ORDER BY id""", picking.id, self._operation))
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _lines(self, picking, moves):
        scanned = self._scanned(picking, moves.ids)
        return [{
            "move_id": move.id,
            "product_id": move.product_id.id,
            "product_name": move.product_id.display_name,
            "default_code": move.product_id.default_code or "",
            "barcode": move.product_id.barcode or "",
            "tracking": move.product_id.tracking,
            "uom": move.product_uom.name,
            "ordered": move.product_uom_qty,
            "scanned": scanned.get(move.id, (0.0, []))[0],
            "serials": scanned.get(move.id, (0.0, []))[1],
            "editable": move.product_id.tracking == "none" and move.state not in OVER_STATES,
        } for move in moves]

    # ------------------------------------------------------------------
    # The last Dispatch, kept while the delivery is as it left it
    # ------------------------------------------------------------------
    @api.model
    def _signature(self, picking):
        """A digest of the accepted scans and of the open moves' lines (serial, quantity,
        picked): any scan, quantity by hand, Rescan or edit of the lines changes it."""
        lines = self._moves(picking).filtered(
            lambda move: move.state not in OVER_STATES).move_line_ids
        move_lines = sorted((line.id, line.move_id.id, line.lot_id.id or 0, line.quantity,
                             line.picked) for line in lines)
        payload = json.dumps([self._accepted_scan_ids(picking), move_lines])
        return hashlib.sha256(payload.encode()).hexdigest()

    @api.model
    def _dispatched(self, picking):
        """The last Dispatch's {differences, complete} while it still describes the delivery,
        else False."""
        applied = picking.serial_dispatch_applied
        if not applied or applied.get("signature") != self._signature(picking):
            return False
        return {"differences": applied["differences"], "complete": applied["complete"]}

    @api.model
    def _clear(self, picking):
        scans = self.env["serial.scan"].sudo().search([
            ("picking_id", "=", picking.id), ("operation", "=", self._operation),
            ("result", "=", "accepted")])
        scans.write({"result": "cleared", "open": False})
        picking.serial_dispatch_applied = False
        # The move lines marked picked by a previous Dispatch are no longer scanned.
        self._moves(picking).filtered(
            lambda move: move.state not in OVER_STATES and move.picked).picked = False

    @api.model
    def _dispatch(self, picking):
        """Write the accepted scans on ``picking``'s move lines; keep and return the result
        ({differences, complete}) with the signature of what it left."""
        self._check_location_scanned(picking)
        moves = self._moves(picking).filtered(lambda move: move.state not in OVER_STATES)
        differences = picking._serial_dispatch_write(moves, self._wanted(picking, moves))
        result = {"differences": differences, "complete": not differences}
        picking.serial_dispatch_applied = dict(result, signature=self._signature(picking))
        return result

    @api.model
    def _store_manual(self, picking, move, delta, code, message):
        """Log a quantity given by hand (+1, or typed) on ``move``: ``delta`` more units."""
        values = {
            "operation": self._operation, "kind": "manual", "code": code,
            "client_uid": f"manual-{uuid.uuid4().hex}", "result": "accepted",
            "message": message, "product_id": move.product_id.id, "lot_id": False,
            "location_id": False, "move_id": move.id, "quantity": delta, "open": False,
            "hold": False, "company_id": self._scan_company(picking).id,
        }
        self.env["serial.scan"].check_access("read")
        self.env["serial.scan"]._store(picking, values, None)

    @api.model
    def _set_quantity(self, picking, move, quantity):
        """Log what makes ``move``'s scanned quantity ``quantity`` (a change by hand)."""
        rounding = move.product_uom.rounding
        quantity = float_round(quantity, precision_rounding=rounding)
        if float_compare(quantity, 0.0, precision_rounding=rounding) < 0:
            raise UserError(_("A quantity cannot be negative."))
        self._check_location_scanned(picking)
        if not self._scan_rules(picking)["allow_extra"] and float_compare(
                quantity, move.product_uom_qty, precision_rounding=rounding) > 0:
            raise UserError(_("More %(product)s than ordered: %(ordered)s ordered, not "
                              "%(quantity)s.", product=move.product_id.display_name,
                              ordered=format_quantity(move.product_uom_qty),
                              quantity=format_quantity(quantity)))
        scanned = self._scanned(picking, move.ids).get(move.id, (0.0, []))[0]
        delta = quantity - scanned
        if not float_is_zero(delta, precision_rounding=rounding):
            self._store_manual(
                picking, move, delta, _("Quantity set to %s", format_quantity(quantity)),
                _("%(product)s: quantity set to %(quantity)s by hand",
                  product=move.product_id.display_name, quantity=format_quantity(quantity)))
