from datetime import datetime, time

import psycopg2
import pytz

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, format_list, mute_logger

from odoo.addons.serial_inventory.lib import serial_name

OPEN_STATES = ("confirmed", "assigned")
# Where a received unit may come from: its quant there is not stock (a vendor's, or the
# inventory loss of a unit found again).
RECEIVABLE_FROM = ("supplier", "inventory")
# stock.lot's unique serial key: a concurrent receipt created the same new serial first.
SERIAL_UNIQUE_CONSTRAINT = "stock_lot_serial_unique_key_uniq"


class SerialScanReceiveUnit(models.AbstractModel):
    """One scanned unit of a receipt (the Receive operation inherits this): whether the serial
    may be received there, and its move line, as Odoo's own receipt form would make it.

    A known serial is refused when it is in stock, on another open transfer, held by another
    receipt's scan or another company's. A new one (a vendor's GS1 code) is refused when the
    operation type creates no lots, its name breaks the naming rule or its check character,
    or another product holds it within the serial uniqueness scope.
    """

    _name = "serial.scan.receive.unit"
    _description = "Receiving a scanned unit"

    @api.model
    def _check_known_serial(self, record, lot):
        if lot.company_id and lot.company_id != record.company_id:
            raise UserError(_("Serial %s belongs to another company.", lot.name))
        self._check_not_located(lot)
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
    def _check_not_located(self, lot):
        """Refuse a serial that is somewhere already: a unit comes in from a vendor (or was
        lost in an inventory adjustment); one at a customer comes back through Return. Every
        company's quants count (a serial of a shared product can be anywhere), but only the
        user's companies' locations are named."""
        quants = lot.sudo().quant_ids.filtered(
            lambda quant: quant.quantity > 0
            and quant.location_id.usage not in RECEIVABLE_FROM)
        if not quants:
            return
        if "customer" in quants.location_id.mapped("usage"):
            raise UserError(_("Serial %s was delivered to a customer: return it with Return "
                              "instead.", lot.name))
        visible = self.env["serial.scan"]._visible_to_user
        if any(visible(location) for location in quants.location_id):
            names = format_list(self.env, [location.display_name
                                           for location in quants.location_id
                                           if visible(location)])
        else:
            names = False
        if all(usage in ("internal", "transit") for usage in quants.location_id.mapped("usage")):
            if names:
                raise UserError(_("Serial %(serial)s is already in stock at %(location)s: it "
                                  "cannot be received again.", serial=lot.name,
                                  location=names))
            raise UserError(_("Serial %s is already in stock (another company's): it cannot "
                              "be received again.", lot.name))
        if names:
            raise UserError(_("Serial %(serial)s is at %(location)s: it cannot be received "
                              "again.", serial=lot.name, location=names))
        raise UserError(_("Serial %s is at another company's location: it cannot be "
                          "received again.", lot.name))

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
                # Formatted outside _(): its term extractor evaluates f-strings.
                demand = f"{sum(moves.mapped('product_uom_qty')):g}"
                raise UserError(_("%(receipt)s asks for %(demand)s %(product)s, all received: "
                                  "%(type)s takes no extra units.", receipt=record.name,
                                  demand=demand,
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
    def _create_serial_or_refuse(self, record, product, resolved, stored):
        """The serial of a vendor's code; none when a concurrent receipt created it first
        (the unique key makes this transaction wait for that one, then refuse): the accepted
        scan ``stored`` is then logged and answered refused, and nothing is received."""
        try:
            # An expected race: not an error in the server's log.
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                return self._create_serial(record, product, resolved)
        except psycopg2.errors.UniqueViolation as error:
            if error.diag.constraint_name != SERIAL_UNIQUE_CONSTRAINT:
                raise
        message = self._received_elsewhere_message(record, product, resolved["lot_name"])
        refused = {"result": "refused", "message": message, "open": False, "hold": False,
                   "quantity": 0.0}
        self.env["serial.scan"].sudo().browse(stored["id"]).write(refused)
        # The core answers the scan from its stored values.
        stored.update(refused)
        return self.env["stock.lot"]

    @api.model
    def _received_elsewhere_message(self, record, product, lot_name):
        naming = self.env["serial.lot.naming"]
        name = naming._clean(lot_name, naming._max_length(record.company_id))
        key = self.env["stock.lot"]._serial_unique_key(record.company_id, product, name)
        # Committed after this transaction's snapshot: read through a fresh cursor.
        with self.env.registry.cursor() as fresh_cr:
            fresh_cr.execute(SQL(
                """SELECT picking.name, picking.company_id
                     FROM stock_lot lot
                     JOIN stock_move_line line ON line.lot_id = lot.id
                     JOIN stock_picking picking ON picking.id = line.picking_id
                    WHERE lot.serial_unique_key = %s
                 ORDER BY line.id DESC LIMIT 1""", key))
            row = fresh_cr.fetchone()
        if row and (not row[1] or row[1] in self.env.user.company_ids.ids):
            return _("Serial %(serial)s was received on another receipt (%(other)s) at the "
                     "same moment.", serial=name, other=row[0])
        return _("Serial %s was received on another receipt at the same moment.", name)

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

