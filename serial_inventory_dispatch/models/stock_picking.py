from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

OVER_STATES = ("done", "cancel")
DELIVER = "serial.scan.operation.deliver"
# What the dialog's code may name: the source location (when the operation type asks for it
# first) and the units.
DIALOG_KINDS = ("location", "serial", "lot", "product")


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "serial.dispatch.reservation", "serial.dispatch.dialog",
                "serial.scan.operations"]

    serial_scan_ids = fields.One2many("serial.scan", "picking_id", string="Scans")
    serial_scan_count = fields.Integer(compute="_compute_serial_scan_count")
    # The last Dispatch's result, with the signature of the scans and move lines it left:
    # the dialog and the scanner show it again while neither changed since.
    serial_dispatch_applied = fields.Json(copy=False)

    def _compute_serial_scan_count(self):
        counts = dict(self.env["serial.scan"]._read_group(
            [("picking_id", "in", self.ids)], ["picking_id"], ["__count"]))
        for picking in self:
            picking.serial_scan_count = counts.get(picking, 0)

    def action_open_serial_scans(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_inventory_scan.action_serial_scan")
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
            "name": _("Scan serials: %s", self.name),
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
    # Scan API of the dispatch dialog (orm.call; JSON results): the Deliver operation's
    # rules and log, in the dialog's words
    # ------------------------------------------------------------------
    def serial_dispatch_state(self):
        """Everything the dialog shows: the picking, its lines with the scanned quantities and
        serials, and the prompt. Built from the scan log, so it survives a reload."""
        self.ensure_one()
        self.check_access("read")
        state = self.env[DELIVER]._scan_state_full(self)
        return {
            "picking": {
                "id": self.id,
                "name": self.name,
                "partner": state["partner"],
                "origin": state["origin"],
                "state": self.state,
                "state_label": state["state_label"],
                "location": self.location_id.display_name,
            },
            "can_scan": state["can_scan"],
            "prompt": state["prompt"],
            "lines": state["lines"],
            "dispatched": state["dispatched"],
            # The typing form asks a manager for a reason where serials must be scanned.
            "rules": state["rules"],
            "can_override": state["can_override"],
        }

    def serial_dispatch_scan(self, code, client_uid, takeover=False, options=None):
        """Record one scan under the Deliver operation's rules; return its result.

        ``options``, as the scanner's (``serial.scan.operation.scan``): {"typed": the code
        was typed in the dialog, "reason": an inventory manager's reason for typing a serial
        that the operation type wants scanned}. "typed" is what the client declares (a
        scanner is a keyboard to the browser): the rule holds against honest clients, and
        the log keeps who typed what and why.

        Every scan is stored in the scan log, accepted or refused (a garbled code too,
        escaped). A ``client_uid`` already stored for this picking with the same code (a
        client retry) returns the stored result and counts once; that id with another code,
        or on another picking, is refused. A serial is held by one open dispatch at a time
        (the log's unique index on open scans decides between two transactions). A serial
        Odoo reserved for another open transfer is refused; with ``takeover``, a user of the
        group "Take over reserved serials" takes it over (the refusal's ``takeover`` tells
        the client it may ask). The dialog refuses a unit beyond the order, whatever the
        operation type allows: its Dispatch reports what is missing, not what is extra.
        """
        self.ensure_one()
        self.check_access("write")
        scans = self.env["serial.scan"]
        # Written by SQL only (nobody may forge an accepted scan): scanning needs the right to
        # read the log, and to write the delivery.
        scans.check_access("read")
        check = self.env["serial.dispatch.input"]
        client_uid = check._client_uid(client_uid)
        takeover = check._flag(takeover, _("The takeover flag"))
        # The scanner's checks of the options (the operation's, as its scan reads them).
        typed, reason = self.env[DELIVER]._clean_options(options)
        try:
            code, refusal = check._code(code, allow_empty=True), None
        except UserError as error:
            code, refusal = check._preview(code), str(error)
        operation = self.env[DELIVER]
        values = {"operation": operation._operation, "kind": "scan", "code": code or "-",
                  "client_uid": client_uid, "result": "accepted", "message": "",
                  "product_id": False, "lot_id": False, "location_id": False,
                  "move_id": False, "quantity": 0.0, "open": False, "hold": False,
                  "typed": typed, "override_reason": False,
                  "company_id": self.company_id.id}
        stored = scans._read_stored(self.env.cr, self, client_uid)
        if stored:
            scans._check_same_scan(stored, values)
            return self._serial_dispatch_result(stored, duplicate=True)
        self._serial_dispatch_check_uid_unused(client_uid)
        try:
            if refusal:
                raise UserError(refusal)
            resolved = self.env["serial.code.resolver"]._resolve_any(
                code, expect=DIALOG_KINDS, picking=self)
            values["override_reason"] = operation._check_typed(self, resolved, typed, reason)
            values.update(operation._evaluate(self, resolved, values, allow_extra=False,
                                              takeover=takeover))
        except UserError as error:
            values.update(result="refused", message=str(error), quantity=0.0, open=False,
                          hold=False, move_id=False, location_id=False,
                          override_reason=False)
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
        self.env[DELIVER]._clear(self)
        return self.serial_dispatch_state()

    def serial_dispatch_set_quantity(self, move_id, quantity):
        """Set the scanned quantity of a line by hand (products without serial or lot)."""
        self.ensure_one()
        self.check_access("write")
        check = self.env["serial.dispatch.input"]
        move_id = check._record_id(move_id, _("The line"))
        quantity = check._quantity(quantity)
        self._serial_dispatch_check_scannable()
        operation = self.env[DELIVER]
        move = operation._open_move(self, move_id)
        operation._set_quantity(self, move, quantity)
        return {"line": self._serial_dispatch_lines(move)[0]}

    def serial_dispatch_apply(self):
        """Dispatch: write the scanned quantities and serials onto the move lines (marked
        picked), see ``_serial_dispatch_write``; return the differences with the order."""
        self.ensure_one()
        self.check_access("write")
        self._serial_dispatch_check_scannable()
        result = self.env[DELIVER]._dispatch(self)
        return dict(result, lines=self._serial_dispatch_lines(self._serial_dispatch_moves()))

    # ------------------------------------------------------------------
    # Extension points and the rules the other scans share
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
        self.env["serial.scan"].flush_model(["open", "lot_id", "hold", "picking_id"])
        cr.execute(SQL(
            """SELECT picking.id, picking.name, picking.state
                 FROM serial_scan scan
                 JOIN stock_picking picking ON picking.id = scan.picking_id
                WHERE scan.lot_id = %s AND scan.hold = %s AND scan.open""",
            lot_id, self.env[DELIVER]._hold,
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
        self.env["serial.scan"]._release(pickings)

    def _serial_dispatch_refusal(self):
        """Why nothing can be scanned on this picking, or None (the Deliver operation's)."""
        return self.env[DELIVER]._refusal(self)

    def _serial_dispatch_check_scannable(self):
        self.env[DELIVER]._check_scannable(self)

    def _serial_dispatch_moves(self):
        return self.env[DELIVER]._moves(self)

    def _serial_dispatch_wanted(self, moves):
        return self.env[DELIVER]._wanted(self, moves)

    def _serial_dispatch_lines(self, moves):
        return self.env[DELIVER]._lines(self, moves)
