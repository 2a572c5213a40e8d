from collections import defaultdict

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# The units the screen lists after each scan (the total is whole).
LIST_LIMIT = 100
OVER_STATES = ("done", "cancel")


class SerialScanOperationTransfer(models.AbstractModel):
    """Transfer: scan the source location, the units, the destination location; validated.

    The record is an internal transfer (the source warehouse's internal operation type, so
    that its rules apply; the scans carry it as picking_id), opened by the first scan, the
    source. A unit is a serial (one unit; the rules of serial.scan.unit.rules: in stock under
    the source, not recalled, not held by an open scan, not reserved for another transfer)
    or the barcode of a product without tracking (one unit, while one is available). The
    destination (internal, not the source, of the transfer's company) ends the scan: the
    screen runs ``validate`` at once, which checks every unit again, creates the moves with
    the serials' move lines (one batched create), confirms, reserves and validates with
    button_validate; a wizard it returns goes to the screen as ``client_action``.

    Rules of the operation type: the serial policy (no typed serial without a manager's
    reason when mandatory) is the core's. Location scans are always required here (the
    source opens, the destination ends). Extra units have no meaning: a scanned transfer
    has no demand besides its scanned units.
    """

    _name = "serial.scan.operation.transfer"
    _inherit = "serial.scan.operation"
    _description = "Transfer"
    _operation = "transfer"
    _scan_model = "stock.picking"
    _hold = "transfer"
    _sequence = 40
    _icon = "fa-exchange"
    _scan_actions = ("validate", "undo", "cancel")

    @api.model
    def _rules(self):
        return self.env["serial.scan.unit.rules"]

    @api.model
    def _scan_record(self, record_id):
        record = super()._scan_record(record_id)
        if record and record.picking_type_code != "internal":
            raise UserError(_("%s is not an internal transfer: it cannot be scanned here.",
                              record.display_name))
        return record

    @api.model
    def _scan_expect(self, record):
        if not record or record.state in OVER_STATES:
            return ("location",)
        return ("location", "serial", "product")

    @api.model
    def _scan_target(self, record, resolved):
        """The source location opens a transfer (also once the previous one is over)."""
        if (record and record.state not in OVER_STATES) or resolved["kind"] != "location":
            return record
        source = resolved["location"]
        company = source.company_id or self.env.company
        self._rules()._check_location(source, company)
        picking_type = source.warehouse_id.int_type_id or self.env["stock.picking.type"].search(
            [("code", "=", "internal"), ("company_id", "=", company.id)], limit=1)
        if not picking_type:
            raise UserError(_("No internal operation type moves units from %s.",
                              source.display_name))
        return self.env["stock.picking"].create({
            "picking_type_id": picking_type.id, "location_id": source.id,
            "origin": _("Inventory Scanner"), "user_id": self.env.uid})

    # ------------------------------------------------------------------
    # Evaluating a scan (reads only)
    # ------------------------------------------------------------------
    @api.model
    def _scan_evaluate(self, record, resolved):
        self._check_open(record)
        if resolved["kind"] == "location":
            return self._evaluate_location(record, resolved["location"])
        product, lot = resolved["product"], resolved["lot"]
        values = {"product_id": product.id, "lot_id": lot.id, "quantity": 1.0}
        if resolved["kind"] == "serial":
            location = self._check_serial(record, lot, resolved["lot_name"], product)
            return dict(values, location_id=location.id, open=True, hold=self._hold,
                        message=_("%(serial)s (%(product)s) from %(location)s.", serial=lot.name,
                                  product=product.display_name,
                                  location=location.display_name))
        self._rules()._check_untracked(product)
        scanned = sum(unit["quantity"] for unit in self._units(record)
                      if unit["product"] == product) + 1
        self._rules()._check_available(product, lot, record.location_id, scanned)
        shown_count = f"{scanned:g}"  # not in _(): its extractor evaluates f-strings
        return dict(values, location_id=record.location_id.id, message=_(
            "%(product)s: %(count)s to move.", product=product.display_name,
            count=shown_count))

    @api.model
    def _check_serial(self, record, lot, lot_name, product, held_here=False):
        """The location serial ``lot`` is taken from, refused unless it may leave the source."""
        return self._rules()._check_serial(
            lot, record.location_id, record,
            lambda lot, holder: self._scan_held_message(record, lot, holder),
            lot_name=lot_name, product=product, held_here=held_here)

    @api.model
    def _evaluate_location(self, record, location):
        if not self._scans(record, locations=True):
            if location != record.location_id:
                raise UserError(_("Transfer %(transfer)s moves units from %(origin)s: scan "
                                  "that location first.", transfer=record.name,
                                  origin=record.location_id.display_name))
            return {"location_id": location.id, "message": _(
                "Moving from %s: scan the units.", location.display_name)}
        self._rules()._check_location(location, record.company_id)
        if location == record.location_id:
            raise UserError(_("%s is where the units come from: scan the destination.",
                              location.display_name))
        units = self._units(record)
        if not units:
            raise UserError(_("Scan the units to move from %(origin)s first, then the "
                              "destination %(location)s.",
                              origin=record.location_id.display_name,
                              location=location.display_name))
        there = [unit["lot"].name for unit in units if unit["lot"] and unit["location"]
                 and unit["location"].parent_path.startswith(location.parent_path)]
        if there:
            raise UserError(_("%(serials)s already in %(location)s: undo them or scan "
                              "another destination.", serials=", ".join(there),
                              location=location.display_name))
        return {"location_id": location.id, "message": _(
            "To %(location)s: %(count)s units.", location=location.display_name,
            count=int(sum(unit["quantity"] for unit in units)))}

    @api.model
    def _check_chosen(self, record):
        """The screen's actions need a transfer (a call without one is refused, not lost)."""
        if not record:
            raise UserError(_("Choose or open a transfer first."))

    @api.model
    def _check_open(self, record):
        self._check_chosen(record)
        if record.state != "draft":
            states = dict(record._fields["state"]._description_selection(self.env))
            raise UserError(_("Transfer %(transfer)s is %(state)s: it cannot be scanned any "
                              "more.", transfer=record.name,
                              state=states[record.state].lower()))

    @api.model
    def _scan_held_message(self, record, lot, holder):
        if holder == record:
            return _("Serial %s is already in this transfer: it moves once.", lot.name)
        return super()._scan_held_message(record, lot, holder)

    # ------------------------------------------------------------------
    # The scans of a transfer (read by SQL: sent after every scan)
    # ------------------------------------------------------------------
    @api.model
    def _scans(self, record, locations=False):
        """The accepted scans of ``record``, in scan order: (id, product id, lot id, location
        id, quantity); its location scans with ``locations``, else its units."""
        self.env["serial.scan"].flush_model()
        self.env.cr.execute(SQL(
            """SELECT id, product_id, lot_id, location_id, quantity FROM serial_scan
                WHERE res_model = %s AND res_id = %s AND operation = %s
                  AND result = 'accepted' AND (product_id IS NULL) = %s
             ORDER BY id""",
            record._name, record.id, self._operation, locations,
        ))
        return self.env.cr.fetchall()

    @api.model
    def _units(self, record):
        Product, Lot = self.env["product.product"], self.env["stock.lot"]
        Location = self.env["stock.location"]
        return [{"scan_id": scan_id, "product": Product.browse(product_id),
                 "lot": Lot.browse(lot_id), "location": Location.browse(location_id),
                 "quantity": quantity}
                for scan_id, product_id, lot_id, location_id, quantity in self._scans(record)]

    @api.model
    def _destination(self, record):
        """(scan id, location) of the last destination scanned, else (False, empty)."""
        locations = self._scans(record, locations=True)[1:]
        if not locations:
            return False, self.env["stock.location"]
        return locations[-1][0], self.env["stock.location"].browse(locations[-1][3])

    # ------------------------------------------------------------------
    # What the screen shows
    # ------------------------------------------------------------------
    @api.model
    def _scan_state(self, record):
        if not record:
            return {"record_id": False, "step": "from", "can_scan": True,
                    "prompt": _("Scan the location to move units from."),
                    "open_transfers": self._open_transfers()}
        units = self._units(record)
        destination_scan, destination = self._destination(record)
        if record.state != "draft":
            destination = record.location_dest_id
        total = int(sum(unit["quantity"] for unit in units))
        states = dict(record._fields["state"]._description_selection(self.env))
        if record.state == "done":
            step, prompt = "done", _(
                "%(transfer)s is done: %(count)s units moved to %(destination)s. Scan the next "
                "location to move units from.", transfer=record.name, count=total,
                destination=record.location_dest_id.display_name)
        elif record.state == "cancel":
            step, prompt = "done", _("%s is cancelled. Scan the next location to move units "
                                     "from.", record.name)
        elif record.state != "draft":
            step, prompt = "to", _("%s waits for a confirmation: validate it.", record.name)
        elif destination:
            step, prompt = "to", _("Validate the move to %s, or scan another destination.",
                                   destination.display_name)
        elif units:
            step, prompt = "units", _("Scan more units, or the destination location.")
        else:
            step, prompt = "units", _("Scan the units to move from %s.",
                                      record.location_id.display_name)
        return {
            "record_id": record.id, "name": record.name, "state": record.state,
            "state_label": states[record.state], "step": step, "prompt": prompt,
            "source": record.location_id.display_name,
            "destination": destination.display_name,
            # The steps show the locations' own names (a phone has no room for the paths).
            "source_name": record.location_id.name, "destination_name": destination.name or "",
            "destination_scan_id": destination_scan,
            "can_scan": True,
            "can_undo": record.state == "draft",
            "can_validate": bool(destination and units) and record.state not in OVER_STATES,
            "can_cancel": record.state not in OVER_STATES,
            "count": total,
            "units": [{
                "scan_id": unit["scan_id"], "product": unit["product"].display_name,
                "serial": unit["lot"].name or "", "quantity": unit["quantity"],
                "location": unit["location"].display_name,
            } for unit in units[::-1][:LIST_LIMIT]],
            "recent": self._scan_recent(record),
        }

    @api.model
    def _open_transfers(self):
        """The user's transfers opened by scanning and not validated yet (to resume)."""
        self.env["serial.scan"].flush_model()
        self.env.cr.execute(SQL(
            "SELECT DISTINCT picking_id FROM serial_scan WHERE operation = %s "
            "AND picking_id IS NOT NULL", self._operation))
        return [{"id": picking.id, "name": picking.name,
                 "source": picking.location_id.display_name}
                for picking in self.env["stock.picking"].search([
                    ("id", "in", [row[0] for row in self.env.cr.fetchall()]),
                    ("state", "not in", OVER_STATES), ("user_id", "=", self.env.uid)],
                    order="id desc", limit=20)]

    # ------------------------------------------------------------------
    # The screen's actions: validate, undo a unit, cancel
    # ------------------------------------------------------------------
    @api.model
    def _scan_apply(self, record):
        return self._scan_action_validate(record)

    @api.model
    def _scan_action_validate(self, record):
        """Move the scanned units to the scanned destination and validate the transfer."""
        self._check_chosen(record)
        if record.state in OVER_STATES:
            self._check_open(record)
        if record.state == "draft":
            self._prepare_moves(record)
        result = record.with_context(
            picking_ids_not_to_backorder=record.ids, skip_backorder=True).button_validate()
        if record.state in OVER_STATES:
            self.env["serial.scan"]._release(record)
        state = self._scan_state(record)
        return dict(state, client_action=result) if isinstance(result, dict) else state

    @api.model
    def _prepare_moves(self, record):
        """Check every unit again (it may have been recalled, reserved or moved since it was
        scanned), then add their moves to the transfer, confirmed and reserved."""
        _scan, destination = self._destination(record)
        units = self._units(record)
        if not destination or not units:
            raise UserError(_("Scan the units, then the destination location."))
        errors, lines, untracked = [], defaultdict(dict), defaultdict(float)
        for unit in units:
            product, lot = unit["product"], unit["lot"]
            if lot:
                try:
                    lines[product][lot] = self._check_serial(record, lot, lot.name, product,
                                                             held_here=True)
                except UserError as error:
                    errors.append(str(error))
            else:
                untracked[product] += unit["quantity"]
        for product, quantity in untracked.items():
            try:
                self._rules()._check_available(
                    product, self.env["stock.lot"], record.location_id, quantity)
            except UserError as error:
                errors.append(str(error))
        if errors:
            raise UserError(_("%(transfer)s cannot be validated:\n%(errors)s",
                              transfer=record.name, errors="\n".join(errors)))
        record.location_dest_id = destination
        self._rules()._take_units(record, lines, untracked)

    @api.model
    def _scan_action_undo(self, record, scan_id=None):
        """Take one scanned unit out of the transfer: its scan stays in the log, cleared."""
        self._check_open(record)
        if scan_id not in [row[0] for row in self._scans(record)]:
            raise UserError(_("Scan %s is not a unit of this transfer.", self._preview(scan_id)))
        self.env["serial.scan"].sudo().browse(scan_id).write({"result": "cleared",
                                                              "open": False})
        return self._scan_state(record)

    @api.model
    def _scan_action_cancel(self, record):
        self._check_chosen(record)
        if record.state in OVER_STATES:
            self._check_open(record)
        record.action_cancel()
        self.env["serial.scan"]._release(record)
        return self._scan_state(record)
