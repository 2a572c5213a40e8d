from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_list

from .serial_scan_receive_unit import OPEN_STATES

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
    _inherit = ["serial.scan.operation", "serial.scan.receive.unit"]
    _description = "Receive"
    _operation = "receive"
    _scan_model = "stock.picking"
    _hold = "receive"
    _sequence = 20
    _icon = "fa-download"
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
        if not product:
            raise UserError(_("Code %s names no product: scan a code with the product's "
                              "GTIN (01), or the unit's label.", resolved["code"]))
        if product.tracking != "serial":
            raise UserError(_("%s is not tracked by serial: receive it in Odoo's receipt "
                              "form.", product.display_name))
        if kind != "serial":
            raise UserError(_("Scan the serial of each unit of %s (its label or the vendor's "
                              "GS1 code), not its product code.", product.display_name))
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
            lot = self._create_serial_or_refuse(record, product, resolved, stored)
            if not lot:
                return
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

    # ------------------------------------------------------------------
    # The screen's buttons
    # ------------------------------------------------------------------
    @api.model
    def _scan_action_print_labels(self, record, move_id=False):
        """Number the units of the receipt (or of its move ``move_id``) that have no serial,
        with their products' patterns, and print their labels in the default label format.
        Products without a pattern are left to their vendors' labels. The new lines are not
        received until their labels are scanned (or Odoo validates a receipt on which nothing
        was scanned: all of it)."""
        if not record:
            raise UserError(_("Choose a receipt first."))
        self._check_open(record)
        moves = record.move_ids.filtered(lambda move: move.has_tracking == "serial")
        move_id = self._clean_record_id(move_id)
        if move_id:
            moves = moves.filtered(lambda move: move.id == move_id)
            if not moves:
                raise UserError(_("%(receipt)s has no serial line %(move)s.",
                                  receipt=record.name, move=self._preview(move_id)))
        label_format = self.env["serial.label.format"]._get_default_format()
        if not label_format:
            raise UserError(_("There is no label format: create one in Inventory > "
                              "Configuration > Label Formats."))
        printable = moves.filtered(self._printable)
        unpatterned = moves.filtered(lambda move: not move.product_id._get_serial_pattern()
                                     and self._unlabelled(move))
        if unpatterned and not printable:
            raise UserError(_("%s has no serial pattern to number its units: give it one, or "
                              "scan the vendor's labels.", format_list(
                                  self.env, unpatterned.product_id.mapped("display_name"))))
        lots = printable._serial_fill_from_pattern()
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
    def _printable(self, move):
        """Units of ``move`` that Print labels numbers: those without a serial, when the
        product has a pattern."""
        return self._unlabelled(move) if move.product_id._get_serial_pattern() else 0

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
            picked = move.move_line_ids.filtered("picked").sorted(
                lambda line: (line.write_date, line.id), reverse=True)
            lines.append({
                "move_id": move.id, "product": move.product_id.display_name,
                "tracking": move.has_tracking,
                "demand": move.product_uom_qty, "done": sum(picked.mapped("quantity")),
                "uom": move.product_uom.name,
                "serials": [line.lot_id.name for line in picked if line.lot_id][
                    :LISTED_SERIALS],
                "unlabelled": self._unlabelled(move) if move.has_tracking == "serial" else 0,
                "printable": self._printable(move) if move.has_tracking == "serial" else 0,
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
            "to_label": sum(line["printable"] for line in lines) if open_ else 0,
            "backorders": record.backorder_ids.mapped("name"),
            "recent": self._scan_recent(record),
        }

    @api.model
    def _format_date(self, value):
        if not value:
            return ""
        return fields.Datetime.to_string(fields.Datetime.context_timestamp(self, value))[:16]
