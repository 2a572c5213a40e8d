import hashlib
import json
import uuid
from collections import defaultdict

import psycopg2.errors

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_is_zero, float_round

from ..lib.scan_input import format_quantity
from .serial_dispatch_scan import CLIENT_UID_CONSTRAINT, OPEN_LOT_INDEX

OVER_STATES = ("done", "cancel")
SCAN_COLUMNS = ("result", "message", "code", "kind", "product_id", "lot_id", "move_id",
                "quantity", "open")


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "serial.dispatch.reservation", "serial.scan.operations"]

    serial_scan_ids = fields.One2many("serial.dispatch.scan", "picking_id", string="Scans")
    serial_scan_count = fields.Integer(compute="_compute_serial_scan_count")
    # The last Dispatch's result, with the signature of the scans and move lines it left:
    # the dialog shows it again on reopening while neither changed since.
    serial_dispatch_applied = fields.Json(copy=False)

    def _compute_serial_scan_count(self):
        counts = dict(self.env["serial.dispatch.scan"]._read_group(
            [("picking_id", "in", self.ids)], ["picking_id"], ["__count"]))
        for picking in self:
            picking.serial_scan_count = counts.get(picking, 0)

    def action_open_serial_scans(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_inventory_dispatch.action_serial_dispatch_scan")
        action["domain"] = [("picking_id", "=", self.id)]
        return action

    def action_serial_dispatch_open(self):
        """The Scan serials button: the scanning dialog (a client action shown in a dialog),
        whose Dispatch writes the scanned serials onto the delivery."""
        self.ensure_one()
        self._serial_dispatch_check_scannable()
        return {
            "type": "ir.actions.client",
            "tag": "serial_inventory_dispatch.dispatch",
            "name": _("Dispatch %s", self.name),
            "target": "new",
            "params": {"picking_id": self.id},
            "context": {"dialog_size": "extra-large", "footer": False},
        }

    def _action_done(self):
        res = super()._action_done()
        self._serial_dispatch_release(
            self.filtered(lambda picking: picking.state in OVER_STATES))
        return res

    # ------------------------------------------------------------------
    # Scan API (called by the dispatch dialog through orm.call; JSON results)
    # ------------------------------------------------------------------
    def serial_dispatch_state(self):
        """Everything the dialog shows: the picking, its lines with the scanned quantities and
        serials, and the prompt. Built from the scan log, so it survives a reload."""
        self.ensure_one()
        self.check_access("read")
        can_scan = self._serial_dispatch_refusal() is None
        state_labels = dict(self._fields["state"]._description_selection(self.env))
        return {
            "picking": {
                "id": self.id,
                "name": self.name,
                "partner": self.partner_id.display_name or "",
                "origin": self.origin or "",
                "state": self.state,
                "state_label": state_labels.get(self.state, self.state),
                "location": self.location_id.display_name,
            },
            "can_scan": can_scan,
            "prompt": _("Start scanning now!") if can_scan else self._serial_dispatch_refusal(),
            "lines": self._serial_dispatch_lines(self._serial_dispatch_moves()),
            "dispatched": self._serial_dispatch_applied_result() if can_scan else False,
        }

    def serial_dispatch_scan(self, code, client_uid, takeover=False):
        """Record one scan and apply the scan rules; return its result.

        Every scan is stored, accepted or refused (a garbled code too, escaped). A scan whose
        ``client_uid`` is already stored for this picking with the same code (a client
        retry) returns the stored result and counts once; that id with another code, or on
        another picking, is refused. A serial is held by one open dispatch at a time: a
        unique index on the open scans guarantees it when two transactions scan the same
        serial at the same moment. A serial Odoo reserved for another open transfer is
        refused; with ``takeover``, a user of the group "Take over reserved serials" takes
        it over (the refusal's ``takeover`` tells the client it may ask).
        """
        self.ensure_one()
        self.check_access("write")
        scans = self.env["serial.dispatch.scan"]
        scans.check_access("create")
        check = self.env["serial.scan.input"]
        client_uid = check._client_uid(client_uid)
        takeover = check._flag(takeover, _("The takeover flag"))
        try:
            code, refusal = check._code(code, allow_empty=True), None
        except UserError as error:
            code, refusal = self.env["serial.scan.input"]._preview(code), str(error)
        stored = self._serial_dispatch_read_scan(self.env.cr, client_uid)
        if stored:
            scans._check_same_scan(stored, code or "-", client_uid)
            return self._serial_dispatch_result(stored, duplicate=True)
        scans._check_uid_unused(self, client_uid)
        values = {"kind": "scan", "code": code or "-", "client_uid": client_uid,
                  "product_id": False, "lot_id": False, "move_id": False, "quantity": 0.0,
                  "open": False}
        try:
            if refusal:
                raise UserError(refusal)
            values.update(self._serial_dispatch_evaluate(code, values, takeover=takeover))
        except UserError as error:
            values.update(result="refused", message=str(error), quantity=0.0, open=False,
                          move_id=False)
        result = self._serial_dispatch_store(values)
        taken = values.get("takeover_lines")
        if taken and result["result"] == "accepted" and not result["duplicate"]:
            self._serial_take_over(self.env["stock.lot"].browse(values["lot_id"]),
                                   self.env["stock.move"].browse(values["move_id"]), taken)
        return result

    def serial_dispatch_rescan(self):
        """Clear this dispatch's scans (they stay in the log as cleared); start over."""
        self.ensure_one()
        self.check_access("write")
        self._serial_dispatch_check_scannable()
        scans = self.env["serial.dispatch.scan"].sudo().search(
            [("picking_id", "=", self.id), ("result", "=", "accepted")])
        scans.write({"result": "cleared", "open": False})
        self.serial_dispatch_applied = False
        # The move lines marked picked by a previous Dispatch are no longer scanned.
        self._serial_dispatch_moves().filtered(
            lambda move: move.state not in OVER_STATES and move.picked).picked = False
        return self.serial_dispatch_state()

    def serial_dispatch_set_quantity(self, move_id, quantity):
        """Set the scanned quantity of a line by hand (products without serial or lot)."""
        self.ensure_one()
        self.check_access("write")
        check = self.env["serial.scan.input"]
        move_id = check._record_id(move_id, _("The line"))
        quantity = check._quantity(quantity)
        self._serial_dispatch_check_scannable()
        move = self._serial_dispatch_moves().filtered(lambda m: m.id == move_id)
        if not move or move.state in OVER_STATES:
            raise UserError(_("This line is not an open line of %s.", self.name))
        if move.product_id.tracking != "none":
            raise UserError(_(
                "%s is tracked by serial or lot number: its quantity is counted by scanning "
                "each unit.", move.product_id.display_name))
        rounding = move.product_uom.rounding
        quantity = float_round(quantity, precision_rounding=rounding)
        if float_compare(quantity, 0.0, precision_rounding=rounding) < 0:
            raise UserError(_("A quantity cannot be negative."))
        scanned = self._serial_dispatch_scanned(move.ids).get(move.id, (0.0, []))[0]
        delta = quantity - scanned
        if not float_is_zero(delta, precision_rounding=rounding):
            self._serial_dispatch_store({
                "kind": "manual",
                "code": _("Quantity set to %s", format_quantity(quantity)),
                "client_uid": f"manual-{uuid.uuid4().hex}",
                "result": "accepted",
                "message": _("%(product)s: quantity set to %(quantity)s by hand",
                             product=move.product_id.display_name,
                             quantity=format_quantity(quantity)),
                "product_id": move.product_id.id, "lot_id": False, "move_id": move.id,
                "quantity": delta, "open": False,
            })
        return {"line": self._serial_dispatch_lines(move)[0]}

    def serial_dispatch_apply(self):
        """Write the scanned quantities and serials onto the move lines (marked picked).

        Odoo's reservation is reused: a reserved line whose serial was scanned is kept, a
        reserved line whose serial was not scanned is given a scanned serial (Odoo moves the
        reservation to it), and the scanned serials left over get new lines. Lines that no
        scan covers stay unpicked, so Odoo's validation leaves them to a backorder. Returns
        the differences with the order (missing and extra units, unavailable serials).
        """
        self.ensure_one()
        self.check_access("write")
        self._serial_dispatch_check_scannable()
        moves = self._serial_dispatch_moves().filtered(
            lambda move: move.state not in OVER_STATES)
        differences = self._serial_dispatch_write(moves, self._serial_dispatch_wanted(moves))
        self.serial_dispatch_applied = {
            "signature": self._serial_dispatch_signature(),
            "differences": differences,
            "complete": not differences,
        }
        return {
            "differences": differences,
            "complete": not differences,
            "lines": self._serial_dispatch_lines(self._serial_dispatch_moves()),
        }

    def _serial_dispatch_write(self, moves, wanted):
        """Write the scanned units ``wanted`` ({move id: {lot id or None: quantity}}) on the
        lines of ``moves`` (marked picked); return the differences with the order."""
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
            rounding = move.product_uom.rounding
            missing = move.product_uom_qty - done
            if float_compare(missing, 0.0, precision_rounding=rounding) or unavailable \
                    or reserved:
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

    def _serial_dispatch_signature(self):
        """A digest of the accepted scans and of the open moves' lines (serial, quantity,
        picked): any scan, quantity set by hand, Rescan or edit of the lines changes it."""
        self.env["serial.dispatch.scan"].flush_model()
        self.env.cr.execute(SQL(
            """SELECT id FROM serial_dispatch_scan
                WHERE picking_id = %s AND result = 'accepted' ORDER BY id""", self.id))
        scan_ids = [row[0] for row in self.env.cr.fetchall()]
        lines = self._serial_dispatch_moves().filtered(
            lambda move: move.state not in OVER_STATES).move_line_ids
        move_lines = sorted((line.id, line.move_id.id, line.lot_id.id or 0, line.quantity,
                             line.picked) for line in lines)
        payload = json.dumps([scan_ids, move_lines])
        return hashlib.sha256(payload.encode()).hexdigest()

    def _serial_dispatch_applied_result(self):
        """The last Dispatch's {differences, complete} while it still describes the delivery
        (no scan and no change of its move lines since), else False."""
        applied = self.serial_dispatch_applied
        if not applied or applied.get("signature") != self._serial_dispatch_signature():
            return False
        return {"differences": applied["differences"], "complete": applied["complete"]}

    # ------------------------------------------------------------------
    # Extension points
    # ------------------------------------------------------------------
    def _serial_dispatch_check_lot(self, lot):
        """Hook: raise UserError (naming the serial) to refuse dispatching ``lot``.

        Called for each scanned serial or lot before it is accepted, and again by Dispatch
        before the serial is written on the delivery. Other modules extend it to refuse
        blocked units. This one refuses a unit under an open recall, when serial_inventory
        records recalls (``stock.lot.serial_recall_id``).
        """
        recall = lot.serial_recall_id if "serial_recall_id" in lot._fields else None
        if recall:
            raise UserError(_("Serial %(serial)s is under recall %(recall)s: it cannot be "
                              "dispatched.", serial=lot.name, recall=recall.display_name))
        return True

    def _serial_dispatch_blocked_lots(self, lots):
        """The ``lots`` that ``_serial_dispatch_check_lot`` refuses now (e.g. recalled since
        they were scanned)."""
        blocked = self.env["stock.lot"]
        for lot in lots:
            try:
                self._serial_dispatch_check_lot(lot)
            except UserError:
                blocked |= lot
        return blocked

    def _serial_dispatch_refusal(self):
        """Why nothing can be scanned on this picking, or None when it can (the Deliver
        operation's rule: which transfers it scans for)."""
        return self.env["serial.scan.operation.deliver"]._refusal(self)

    def _serial_dispatch_check_scannable(self):
        refusal = self._serial_dispatch_refusal()
        if refusal:
            raise UserError(refusal)

    # ------------------------------------------------------------------
    # Scan rules
    # ------------------------------------------------------------------
    def _serial_dispatch_moves(self):
        return self.move_ids.filtered(lambda move: move.state != "cancel").sorted(
            lambda move: (move.sequence, move.id))

    def _serial_dispatch_evaluate(self, code, values, takeover=False):
        """Apply the scan rules to ``code``; return the values of an accepted scan.

        Raises UserError with the reason of a refusal. ``values`` receives the product and
        serial as soon as they are known, so that a refused scan names them in the log.
        Reads only: nothing is written here; a serial reserved for another transfer and
        taken over (``takeover``) comes with the lines to take it from (``takeover_lines``),
        for after the scan is stored.
        """
        self._serial_dispatch_check_scannable()
        resolved = self.env["serial.code.resolver"]._resolve(code, picking=self)
        product, lot = resolved["product"], resolved["lot"]
        values.update(product_id=product.id, lot_id=lot.id)
        if resolved["lot_name"] and not lot:
            raise UserError(_("Unknown serial %(serial)s (code %(code)s).",
                              serial=resolved["lot_name"], code=code))
        if not product:
            raise UserError(_("Code %s names no product and no serial.", code))
        moves = self.env["stock.move"].search([
            ("picking_id", "=", self.id),
            ("product_id", "=", product.id),
            ("state", "not in", OVER_STATES),
        ], order="sequence, id") if product else self.env["stock.move"]
        if not moves:
            raise UserError(_("%(product)s is not in this order (%(picking)s).",
                              product=product.display_name, picking=self.name))
        tracking = product.tracking
        if lot:
            if tracking == "serial":
                holder = self._serial_dispatch_lot_holder(self.env.cr, lot.id)
                if holder:
                    raise UserError(self._serial_dispatch_held_message(lot, holder))
            self._serial_dispatch_check_lot(lot)
            self._serial_check_in_stock(lot, self.location_id)
        elif tracking == "serial":
            raise UserError(_("%s is tracked by serial number: scan the serial of the unit, "
                              "not the product barcode.", product.display_name))
        elif tracking == "lot":
            raise UserError(_("%s is tracked by lot: scan the lot number, not the product "
                              "barcode.", product.display_name))
        scanned = self._serial_dispatch_scanned(moves.ids)
        move = next((
            move for move in moves
            if float_compare(scanned.get(move.id, (0.0, []))[0] + 1, move.product_uom_qty,
                             precision_rounding=move.product_uom.rounding) <= 0
        ), None)
        if move is None:
            raise UserError(_(
                "More %(product)s than ordered: %(ordered)s ordered, all already scanned.",
                product=product.display_name,
                ordered=format_quantity(sum(moves.mapped("product_uom_qty")))))
        taken = (self._serial_check_reservation(lot, values, takeover)
                 if lot and tracking == "serial" else None)
        if taken:
            message = _("%(product)s: serial %(serial)s added, taken over from %(transfer)s",
                        product=product.display_name, serial=lot.name,
                        transfer=self._serial_transfer_names(taken))
        elif lot:
            message = _("%(product)s: serial %(serial)s added",
                        product=product.display_name, serial=lot.name)
        else:
            message = _("%s: one unit added", product.display_name)
        return {"result": "accepted", "message": message, "move_id": move.id,
                "quantity": 1.0, "open": tracking == "serial", "takeover_lines": taken}

    def _serial_check_in_stock(self, lot, location):
        """Refuse ``lot`` unless some of it is in stock in ``location`` or below."""
        self.env["stock.quant"].flush_model(["lot_id", "location_id", "quantity"])
        self.env.cr.execute(SQL(
            """SELECT 1 FROM stock_quant quant
                 JOIN stock_location location ON location.id = quant.location_id
                WHERE quant.lot_id = %s AND quant.quantity > 0
                  AND location.parent_path LIKE %s
                LIMIT 1""",
            lot.id, f"{location.parent_path}%",
        ))
        if not self.env.cr.fetchone():
            status = dict(lot._fields["serial_state"]._description_selection(self.env)).get(
                lot.serial_state, "")
            raise UserError(_("Serial %(serial)s is not in stock at %(location)s (status: "
                              "%(status)s).", serial=lot.name,
                              location=location.display_name, status=status))

    def _serial_dispatch_held_message(self, lot, holder):
        holder_id, holder_name = holder
        if holder_id == self.id:
            return _("Serial %s is already scanned on this delivery.", lot.name)
        return _("Serial %(serial)s is already scanned for %(picking)s.",
                 serial=lot.name, picking=holder_name)

    def _serial_dispatch_lot_holder(self, cr, lot_id):
        """(picking id, picking name) of the open dispatch holding serial ``lot_id``, if any.

        ``cr`` is this transaction's cursor, or a fresh one to see a concurrent transaction's
        committed scan. An open scan left on a transfer that is over is released on the way.
        """
        self.env["serial.dispatch.scan"].flush_model(["open", "lot_id", "picking_id"])
        self.env["serial.scan"].flush_model(["open", "lot_id", "picking_id", "hold"])
        # The dialog's scans and the Inventory Scanner's Deliver scans hold the same serials.
        cr.execute(SQL(
            """SELECT picking.id, picking.name, picking.state
                 FROM (SELECT picking_id FROM serial_dispatch_scan WHERE lot_id = %s AND open
                       UNION ALL
                       SELECT picking_id FROM serial_scan
                        WHERE lot_id = %s AND open AND hold = %s) scan
                 JOIN stock_picking picking ON picking.id = scan.picking_id
                LIMIT 1""",
            lot_id, lot_id, self.env["serial.scan.operation.deliver"]._hold,
        ))
        row = cr.fetchone()
        if not row:
            return None
        picking_id, name, state = row
        if state in OVER_STATES and cr is self.env.cr:
            self._serial_dispatch_release(self.browse(picking_id))
            return None
        return picking_id, name

    def _serial_dispatch_release(self, pickings):
        """Release the serials the scans of ``pickings`` (done, cancelled) hold."""
        self.env["serial.dispatch.scan"]._close_open_scans(pickings)
        self.env["serial.scan"]._release(pickings)

    # ------------------------------------------------------------------
    # Storage
    # ------------------------------------------------------------------
    def _serial_dispatch_store(self, values):
        """Insert the scan row; resolve the races the unique indexes decide; return the result.

        The insert runs in a savepoint. A unique violation means a concurrent transaction
        committed first: either the same scan (a retry with the same client id) or a scan of
        the same serial. That transaction's rows are invisible to this one's snapshot
        (REPEATABLE READ), so they are read through a fresh cursor.
        """
        for _attempt in range(3):
            try:
                with self.env.cr.savepoint(flush=False):
                    scan_id = self._serial_dispatch_insert(values)
            except psycopg2.errors.UniqueViolation as error:
                constraint = error.diag.constraint_name
                if constraint not in (CLIENT_UID_CONSTRAINT, OPEN_LOT_INDEX):
                    raise
                with self.env.registry.cursor() as fresh_cr:
                    stored = self._serial_dispatch_read_scan(fresh_cr, values["client_uid"])
                    holder = (constraint == OPEN_LOT_INDEX and not stored
                              and self._serial_dispatch_lot_holder(fresh_cr, values["lot_id"]))
                if stored:
                    self.env["serial.dispatch.scan"]._check_same_scan(
                        stored, values["code"], values["client_uid"])
                    return self._serial_dispatch_result(stored, duplicate=True, refresh=True)
                lot = self.env["stock.lot"].browse(values["lot_id"])
                values.update(
                    result="refused", open=False, quantity=0.0, move_id=False,
                    message=self._serial_dispatch_held_message(lot, holder) if holder else _(
                        "Serial %s was scanned for another delivery at the same moment.",
                        lot.name))
                continue
            values = dict(values, id=scan_id)
            return self._serial_dispatch_result(values)
        raise UserError(_("The scan could not be recorded; please scan again."))

    def _serial_dispatch_insert(self, values):
        """INSERT one scan row, without logging the unique violations a race may raise."""
        now = self.env.cr.now()
        row = {
            "picking_id": self.id,
            "company_id": self.company_id.id,
            "user_id": self.env.uid,
            "client_uid": values["client_uid"],
            **{column: values[column] or None if column not in ("open", "quantity")
               else values[column] for column in SCAN_COLUMNS},
            "create_uid": self.env.uid, "create_date": now,
            "write_uid": self.env.uid, "write_date": now,
        }
        self.env.cr.execute(SQL(
            "INSERT INTO serial_dispatch_scan (%s) VALUES (%s) RETURNING id",
            SQL(", ").join(SQL.identifier(column) for column in row),
            SQL(", ").join(SQL("%s", value) for value in row.values()),
        ), log_exceptions=False)
        scan_id = self.env.cr.fetchone()[0]
        self.env["serial.dispatch.scan"].invalidate_model()
        self.invalidate_recordset(["serial_scan_ids", "serial_scan_count"])
        return scan_id

    def _serial_dispatch_read_scan(self, cr, client_uid):
        cr.execute(SQL(
            "SELECT id, %s FROM serial_dispatch_scan WHERE picking_id = %s AND client_uid = %s",
            SQL(", ").join(SQL.identifier(column) for column in SCAN_COLUMNS),
            self.id, client_uid,
        ))
        row = cr.fetchone()
        return dict(zip(("id", *SCAN_COLUMNS), row, strict=True)) if row else None

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

    # ------------------------------------------------------------------
    # Reading the scans
    # ------------------------------------------------------------------
    def _serial_dispatch_scanned(self, move_ids):
        """{move id: (scanned quantity, [serial names in scan order])} of the accepted scans."""
        if not move_ids:
            return {}
        self.env["serial.dispatch.scan"].flush_model()
        self.env.cr.execute(SQL(
            """SELECT scan.move_id, SUM(scan.quantity),
                      COALESCE(array_agg(lot.name ORDER BY scan.id)
                               FILTER (WHERE lot.id IS NOT NULL), '{}')
                 FROM serial_dispatch_scan scan
            LEFT JOIN stock_lot lot ON lot.id = scan.lot_id
                WHERE scan.picking_id = %s AND scan.result = 'accepted'
                  AND scan.move_id = ANY(%s)
             GROUP BY scan.move_id""",
            self.id, list(move_ids),
        ))
        return {move_id: (quantity, names) for move_id, quantity, names in self.env.cr.fetchall()}

    def _serial_dispatch_wanted(self, moves):
        """{move id: {lot id or None: scanned quantity}} of the accepted scans."""
        if not moves:
            return {}
        self.env["serial.dispatch.scan"].flush_model()
        self.env.cr.execute(SQL(
            """SELECT move_id, lot_id, SUM(quantity) FROM serial_dispatch_scan
                WHERE picking_id = %s AND result = 'accepted' AND move_id = ANY(%s)
             GROUP BY move_id, lot_id ORDER BY move_id, MIN(id)""",
            self.id, list(moves.ids),
        ))
        wanted = defaultdict(dict)
        for move_id, lot_id, quantity in self.env.cr.fetchall():
            wanted[move_id][lot_id] = quantity
        return wanted

    def _serial_dispatch_lines(self, moves):
        scanned = self._serial_dispatch_scanned(moves.ids)
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
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _serial_dispatch_demo(self, shelf_id, customer_id):
        """Demo: the serial_inventory demo delivery half scanned, a quotation made by scanning
        and a scan-to-transfer to ``shelf_id``. Skipped when that demo is not there."""
        delivery = self.env.ref("serial_inventory.demo_delivery_ready", raise_if_not_found=False)
        phone = self.env.ref("serial_inventory.demo_product_phone", raise_if_not_found=False)
        if not delivery or not phone or delivery.state != "assigned":
            return
        reserved = delivery.move_line_ids.filtered(
            lambda line: line.lot_id and line.product_id.tracking == "serial")
        for index, lot in enumerate(reserved.lot_id.grouped("product_id").values()):
            delivery.serial_dispatch_scan(lot[0].name, f"demo-scan-{index}")
        delivery.serial_dispatch_scan("X200-NOT-A-SERIAL", "demo-scan-refused")
        free = self.env["stock.quant"].search([
            ("product_id", "=", phone.id), ("location_id", "=", delivery.location_id.id),
            ("quantity", ">", 0), ("reserved_quantity", "=", 0)], order="id")
        if len(free) >= 2:
            self.env["sale.order"].serial_order_create(customer_id, [free[0].lot_id.name])
            self.serial_transfer_create(delivery.location_id.id, [free[1].lot_id.name],
                                        shelf_id)
