
from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

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
    _inherit = ["serial.scan.operation", "serial.dispatch.log"]
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
        values = {}
        values.update(self._evaluate(record, resolved, values,
                                     self._scan_rules(record)["allow_extra"]))
        # No takeover from the scanner's screen (the dispatch dialog offers it).
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
    def _evaluate(self, picking, resolved, values, allow_extra, takeover=False):
        """Accept or refuse the code ``resolved`` scanned for ``picking`` (raise UserError
        with the reason); the values of the accepted scan. Shared by the scanner's screen
        and the dispatch dialog (see ``_evaluate_unit`` for ``values`` and ``takeover``)."""
        kind = resolved["kind"]
        if kind == "picking":  # the delivery opened by its reference
            return {"message": _("Delivering %s.", picking.name)}
        self._check_scannable(picking)
        if kind == "location":
            return self._evaluate_location(picking, resolved["location"])
        location = self._scanned_location(picking)
        if self._scan_rules(picking)["require_location"] and not location:
            raise UserError(_("Scan the source location %(location)s of %(picking)s first: "
                              "%(code)s was not counted.",
                              location=picking.location_id.display_name, picking=picking.name,
                              code=resolved["code"]))
        return self._evaluate_unit(picking, resolved, location or picking.location_id, values,
                                   allow_extra=allow_extra, takeover=takeover)

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
        """Refuse serial ``lot`` while another operation's open scan holds it exclusively (a
        transfer, a quotation being scanned; a count only observes)."""
        scans = self.env["serial.scan"]
        holds = {self.env[name]._hold for name in self._operations().values()
                 if getattr(self.env[name], "_hold_exclusive", True)}
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
    def _scan_action_add_one(self, record, move_id):
        """+1: one more unit of an untracked line, under the operation type's rules."""
        self._check_picking(record)
        move = self._open_move(record, move_id)
        self._check_location_scanned(record)
        rules = self._scan_rules(record)
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
        self._set_quantity(record, move, self.env["serial.dispatch.input"]._quantity(quantity))
        return self._scan_state(record)

    @api.model
    def _scan_action_rescan(self, record):
        """Clear the scans of this dispatch (they stay in the log as cleared)."""
        self._check_picking(record)
        self._clear(record)
        return self._scan_state(record)

    @api.model
    def _scan_action_dispatch(self, record):
        """Write the scanned units on the move lines; the state shows the differences."""
        self._check_picking(record)
        self._dispatch(record)
        return self._scan_state(record)

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
