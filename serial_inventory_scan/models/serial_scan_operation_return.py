from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError

# The units one return session shows and applies at once: a counter's worth of returns.
MAX_UNITS = 200


class SerialScanOperationReturn(models.AbstractModel):
    """Return: a customer brings units back; each scanned serial finds the delivery it left
    on, Apply makes Odoo's return of those units (one per delivery) and validates it.

    The record scanned for is the user's session (``_scan_session``), not a model of its
    own: a return is made at a counter by one user and applied at once, so the accepted
    scans holding their serial (hold "return") are the session. They survive a reload and
    follow the user to another device; the same unit cannot be in two users' returns at
    once (the scan log's one-open-scan index); Apply closes them and links each one to the
    return it made (serial.scan.picking_id). Nothing else needs storing: a count needed a
    record for its location, state and manager's apply, a return has none of these.

    A unit is accepted when its last done move took it to a customer, on a delivery of one
    of the user's companies, and no return of it is pending; a unit under recall is
    accepted (it comes back blocked, see stock.lot.serial_state). The rules of the
    operation type returns go to (the delivery type's return type, as Odoo's return wizard
    uses it) apply per unit: a typed serial is refused when its scan is mandatory (unless a
    manager gives a reason), and with "location scans required" the location the units go
    to is scanned first. "Extra units" has no meaning here: a unit is returnable or not.
    """

    _name = "serial.scan.operation.return"
    _inherit = "serial.scan.operation"
    _description = "Return"
    _operation = "return"
    _hold = "return"
    _sequence = 50
    _icon = "fa-undo"
    _scan_actions = ("remove", "clear")

    # ------------------------------------------------------------------
    # The session: the user's own
    # ------------------------------------------------------------------
    @api.model
    def _scan_record(self, record_id):
        record_id = self._clean_record_id(record_id)
        if record_id and record_id != self.env.uid:
            raise UserError(_("A return is scanned in your own session: %s is not yours.",
                              record_id))
        return self._scan_session()

    @api.model
    def _scan_expect(self, record):
        # Lots and products are read to be refused with the reason (a return is of serials).
        return ("location", "serial", "lot", "product")

    @api.model
    def _session_units(self, record, limit=MAX_UNITS):
        """The open (not yet applied) accepted unit scans of the session, newest first."""
        return self.env["serial.scan"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id),
             ("operation", "=", self._operation), ("open", "=", True)], limit=limit)

    @api.model
    def _current_location(self, record):
        """Where the returned units go: the last location scanned in the session (Apply and
        Start over clear it), or none (each unit then goes where Odoo's return puts it)."""
        return self._location_scans(record, limit=1).location_id

    @api.model
    def _location_scans(self, record, limit=None):
        return self.env["serial.scan"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id),
             ("operation", "=", self._operation), ("result", "=", "accepted"),
             ("lot_id", "=", False), ("location_id", "!=", False)], limit=limit)

    @api.model
    def _end_session(self, record, unit_scans, result):
        """Close ``unit_scans`` (``result``: accepted when applied, cleared when taken out)
        and clear the session's location scans: the next return asks for its location."""
        unit_scans.sudo().write({"result": result, "open": False})
        self._location_scans(record).sudo().write({"result": "cleared"})

    # ------------------------------------------------------------------
    # Where a unit comes back from
    # ------------------------------------------------------------------
    @api.model
    def _return_origin(self, lot):
        """The done move line that took ``lot`` to a customer, on a delivery of the user's
        companies, to be returned now; UserError saying why not otherwise. Read as superuser:
        the last move may be another company's, which the message then does not name."""
        Line = self.env["stock.move.line"].sudo()
        last = Line.search([("lot_id", "=", lot.id), ("state", "=", "done")],
                           order="date desc, id desc", limit=1)
        visible = self.env["serial.scan"]._visible_to_user
        if not last or last.location_dest_id.usage != "customer":
            if last and last.move_id.origin_returned_move_id \
                    and last.location_id.usage == "customer":
                if visible(last.picking_id):
                    raise UserError(_("Serial %(serial)s was already returned (%(ret)s).",
                                      serial=lot.name, ret=last.reference))
                raise UserError(_("Serial %s was already returned.", lot.name))
            in_stock = lot.quant_ids.filtered(
                lambda quant: quant.quantity > 0 and quant.location_id.usage == "internal")
            if in_stock:
                raise UserError(_("Serial %(serial)s is in stock at %(where)s, not at a "
                                  "customer: there is nothing to return.", serial=lot.name,
                                  where=", ".join(in_stock.location_id.mapped("display_name"))))
            if not last:
                raise UserError(_("Serial %s was never delivered: there is nothing to "
                                  "return.", lot.name))
            raise UserError(_("Serial %s is not at a customer: there is nothing to return.",
                              lot.name))
        delivery = last.picking_id
        if not delivery:
            raise UserError(_("Serial %s reached its customer without a delivery: there is "
                              "no delivery to return it from.", lot.name))
        if delivery.company_id not in self.env.user.company_ids:
            raise UserError(_("Serial %s was delivered by another company: it cannot be "
                              "returned here.", lot.name))
        pending = Line.search([("lot_id", "=", lot.id), ("state", "not in", ("done", "cancel")),
                               ("location_id.usage", "=", "customer")], limit=1)
        if pending:
            raise UserError(_("Serial %(serial)s is already on return %(ret)s, not yet "
                              "validated.", serial=lot.name, ret=pending.reference
                              if visible(pending.picking_id) else _("of another company")))
        return last

    @api.model
    def _return_type(self, delivery):
        """The operation type of the return of ``delivery``, as Odoo's wizard chooses it."""
        return delivery.picking_type_id.return_picking_type_id or delivery.picking_type_id

    @api.model
    def _return_destination(self, delivery):
        """Where Odoo's return wizard puts the units of ``delivery``."""
        values = self.env["stock.return.picking"]._prepare_picking_default_values_based_on(
            delivery)
        return self.env["stock.location"].browse(values["location_dest_id"])

    @api.model
    def _future_return(self, delivery):
        """The return of ``delivery`` still to be made (not stored): its operation type's
        rules are those of the unit's scan."""
        return self.env["stock.picking"].new({
            "picking_type_id": self._return_type(delivery).id,
            "company_id": delivery.company_id.id,
        })

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------
    @api.model
    def _return_types(self):
        """The operation types returns of the user's companies' deliveries go to."""
        deliveries = self.env["stock.picking.type"].search(
            [("code", "=", "outgoing"), ("company_id", "in", self.env.user.company_ids.ids)])
        return deliveries.return_picking_type_id | deliveries.filtered(
            lambda picking_type: not picking_type.return_picking_type_id)

    @api.model
    def _scan_rules(self, record):
        """Rules of the unit's return type for a unit (``record`` a future return); for the
        session, the strictest of the return types (the typing form then asks a manager for
        a reason, the prompt for a location)."""
        if record._name == "stock.picking":
            return super()._scan_rules(record)
        types = self._return_types()
        return {
            "policy": "mandatory" if "mandatory" in types.mapped("serial_scan_policy")
            else "optional",
            "allow_extra": True,
            "require_location": any(types.mapped("serial_scan_require_location")),
        }

    @api.model
    def _check_typed(self, record, resolved, typed, reason):
        if typed and resolved["kind"] == "serial" and resolved["lot"]:
            try:
                delivery = self._return_origin(resolved["lot"]).picking_id
            except UserError:
                delivery = None  # refused by the evaluation, with its reason
            if delivery:
                return super()._check_typed(self._future_return(delivery), resolved, typed,
                                            reason)
        return super()._check_typed(self.env["stock.picking"], resolved, typed, reason)

    # ------------------------------------------------------------------
    # Scans
    # ------------------------------------------------------------------
    @api.model
    def _scan_evaluate(self, record, resolved):
        kind = resolved["kind"]
        if kind == "location":
            return self._evaluate_location(resolved["location"])
        lot, product = resolved["lot"], resolved["product"]
        if kind != "serial":
            raise UserError(_(
                "A return is made of serials: scan the serial of each returned unit of %s, "
                "not its product or lot code.", product.display_name))
        if not lot:
            raise UserError(_("Serial %(serial)s of %(product)s is not known: it was never "
                              "delivered.", serial=resolved["lot_name"],
                              product=product.display_name or _("an unknown product")))
        origin = self._return_origin(lot)
        delivery = origin.picking_id
        location = self._current_location(record)
        rules = self._scan_rules(self._future_return(delivery))
        if rules["require_location"] and not location:
            raise UserError(_(
                "Scan the location the returned units go to first: %(type)s asks for it "
                "(serial %(serial)s).", type=self._return_type(delivery).display_name,
                serial=lot.name))
        self._check_destination(lot, delivery, location)
        message = _("%(serial)s comes back from %(delivery)s (%(customer)s).",
                    serial=lot.name, delivery=delivery.name,
                    customer=delivery.partner_id.display_name or _("no customer"))
        if lot.serial_recall_id:
            message += " " + _("Under recall %s: it comes back blocked.",
                               lot.serial_recall_id.display_name)
        return {"message": message, "product_id": product.id, "lot_id": lot.id,
                "location_id": location.id, "quantity": 1.0, "open": True,
                "hold": self._hold}

    @api.model
    def _evaluate_location(self, location):
        if location.usage != "internal":
            raise UserError(_("%s is not a stock location: returned units go to an internal "
                              "location.", location.display_name))
        if location.company_id not in self.env.user.company_ids:
            raise UserError(_("%s belongs to another company.", location.display_name))
        return {"message": _("Returned units go to %s.", location.display_name),
                "location_id": location.id}

    @api.model
    def _check_destination(self, lot, delivery, location):
        """A scanned location must lie in where Odoo's return of ``delivery`` goes."""
        if not location:
            return
        destination = self._return_destination(delivery)
        if not location.parent_path.startswith(destination.parent_path):
            raise UserError(_(
                "Serial %(serial)s comes back to %(destination)s (return of %(delivery)s), "
                "not to %(location)s: scan a location in %(destination)s.", serial=lot.name,
                destination=destination.display_name, delivery=delivery.name,
                location=location.display_name))

    @api.model
    def _scan_held_message(self, record, lot, holder):
        if holder == record:
            return _("Serial %s is already in this return: it counts once.", lot.name)
        if holder._name == "res.users":
            return _("Serial %(serial)s is being returned by %(user)s.", serial=lot.name,
                     user=holder.sudo().name)
        return super()._scan_held_message(record, lot, holder)

    # ------------------------------------------------------------------
    # The screen
    # ------------------------------------------------------------------
    @api.model
    def _scan_state(self, record):
        units, problems = [], 0
        for scan in self._session_units(record):
            try:
                origin = self._return_origin(scan.lot_id)
                problem = ""
            except UserError as error:
                origin, problem = self.env["stock.move.line"], str(error)
                problems += 1
            delivery = origin.picking_id
            units.append({
                "scan_id": scan.id, "lot_id": scan.lot_id.id, "serial": scan.lot_id.name,
                "product": scan.product_id.display_name,
                "delivery": delivery.name or "", "delivery_id": delivery.id,
                "customer": delivery.partner_id.display_name or "",
                "delivered": self._format_date(origin.date),
                "recall": scan.lot_id.serial_recall_id.display_name or "",
                "location": scan.location_id.display_name or "",
                "problem": problem,
            })
        location = self._current_location(record)
        rules = self._scan_rules(record)
        if location:
            prompt = _("Scan the returned units (they go to %s).", location.display_name)
        elif rules["require_location"]:
            prompt = _("Scan the location the returned units go to, then the units.")
        else:
            prompt = _("Scan the serial of each returned unit.")
        return {
            "record_id": False,
            "prompt": prompt,
            "location": location.display_name or "",
            "can_scan": True,
            "units": units,
            "deliveries": len({unit["delivery_id"] for unit in units if unit["delivery_id"]}),
            "problems": problems,
            "can_apply": bool(units) and not problems,
            "recent": self._scan_recent(record),
        }

    @api.model
    def _format_date(self, value):
        if not value:
            return ""
        return fields.Datetime.to_string(fields.Datetime.context_timestamp(self, value))[:16]

    # ------------------------------------------------------------------
    # Screen buttons
    # ------------------------------------------------------------------
    @api.model
    def _scan_action_remove(self, record, scan_id):
        """Take one unit out of the return (scanned by mistake): its scan is cleared."""
        scan = self._session_units(record).filtered(lambda unit: unit.id == scan_id)
        if not scan:
            raise UserError(_("This unit is not in your return (any more)."))
        scan.sudo().write({"result": "cleared", "open": False})
        return self._scan_state(record)

    @api.model
    def _scan_action_clear(self, record):
        """Start the return over: every unit's scan is cleared."""
        self._end_session(record, self._session_units(record, limit=None), "cleared")
        return self._scan_state(record)

    # ------------------------------------------------------------------
    # Apply: Odoo's return of each delivery, validated
    # ------------------------------------------------------------------
    @api.model
    def _scan_apply(self, record):
        """Make and validate Odoo's return (stock.return.picking) of each delivery the
        session's units left on; the units' scans are closed and linked to their return."""
        scans = self._session_units(record, limit=None)
        if not scans:
            raise UserError(_("Scan the returned units first: there is nothing to return."))
        by_delivery, errors = defaultdict(list), []
        for scan in scans.sorted("id"):
            try:
                origin = self._return_origin(scan.lot_id)
                self._check_destination(scan.lot_id, origin.picking_id, scan.location_id)
            except UserError as error:
                errors.append(str(error))
                continue
            by_delivery[origin.picking_id].append((scan, origin))
        if errors:
            raise UserError(_("Nothing was returned; remove these units first:\n%s",
                              "\n".join(errors)))
        applied, scans = [], self.env["serial.scan"]
        for delivery in sorted(by_delivery, key=lambda picking: picking.id):
            units = by_delivery[delivery]
            returned = self._return_units(delivery, units)
            scans |= scans.browse([scan.id for scan, _origin in units])
            applied.append({"id": returned.id, "name": returned.name,
                            "delivery": delivery.name,
                            "customer": delivery.partner_id.display_name or "",
                            "count": len(units)})
        self._end_session(record, scans, "accepted")
        state = self._scan_state(record)
        state["applied"] = applied
        return state

    @api.model
    def _return_units(self, delivery, units):
        """Odoo's return of ``units`` [(scan, delivery move line)] of ``delivery``: the
        wizard's lines set to the scanned quantities, the returned serials on its move
        lines, validated. Returns the return."""
        env = self.with_company(delivery.company_id).env
        wizard = env["stock.return.picking"].with_context(
            active_id=delivery.id, active_ids=delivery.ids, active_model="stock.picking",
        ).create({"picking_id": delivery.id})
        per_move = defaultdict(list)
        for scan, origin in units:
            per_move[origin.move_id].append(scan)
        for line in wizard.product_return_moves:
            line.quantity = len(per_move.get(line.move_id, ()))
        action = wizard.action_create_returns()
        returned = env["stock.picking"].browse(action["res_id"])
        for move in returned.move_ids:
            scanned = per_move.get(move.origin_returned_move_id, [])
            move.move_line_ids.unlink()
            env["stock.move.line"].create([{
                **move._prepare_move_line_vals(quantity=1),
                "lot_id": scan.lot_id.id, "quantity": 1, "picked": True,
                "location_dest_id": (scan.location_id or move.location_dest_id).id,
            } for scan in scanned])
        scans = self.env["serial.scan"].browse([scan.id for scan, _origin in units])
        # Linked before validating: an operation type whose serial scan is mandatory
        # validates only the serials scanned for the transfer.
        scans.sudo().write({"picking_id": returned.id})
        result = returned.button_validate()
        if result is not True:
            raise UserError(_(
                "Odoo asks for a confirmation (%(what)s) before validating the return of "
                "%(delivery)s: nothing was returned. Return it from the delivery.",
                what=result.get("name") if isinstance(result, dict) else result,
                delivery=delivery.name))
        return returned
