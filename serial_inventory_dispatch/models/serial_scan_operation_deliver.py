import hashlib
import json
import uuid
from collections import defaultdict

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_is_zero, float_round

from ..lib.scan_input import format_quantity

OVER_STATES = ("done", "cancel")
# The ready deliveries the screen offers before one is scanned.
LIST_LIMIT = 50


class SerialScanOperationDeliver(models.AbstractModel):
    """Deliver: today's dispatch. Choose a ready delivery (or scan its reference), scan its
    units (a serial or lot for tracked products, the product barcode or +1 for the others),
    Dispatch (the scanned units written on the move lines), Deliver (Odoo's validation,
    with its backorder wizard when units are missing).

    The rules of the dispatch apply to each unit (``stock.picking._serial_dispatch_check_lot``,
    one open dispatch per serial, in stock under the source location, reservations of other
    transfers); the operation type's rules (allow_extra, require_location) apply on top.
    """

    _name = "serial.scan.operation.deliver"
    _inherit = "serial.scan.operation"
    _description = "Deliver"
    _operation = "deliver"
    _scan_model = "stock.picking"
    _hold = "dispatch"
    _sequence = 40
    _icon = "fa-truck"
    _scan_actions = ("add_one", "set_quantity", "rescan", "dispatch", "deliver")
    # The transfers this operation scans for (stock.picking.picking_type_code).
    _picking_type_code = "outgoing"

    # ------------------------------------------------------------------
    # Hooks of the core
    # ------------------------------------------------------------------
    @api.model
    def _scan_record(self, record_id):
        record = super()._scan_record(record_id)
        if record:
            record.check_access("write")
        return record

    @api.model
    def _scan_expect(self, record):
        if not record:
            return ("picking",)
        return ("location", "serial", "lot", "product")

    @api.model
    def _scan_target(self, record, resolved):
        if record or resolved["kind"] != "picking":
            return record
        picking = resolved["picking"]
        picking.check_access("write")
        self._check_scannable(picking)
        return picking

    @api.model
    def _scan_evaluate(self, record, resolved):
        kind = resolved["kind"]
        if kind == "picking":  # the delivery opened by its reference
            return {"message": _("Delivering %s.", record.name)}
        self._check_scannable(record)
        rules = self._scan_rules(record)
        if kind == "location":
            return self._evaluate_location(record, resolved["location"])
        location = self._scanned_location(record)
        if rules["require_location"] and not location:
            raise UserError(_("Scan the source location %(location)s of %(picking)s first: "
                              "%(code)s was not counted.",
                              location=record.location_id.display_name, picking=record.name,
                              code=resolved["code"]))
        values = {}
        try:
            values.update(self._evaluate_unit(
                record, resolved, location or record.location_id, values,
                allow_extra=rules["allow_extra"]))
        finally:
            values.pop("takeover", None)
            values.pop("takeover_lines", None)
        return values

    @api.model
    def _scan_held_message(self, record, lot, holder):
        if holder == record:
            return _("Serial %s is already scanned on this delivery.", lot.name)
        if not self.env["serial.scan"]._visible_to_user(holder.sudo()):
            return _("Serial %s is already scanned elsewhere.", lot.name)
        return _("Serial %(serial)s is already scanned for %(picking)s.", serial=lot.name,
                 picking=holder.sudo().display_name)

    # ------------------------------------------------------------------
    # The rules
    # ------------------------------------------------------------------
    @api.model
    def _refusal(self, picking):
        """Why nothing can be scanned on ``picking`` for this operation, or None."""
        if picking.picking_type_code != self._picking_type_code:
            return _("%s is not a delivery order: only deliveries are dispatched by scanning.",
                     picking.name)
        if picking.state in OVER_STATES:
            return _("%(picking)s is %(state)s: it cannot be scanned any more.",
                     picking=picking.name,
                     state=dict(picking._fields["state"]._description_selection(self.env))[
                         picking.state].lower())
        if picking.state == "draft":
            return _("%s is a draft: mark it as to do before scanning.", picking.name)
        return None

    @api.model
    def _check_scannable(self, picking):
        refusal = self._refusal(picking)
        if refusal:
            raise UserError(refusal)

    @api.model
    def _moves(self, picking):
        return picking.move_ids.filtered(lambda move: move.state != "cancel").sorted(
            lambda move: (move.sequence, move.id))

    @api.model
    def _evaluate_location(self, picking, location):
        source = picking.location_id
        if location != source and not location.parent_path.startswith(source.parent_path):
            raise UserError(_("%(location)s is not %(origin)s, where %(picking)s takes its "
                              "units from.", location=location.display_name,
                              origin=source.display_name, picking=picking.name))
        return {"message": _("Picking from %s.", location.display_name),
                "location_id": location.id}

    @api.model
    def _evaluate_unit(self, picking, resolved, location, values, allow_extra, takeover=False):
        """Apply the dispatch rules to the unit ``resolved`` names; the values of an accepted
        scan. ``values`` (the scan's) receives the product and serial as soon as they are
        known, and whether a refused reservation could be taken over (``takeover``); a
        serial taken over comes with the lines to take it from (``takeover_lines``), for
        after the scan is stored. Reads only."""
        product, lot = resolved["product"], resolved["lot"]
        values.update(product_id=product.id, lot_id=lot.id)
        code = resolved["code"]
        if resolved["lot_name"] and not lot:
            raise UserError(_("Unknown serial %(serial)s (code %(code)s).",
                              serial=resolved["lot_name"], code=code))
        if not product:
            raise UserError(_("Code %s names no product and no serial.", code))
        moves = self._moves(picking).filtered(
            lambda move: move.product_id == product and move.state not in OVER_STATES)
        if not moves:
            raise UserError(_("%(product)s is not in this order (%(picking)s).",
                              product=product.display_name, picking=picking.name))
        tracking = product.tracking
        if lot:
            if tracking == "serial":
                holder = picking._serial_dispatch_lot_holder(self.env.cr, lot.id)
                if holder:
                    raise UserError(picking._serial_dispatch_held_message(lot, holder))
                self._check_other_holds(picking, lot)
            picking._serial_dispatch_check_lot(lot)
            picking._serial_check_in_stock(lot, location)
        elif tracking == "serial":
            raise UserError(_("%s is tracked by serial number: scan the serial of the unit, "
                              "not the product barcode.", product.display_name))
        elif tracking == "lot":
            raise UserError(_("%s is tracked by lot: scan the lot number, not the product "
                              "barcode.", product.display_name))
        move, extra = self._move_for_unit(picking, moves, 1.0, allow_extra)
        taken = (picking._serial_check_reservation(lot, values, takeover)
                 if lot and tracking == "serial" else None)
        if taken:
            message = _("%(product)s: serial %(serial)s added, taken over from %(transfer)s",
                        product=product.display_name, serial=lot.name,
                        transfer=picking._serial_transfer_names(taken))
        elif lot:
            message = _("%(product)s: serial %(serial)s added",
                        product=product.display_name, serial=lot.name)
        else:
            message = _("%s: one unit added", product.display_name)
        if extra:
            message = _("%s (more than ordered)", message)
        return {"result": "accepted", "message": message, "move_id": move.id,
                "location_id": location.id, "quantity": 1.0, "open": tracking == "serial",
                "hold": self._hold if tracking == "serial" else False,
                "takeover_lines": taken}

    @api.model
    def _check_other_holds(self, picking, lot):
        """Refuse serial ``lot`` while another operation's open scan holds it (a count, a
        transfer being scanned): one serial, one open scan."""
        scans = self.env["serial.scan"]
        holds = {self.env[name]._hold for name in self._operations().values()}
        for hold in sorted(holds - {None, self._hold}):
            holder = scans._holder(self.env.cr, lot.id, hold)
            if holder and holder._name == "stock.picking" and holder.state in OVER_STATES:
                scans._release(holder)  # a transfer that ended outside the scanner
            elif holder:
                raise UserError(self._scan_held_message(picking, lot, holder))

    @api.model
    def _move_for_unit(self, picking, moves, quantity, allow_extra):
        """(move, extra): the first of ``moves`` with room for ``quantity`` more units; the
        last one, as an extra, when all are complete and extras are allowed."""
        scanned = self._scanned(picking, moves.ids)
        for move in moves:
            done = scanned.get(move.id, (0.0, []))[0]
            if float_compare(done + quantity, move.product_uom_qty,
                             precision_rounding=move.product_uom.rounding) <= 0:
                return move, False
        if not allow_extra:
            raise UserError(_(
                "More %(product)s than ordered: %(ordered)s ordered, all already scanned.",
                product=moves[0].product_id.display_name,
                ordered=format_quantity(sum(moves.mapped("product_uom_qty")))))
        return moves[-1], True

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

    # ------------------------------------------------------------------
    # The screen
    # ------------------------------------------------------------------
    @api.model
    def _scan_state(self, record):
        if not record:
            return {"record_id": False, "prompt": _("Scan a delivery reference, or choose one."),
                    "deliveries": self._ready_deliveries()}
        refusal = self._refusal(record)
        states = dict(record._fields["state"]._description_selection(self.env))
        location = self._scanned_location(record)
        needs_location = (not refusal and not location
                          and self._scan_rules(record)["require_location"])
        if refusal:
            prompt = refusal
        elif needs_location:
            prompt = _("Scan the source location %s first.", record.location_id.display_name)
        else:
            prompt = _("Start scanning now!")
        return {
            "record_id": record.id,
            "name": record.name,
            "partner": record.partner_id.display_name or "",
            "origin": record.origin or "",
            "state": record.state,
            "state_label": states.get(record.state, record.state),
            "location": (location or record.location_id).display_name,
            "can_scan": refusal is None,
            "needs_location": bool(needs_location),
            "prompt": prompt,
            "lines": self._lines(record, self._moves(record)),
            "dispatched": self._dispatched(record) if refusal is None else False,
            "recent": self._scan_recent(record),
        }

    @api.model
    def _ready_deliveries(self):
        pickings = self.env["stock.picking"].search([
            ("picking_type_code", "=", self._picking_type_code),
            ("state", "=", "assigned"),
        ], order="scheduled_date, id", limit=LIST_LIMIT)
        return [{"id": picking.id, "name": picking.name,
                 "partner": picking.partner_id.display_name or "",
                 "origin": picking.origin or "",
                 "scheduled_date": picking.scheduled_date and str(picking.scheduled_date)}
                for picking in pickings]

    # ------------------------------------------------------------------
    # The screen's buttons (scan_action)
    # ------------------------------------------------------------------
    @api.model
    def _open_move(self, picking, move_id):
        move_id = self._clean_record_id(move_id)
        move = self._moves(picking).filtered(lambda move: move.id == move_id)
        if not move_id or not move or move.state in OVER_STATES:
            raise UserError(_("This line is not an open line of %s.", picking.name))
        if move.product_id.tracking != "none":
            raise UserError(_(
                "%s is tracked by serial or lot number: its quantity is counted by scanning "
                "each unit.", move.product_id.display_name))
        return move

    @api.model
    def _check_picking(self, picking):
        if not picking:
            raise UserError(_("Choose a delivery first."))
        self._check_scannable(picking)

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
        self.env["serial.scan"].check_access("create")
        self.env["serial.scan"]._store(picking, values, None)

    @api.model
    def _scan_action_add_one(self, record, move_id):
        """+1: one more unit of an untracked line, under the operation type's rules."""
        self._check_picking(record)
        move = self._open_move(record, move_id)
        rules = self._scan_rules(record)
        if rules["require_location"] and not self._scanned_location(record):
            raise UserError(_("Scan the source location %s first.",
                              record.location_id.display_name))
        moves = self._moves(record).filtered(lambda other: other == move)
        self._move_for_unit(record, moves, 1.0, rules["allow_extra"])
        self._store_manual(record, move, 1.0, "+1", _(
            "%s: one unit added by hand", move.product_id.display_name))
        return self._scan_state(record)

    @api.model
    def _scan_action_set_quantity(self, record, move_id, quantity):
        """The scanned quantity of an untracked line, typed by hand."""
        self._check_picking(record)
        move = self._open_move(record, move_id)
        quantity = self.env["serial.scan.input"]._quantity(quantity)
        rounding = move.product_uom.rounding
        quantity = float_round(quantity, precision_rounding=rounding)
        if float_compare(quantity, 0.0, precision_rounding=rounding) < 0:
            raise UserError(_("A quantity cannot be negative."))
        if not self._scan_rules(record)["allow_extra"] and float_compare(
                quantity, move.product_uom_qty, precision_rounding=rounding) > 0:
            raise UserError(_("More %(product)s than ordered: %(ordered)s ordered, not "
                              "%(quantity)s.", product=move.product_id.display_name,
                              ordered=format_quantity(move.product_uom_qty),
                              quantity=format_quantity(quantity)))
        scanned = self._scanned(record, move.ids).get(move.id, (0.0, []))[0]
        delta = quantity - scanned
        if not float_is_zero(delta, precision_rounding=rounding):
            self._store_manual(
                record, move, delta, _("Quantity set to %s", format_quantity(quantity)),
                _("%(product)s: quantity set to %(quantity)s by hand",
                  product=move.product_id.display_name, quantity=format_quantity(quantity)))
        return self._scan_state(record)

    @api.model
    def _scan_action_rescan(self, record):
        """Clear the scans of this dispatch (they stay in the log as cleared)."""
        self._check_picking(record)
        self._clear(record)
        return self._scan_state(record)

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
    def _scan_action_dispatch(self, record):
        """Write the scanned units on the move lines; the state shows the differences."""
        self._check_picking(record)
        self._dispatch(record)
        return self._scan_state(record)

    @api.model
    def _dispatch(self, picking):
        """Write the accepted scans on ``picking``'s move lines; keep and return the result
        ({differences, complete}) with the signature of what it left."""
        moves = self._moves(picking).filtered(lambda move: move.state not in OVER_STATES)
        differences = picking._serial_dispatch_write(moves, self._wanted(picking, moves))
        result = {"differences": differences, "complete": not differences}
        picking.serial_dispatch_applied = dict(result, signature=self._signature(picking))
        return result

    @api.model
    def _scan_action_deliver(self, record):
        """Odoo's validation of the dispatched delivery: its follow-up (the backorder wizard)
        goes to the client as ``client_action``."""
        self._check_picking(record)
        if not self._dispatched(record):
            raise UserError(_("Dispatch %s first: Deliver validates what Dispatch wrote on "
                              "the delivery.", record.name))
        action = record.button_validate()
        state = self._scan_state(record)
        if isinstance(action, dict):
            return dict(state, client_action=action)
        return dict(state, delivered=True)
