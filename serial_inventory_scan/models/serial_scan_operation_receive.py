from datetime import datetime, time

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, format_list

from odoo.addons.serial_inventory.lib import serial_name

OPEN_STATES = ("confirmed", "assigned")
# The receipts the screen lists to tap, the serials it shows per line.
LISTED_RECEIPTS = 30
LISTED_SERIALS = 20


class SerialScanOperationReceive(models.AbstractModel):
    """Receive: scan each unit of a receipt; print labels for units that have none; validate.

    A scan gives the unit its line at once (Odoo's barcode way: a move line with the serial,
    quantity 1, picked), so that Odoo's validation afterwards moves the scanned units and
    offers its backorder for the others. What a scan may be:

    - a receipt's reference (opens it), or the destination location (the units go there);
    - a pre-printed label: a serial generated ahead (no stock, on no other open transfer)
      goes to the next unit of its product; one already numbered on this receipt (Print
      labels) is marked received;
    - a vendor's GS1 code (01)(21) with (10) batch and (17) expiry: the serial is created
      with that batch (found or created for the receipt's company) and expiry, when the
      operation type creates lots (``use_create_lots``). A known serial gets the batch or
      expiry it lacks.

    A serial name alone that names no serial names no product either: the resolver refuses
    it (no unit is created from a guess); a unit without a label gets one from Print labels.
    """

    _name = "serial.scan.operation.receive"
    _inherit = "serial.scan.operation"
    _description = "Receive"
    _operation = "receive"
    _scan_model = "stock.picking"
    _hold = "receive"
    _sequence = 20
    _icon = "fa-truck"
    _scan_actions = ("print_labels", "validate")

    # ------------------------------------------------------------------
    # The receipt
    # ------------------------------------------------------------------
    @api.model
    def _scan_record(self, record_id):
        record = super()._scan_record(record_id)
        if record:
            self._check_receipt(record)
        return record

    @api.model
    def _check_receipt(self, picking):
        if picking.picking_type_code != "incoming":
            raise UserError(_("%s is not a receipt.", picking.name))
        picking.check_access("write")

    @api.model
    def _check_open(self, picking):
        if picking.state not in OPEN_STATES:
            states = dict(picking._fields["state"]._description_selection(self.env))
            raise UserError(_("Receipt %(receipt)s is %(state)s: nothing more is received on "
                              "it.", receipt=picking.name, state=states[picking.state].lower()))

    @api.model
    def _open_receipts(self, product=None):
        domain = [("picking_type_code", "=", "incoming"), ("state", "in", OPEN_STATES),
                  ("company_id", "in", self.env.companies.ids)]
        if product:
            domain.append(("move_ids.product_id", "=", product.id))
        return self.env["stock.picking"].search(domain, order="scheduled_date, id",
                                                limit=LISTED_RECEIPTS)

    @api.model
    def _scan_expect(self, record):
        return ("picking", "location", "serial", "lot", "product") if record else (
            "picking", "serial", "lot", "product")

    @api.model
    def _scan_target(self, record, resolved):
        """A receipt's reference opens it; without a receipt, a unit opens the open receipt
        it is numbered on, else the only open receipt of its product."""
        if resolved["kind"] == "picking":
            picking = resolved["picking"]
            self._check_receipt(picking)
            self._check_open(picking)
            return picking
        if record or resolved["kind"] == "location":
            return record
        lot, product = resolved["lot"], resolved["product"]
        if lot:
            numbered = self.env["stock.move.line"].search(
                [("lot_id", "=", lot.id), ("picking_code", "=", "incoming"),
                 ("state", "not in", ("done", "cancel"))], limit=1).picking_id
            if numbered:
                self._check_receipt(numbered)
                return numbered
        receipts = self._open_receipts(product)
        if not receipts:
            raise UserError(_("No open receipt receives %s.", product.display_name))
        if len(receipts) > 1:
            raise UserError(_("%(product)s is on several open receipts (%(receipts)s): tap "
                              "one or scan its reference.", product=product.display_name,
                              receipts=format_list(self.env, receipts[:5].mapped("name"))))
        return receipts

    # ------------------------------------------------------------------
    # A scan
    # ------------------------------------------------------------------
    @api.model
    def _scan_evaluate(self, record, resolved):
        """Check the scan, reading only; ``_scan_accepted`` gives the unit its line once the
        scan is stored (a serial another transaction holds first is refused there)."""
        self._check_open(record)
        kind = resolved["kind"]
        if kind == "picking":
            return {"message": _("Receiving %s.", record.name)}
        if kind == "location":
            return self._evaluate_location(record, resolved["location"])
        product = resolved["product"]
        if kind != "serial":
            raise UserError(_("Scan the serial of each unit of %s (its label or the vendor's "
                              "GS1 code), not its product or lot code.", product.display_name))
        destination = self._destination(record, required=True)
        lot = resolved["lot"]
        if lot:
            self._check_known_serial(record, lot)
            name = lot.name
        else:
            name = self._check_new_serial(record, product, resolved["lot_name"])
        self._line_for(record, product, name)
        values = {"message": _("%(serial)s received (%(product)s).", serial=name,
                               product=product.display_name),
                  "product_id": product.id, "location_id": destination.id, "quantity": 1.0}
        if lot:
            # A new serial is held once created (_scan_accepted).
            values.update(lot_id=lot.id, open=True, hold=self._hold)
        return values

    @api.model
    def _scan_accepted(self, record, stored):
        """The accepted unit on its line: the serial created first for a vendor's code (and
        then held by its scan), its batch and expiry completed from the code."""
        if not stored["product_id"]:
            return
        resolved = self.env["serial.code.resolver"]._resolve_any(
            stored["code"], expect=("serial",))
        product = self.env["product.product"].browse(stored["product_id"])
        lot = resolved["lot"]
        if lot:
            self._complete_serial(record, lot, resolved)
        else:
            lot = self._create_serial(record, product, resolved)
            self.env["serial.scan"].sudo().browse(stored["id"]).write(
                {"lot_id": lot.id, "open": True, "hold": self._hold})
        line = self._line_for(record, product, lot.name)
        destination = self.env["stock.location"].browse(stored["location_id"])
        self._receive_unit(record, product, lot, line, destination)

    @api.model
    def _evaluate_location(self, record, location):
        top = record.location_dest_id
        if location.usage != "internal" or not location.parent_path.startswith(top.parent_path):
            raise UserError(_("%(location)s is not in %(destination)s, where %(receipt)s "
                              "goes.", location=location.display_name,
                              destination=top.display_name, receipt=record.name))
        return {"message": _("Units now go to %s.", location.display_name),
                "location_id": location.id}

    @api.model
    def _destination(self, record, required=False):
        """Where the units go: the last location scanned for the receipt, else its own."""
        self.env["serial.scan"].flush_model()
        self.env.cr.execute(SQL(
            """SELECT location_id FROM serial_scan
                WHERE res_model = %s AND res_id = %s AND operation = %s AND result = 'accepted'
                  AND lot_id IS NULL AND location_id IS NOT NULL
             ORDER BY id DESC LIMIT 1""", record._name, record.id, self._operation))
        row = self.env.cr.fetchone()
        if row:
            return self.env["stock.location"].browse(row[0])
        if required and self._scan_rules(record)["require_location"]:
            raise UserError(_("Scan the location the units go to (in %s) before the units.",
                              record.location_dest_id.display_name))
        return record.location_dest_id

    @api.model
    def _check_known_serial(self, record, lot):
        if lot.company_id and lot.company_id != record.company_id:
            raise UserError(_("Serial %s belongs to another company.", lot.name))
        quants = lot.quant_ids.filtered(lambda quant: quant.quantity > 0 and
                                        quant.location_id.usage in ("internal", "transit"))
        if quants:
            raise UserError(_("Serial %(serial)s is already in stock at %(location)s: it "
                              "cannot be received again.", serial=lot.name,
                              location=format_list(self.env, quants.location_id.mapped(
                                  "display_name"))))
        elsewhere = self.env["stock.move.line"].sudo().search(
            [("lot_id", "=", lot.id), ("state", "not in", ("done", "cancel")),
             ("picking_id", "!=", record.id)], limit=1).picking_id
        if elsewhere:
            if self.env["serial.scan"]._visible_to_user(elsewhere):
                raise UserError(_("Serial %(serial)s is on %(other)s, another open transfer.",
                                  serial=lot.name, other=elsewhere.name))
            raise UserError(_("Serial %s is on another open transfer.", lot.name))
        scans = self.env["serial.scan"]
        holder = scans._holder(self.env.cr, lot.id, self._hold)
        if holder and not self._holds(holder, lot):
            # Received or cancelled since, or the line was removed in Odoo's form.
            scans.sudo().search([("lot_id", "=", lot.id), ("hold", "=", self._hold),
                                 ("open", "=", True)]).write({"open": False})
        elif holder:
            raise UserError(self._scan_held_message(record, lot, holder))

    @api.model
    def _holds(self, holder, lot):
        """Whether ``holder``'s open scan of ``lot`` still stands: an open receipt with the
        serial on a picked line."""
        holder = holder.sudo()
        return holder._name == "stock.picking" and holder.state in OPEN_STATES and bool(
            holder.move_line_ids.filtered(lambda line: line.lot_id == lot and line.picked))

    @api.model
    def _check_new_serial(self, record, product, name):
        if product.tracking != "serial":
            raise UserError(_("%s is not tracked by serial: receive it in Odoo's form.",
                              product.display_name))
        if not record.picking_type_id.use_create_lots:
            raise UserError(_("Serial %(serial)s of %(product)s is not known, and %(type)s "
                              "does not create serials.", serial=name,
                              product=product.display_name,
                              type=record.picking_type_id.display_name))
        naming = self.env["serial.lot.naming"]
        name = naming._clean(name, naming._max_length(record.company_id))
        pattern = product._get_serial_pattern()
        if pattern:
            pattern._validate_serial(name)
        Lot = self.env["stock.lot"]
        key = Lot._serial_unique_key(record.company_id, product, name)
        clash = Lot.sudo().search([("serial_unique_key", "=", key)], limit=1)
        if clash:
            raise UserError(_("Serial %(serial)s already belongs to %(product)s.",
                              serial=clash.name, product=clash.product_id.display_name))
        return name

    @api.model
    def _line_for(self, record, product, name):
        """The move line the unit takes: the one numbered with it, else the next unit of its
        product without a serial; an empty one for a unit beyond the demand (refused when
        the operation type allows no extra units)."""
        lines = record.move_line_ids.filtered(lambda line: line.product_id == product)
        key = serial_name.loose_key(name)
        numbered = lines.filtered(lambda line: (line.lot_id.name or line.lot_name) and
                                  serial_name.loose_key(line.lot_id.name or line.lot_name) == key)
        if numbered:
            return numbered[0]
        blank = lines.filtered(lambda line: not line.lot_id and not line.lot_name
                               and not line.picked)
        if blank:
            return blank[0]
        moves = record.move_ids.filtered(lambda move: move.product_id == product
                                         and move.state not in ("done", "cancel"))
        short = moves.filtered(lambda move: float_compare(
            move.quantity, move.product_uom_qty, precision_rounding=move.product_uom.rounding) < 0)
        if not short and not self._scan_rules(record)["allow_extra"]:
            if moves:
                raise UserError(_("%(receipt)s asks for %(demand)s %(product)s, all received: "
                                  "%(type)s takes no extra units.", receipt=record.name,
                                  demand=f"{sum(moves.mapped('product_uom_qty')):g}",
                                  product=product.display_name,
                                  type=record.picking_type_id.display_name))
            raise UserError(_("%(receipt)s does not receive %(product)s, and %(type)s takes no "
                              "extra units.", receipt=record.name, product=product.display_name,
                              type=record.picking_type_id.display_name))
        return self.env["stock.move.line"]

    @api.model
    def _create_serial(self, record, product, resolved):
        """The serial of a vendor's code, through the naming rule and the registry queue
        (stock.lot._serial_bulk_create), in the receipt's company."""
        Lot = self.env["stock.lot"]
        # The company in the values too, as the receipt numbering gives it: the batch's
        # company check reads it there.
        values = {"company_id": record.company_id.id,
                  **self._unit_values(record, product, resolved, Lot)}
        return Lot._serial_bulk_create(product, [resolved["lot_name"]], values,
                                       company=record.company_id)

    @api.model
    def _complete_serial(self, record, lot, resolved):
        """A known serial takes the batch and expiry of its GS1 code that it lacks (the
        resolver refused a code contradicting them)."""
        values = self._unit_values(record, lot.product_id, resolved, lot)
        if values:
            lot.write(values)

    @api.model
    def _unit_values(self, record, product, resolved, lot):
        values = {}
        batch = False
        if resolved["batch_name"] and not lot.serial_batch_id:
            batch = self._batch(record, product, resolved["batch_name"])
            values["serial_batch_id"] = batch.id
        expiry = resolved["expiration_date"]
        if expiry and not (lot and lot.expiration_date):
            values["expiration_date"] = self._expiry_datetime(expiry)
        elif batch and batch.expiration_date and not lot.expiration_date:
            values["expiration_date"] = batch.expiration_date
        return values

    @api.model
    def _batch(self, record, product, name):
        Batch = self.env["serial.batch"]
        batch = Batch.search([("name", "=", name.strip()),
                              ("company_id", "=", record.company_id.id)], limit=1)
        if batch:
            return batch
        supplier = record.partner_id.commercial_partner_id \
            if record.location_id.usage == "supplier" else False
        return Batch.create({"name": name, "company_id": record.company_id.id,
                             "product_id": product.id, "supplier_id": supplier and supplier.id})

    @api.model
    def _expiry_datetime(self, day):
        """The expiry of a GS1 date: noon of that day in the user's time zone (labels and the
        resolver read the user's date; noon keeps it that day in UTC too), stored in UTC."""
        zone = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        local = zone.localize(datetime.combine(day, time(12, 0)))
        return local.astimezone(pytz.UTC).replace(tzinfo=None)

    @api.model
    def _receive_unit(self, record, product, lot, line, destination):
        """The unit on ``line`` (Odoo's blank line of one unit, or the one numbered with it),
        else on a new line of its move (Odoo links it, or adds a move for a product the
        receipt does not list)."""
        values = {"lot_id": lot.id, "lot_name": False, "quantity": 1, "picked": True,
                  "location_dest_id": destination.id}
        if line and line.quantity > 1:
            line.quantity -= 1
            line = self.env["stock.move.line"]
        if line:
            line.write(values)
            return line
        move = record.move_ids.filtered(
            lambda move: move.product_id == product and move.state not in ("done", "cancel"))[:1]
        if move:
            values = {**move._prepare_move_line_vals(quantity=1), **values}
        else:
            values.update(picking_id=record.id, product_id=product.id,
                          product_uom_id=product.uom_id.id, location_id=record.location_id.id)
        return self.env["stock.move.line"].create(values)

    # ------------------------------------------------------------------
    # The screen's buttons
    # ------------------------------------------------------------------
    @api.model
    def _scan_action_print_labels(self, record, move_id=False):
        """Number the units of the receipt (or of its move ``move_id``) that have no serial,
        with their products' patterns, and print their labels in the default label format.
        The new lines are not received until their labels are scanned (or Odoo validates a
        receipt on which nothing was scanned: all of it)."""
        if not record:
            raise UserError(_("Choose a receipt first."))
        self._check_open(record)
        moves = record.move_ids.filtered(lambda move: move.has_tracking == "serial")
        if move_id:
            moves = moves.filtered(lambda move: move.id == move_id)
            if not moves:
                raise UserError(_("%(receipt)s has no serial line %(move)s.",
                                  receipt=record.name, move=self._preview(move_id)))
        label_format = self.env["serial.label.format"]._get_default_format()
        if not label_format:
            raise UserError(_("There is no label format: create one in Inventory > "
                              "Configuration > Label Formats."))
        unpatterned = moves.filtered(lambda move: not move.product_id._get_serial_pattern()
                                     and self._unlabelled(move))
        if unpatterned:
            raise UserError(_("%s has no serial pattern to number its units: give it one, or "
                              "scan the vendor's labels.", format_list(
                                  self.env, unpatterned.product_id.mapped("display_name"))))
        lots = moves._serial_fill_from_pattern()
        if not lots:
            raise UserError(_("Every unit of %s already has a serial.", record.name))
        record.move_line_ids.filtered(lambda line: line.lot_id in lots).picked = False
        return dict(self._scan_state(record),
                    client_action=label_format._action_print_lots(lots.ids))

    @api.model
    def _scan_action_validate(self, record):
        """Odoo's validation; its backorder wizard (or any other action) goes to the client."""
        if not record:
            raise UserError(_("Choose a receipt first."))
        self._check_open(record)
        result = record.button_validate()
        if record.state == "done":
            self.env["serial.scan"]._release(record)
        state = self._scan_state(record)
        return dict(state, client_action=result) if isinstance(result, dict) else state

    # ------------------------------------------------------------------
    # The screen
    # ------------------------------------------------------------------
    @api.model
    def _unlabelled(self, move):
        """Units of ``move`` without a serial."""
        numbered = move.move_line_ids.filtered(lambda line: line.lot_id or line.lot_name)
        return max(int(move.product_qty - sum(numbered.mapped("quantity"))), 0)

    @api.model
    def _scan_state(self, record):
        if not record:
            return {"record_id": False, "prompt": _("Tap a receipt, or scan its reference or a "
                                                    "unit's label."),
                    "receipts": [{"id": receipt.id, "name": receipt.name,
                                  "partner": receipt.partner_id.display_name or "",
                                  "scheduled": self._format_date(receipt.scheduled_date),
                                  "lines": len(receipt.move_ids)}
                                 for receipt in self._open_receipts()]}
        open_ = record.state in OPEN_STATES
        states = dict(record._fields["state"]._description_selection(self.env))
        lines = []
        for move in record.move_ids.filtered(lambda move: move.state != "cancel"):
            picked = move.move_line_ids.filtered("picked")
            lines.append({
                "move_id": move.id, "product": move.product_id.display_name,
                "tracking": move.has_tracking,
                "demand": move.product_uom_qty, "done": sum(picked.mapped("quantity")),
                "uom": move.product_uom.name,
                "serials": picked.lot_id.mapped("name")[-LISTED_SERIALS:][::-1],
                "unlabelled": self._unlabelled(move) if move.has_tracking == "serial" else 0,
            })
        destination = self._destination(record) if open_ else record.location_dest_id
        return {
            "record_id": record.id, "name": record.name, "state": record.state,
            "state_label": states[record.state],
            "partner": record.partner_id.display_name or "",
            "origin": record.origin or "", "destination": destination.display_name,
            "can_scan": open_, "can_validate": open_,
            "prompt": _("Scan each unit's label (into %s).", destination.display_name)
            if open_ else _("Receipt %(receipt)s is %(state)s.", receipt=record.name,
                            state=states[record.state].lower()),
            "lines": lines,
            "to_label": sum(line["unlabelled"] for line in lines) if open_ else 0,
            "backorders": record.backorder_ids.mapped("name"),
            "recent": self._scan_recent(record),
        }

    @api.model
    def _format_date(self, value):
        if not value:
            return ""
        return fields.Datetime.to_string(fields.Datetime.context_timestamp(self, value))[:16]
