from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare
from odoo.tools.misc import format_amount

from odoo.addons.serial_inventory.lib import untrusted_text

from ..lib.scan_input import format_quantity

# A quotation takes units while it is a quotation; confirmed or cancelled, it is over.
OPEN_STATES = ("draft", "sent")
# The customer search of the screen: a few words typed on a phone.
MAX_QUERY_LENGTH = 64
LIST_LIMIT = 8


class SerialScanOperationOrder(models.AbstractModel):
    """Order: choose the customer, then scan units; each one is a line of the quotation (or
    one more on its product's line), its serial kept on the line so that the delivery
    reserves exactly the scanned serials when the order is confirmed (the path of scan to
    order: ``sale.order.line.serial_lot_ids``, reserved by ``_action_confirm``)."""

    _name = "serial.scan.operation.order"
    _inherit = "serial.scan.operation"
    _description = "Order"
    _operation = "order"
    _scan_model = "sale.order"
    # Two clerks cannot put the same unit on two quotations.
    _hold = "order"
    _sequence = 50
    _icon = "fa-shopping-cart"
    _scan_actions = ("customers", "new", "confirm", "open")

    # ------------------------------------------------------------------
    # Scans
    # ------------------------------------------------------------------
    @api.model
    def _scan_evaluate(self, record, resolved):
        self._check_open(record)
        product, lot = resolved["product"], resolved["lot"]
        if resolved["lot_name"] and not lot:
            raise UserError(_("Serial %(serial)s of %(product)s is not known: it cannot be "
                              "sold.", serial=resolved["lot_name"],
                              product=product.display_name or _("an unknown product")))
        if not product.sale_ok:
            raise UserError(_("%s is not sold: it cannot go on a quotation.",
                              product.display_name))
        if (lot.company_id | product.company_id) - record.company_id:
            raise UserError(_("%s belongs to another company than this quotation.",
                              lot.name or product.display_name))
        location = record.warehouse_id.lot_stock_id
        line = self._product_line(record, product)
        quantity = (line.product_uom_qty if line else 0.0) + 1
        Picking = self.env["stock.picking"]
        if lot:
            if product.tracking == "serial":
                self._check_not_held(record, lot)
                Picking._serial_check_not_reserved(lot)
            Picking._serial_dispatch_check_lot(lot)
            Picking._serial_check_in_stock(lot, location)
        elif product.tracking != "none":
            raise UserError(_("%s is tracked: scan the serial or lot of each unit, not the "
                              "product barcode.", product.display_name))
        elif product.is_storable:
            self._check_available(product, location, quantity)
        if lot and product.tracking == "serial":
            message = _("%(product)s: serial %(serial)s added (%(quantity)s on the quotation).",
                        product=product.display_name, serial=lot.name,
                        quantity=format_quantity(quantity))
        else:
            message = _("%(product)s: one unit added (%(quantity)s on the quotation).",
                        product=product.display_name, quantity=format_quantity(quantity))
        serial = product.tracking == "serial"
        return {"message": message, "product_id": product.id, "lot_id": lot.id,
                "location_id": location.id, "quantity": 1.0, "open": serial,
                "hold": self._hold if serial else False}

    @api.model
    def _scan_accepted(self, record, stored):
        """One more unit on the quotation: its product's line, or a new line."""
        product = self.env["product.product"].browse(stored["product_id"])
        line = self._product_line(record, product)
        serials = [(4, stored["lot_id"])] if stored["lot_id"] and \
            product.tracking == "serial" else []
        if line:
            line.write({"product_uom_qty": line.product_uom_qty + stored["quantity"],
                        "serial_lot_ids": serials})
        else:
            self.env["sale.order.line"].create({
                "order_id": record.id, "product_id": product.id,
                "product_uom_qty": stored["quantity"], "serial_lot_ids": serials})

    @api.model
    def _check_open(self, record):
        if not record:
            raise UserError(_("Choose the customer first: the scanned units go on their "
                              "quotation."))
        if record.state not in OPEN_STATES:
            raise UserError(self._closed_message(record))

    @api.model
    def _closed_message(self, record):
        if record.state == "cancel":
            return _("%s is cancelled: it takes no more units.", record.name)
        return _("%s is confirmed: it takes no more units.", record.name)

    @api.model
    def _check_not_held(self, record, lot):
        """Refuse a serial an open scan holds: on this quotation (scanned twice), on another
        quotation, or on a delivery being dispatched. A hold left by a quotation deleted (or
        over) since is released on the way."""
        scans = self.env["serial.scan"]
        holder = scans._holder(self.env.cr, lot.id, self._hold)
        if holder and (not holder.sudo().exists() or holder.sudo().state not in OPEN_STATES):
            scans.sudo().search([("lot_id", "=", lot.id), ("hold", "=", self._hold),
                                 ("open", "=", True)]).write({"open": False})
            holder = None
        if holder:
            raise UserError(self._scan_held_message(record, lot, holder))
        dispatching = self.env["stock.picking"]._serial_dispatch_lot_holder(self.env.cr, lot.id)
        if dispatching:
            raise UserError(_("Serial %(serial)s is being dispatched with %(picking)s.",
                              serial=lot.name, picking=dispatching[1]))

    @api.model
    def _check_available(self, product, location, wanted):
        """An untracked unit is taken from the warehouse's stock: no more than it holds."""
        available = self.env["stock.quant"]._get_available_quantity(product, location)
        if float_compare(available, wanted, precision_rounding=product.uom_id.rounding) < 0:
            raise UserError(_("Only %(available)s %(product)s available at %(location)s: "
                              "this unit would be number %(wanted)s.",
                              available=format_quantity(available),
                              product=product.display_name, location=location.display_name,
                              wanted=format_quantity(wanted)))

    @api.model
    def _product_line(self, record, product):
        return record.order_line.filtered(
            lambda line: line.product_id == product and not line.display_type)[:1]

    @api.model
    def _scan_held_message(self, record, lot, holder):
        if holder == record:
            return _("Serial %(serial)s is already on %(order)s: it counts once.",
                     serial=lot.name, order=record.name)
        if not self.env["serial.scan"]._visible_to_user(holder.sudo()):
            return _("Serial %s is already scanned elsewhere.", lot.name)
        if holder._name != "sale.order":  # another operation's scan (a transfer, a receipt)
            return _("Serial %(serial)s is being scanned for %(holder)s.", serial=lot.name,
                     holder=holder.sudo().display_name)
        return _("Serial %(serial)s is already on quotation %(order)s.", serial=lot.name,
                 order=holder.sudo().display_name)

    # ------------------------------------------------------------------
    # The screen's buttons
    # ------------------------------------------------------------------
    @api.model
    def _scan_action_customers(self, record, query=""):
        """The customers whose name matches ``query`` (the screen's search)."""
        if not isinstance(query, str):
            raise UserError(_("The customer search must be text, not %s.", self._preview(query)))
        query = query.strip()
        problem = untrusted_text.serial_query_problem(query, MAX_QUERY_LENGTH)
        if problem and problem.code == "too_long":
            raise UserError(_("The customer search is too long (at most %s characters).",
                              MAX_QUERY_LENGTH))
        if problem:
            raise UserError(_("The customer search contains the control character %s.",
                              problem.part))
        partners = self.env["res.partner"].search(
            self._customer_domain() + ([("name", "ilike", query)] if query else []),
            limit=LIST_LIMIT, order="customer_rank desc, name")
        return dict(self._scan_state(record), customers=self._partner_rows(partners))

    @api.model
    def _scan_action_new(self, record, partner_id=False):
        """A new draft quotation for the customer ``partner_id``: the next scans fill it."""
        partner_id = self._clean_record_id(partner_id)
        partner = self.env["res.partner"].browse(partner_id).exists()
        if not partner:
            raise UserError(_("Choose the customer of the new quotation."))
        partner.check_access("read")
        if partner.company_id not in (self.env.company, self.env["res.company"]):
            raise UserError(_("%(customer)s is a customer of another company: quotations "
                              "made here are for %(company)s.", customer=partner.display_name,
                              company=self.env.company.name))
        order = self.env["sale.order"].create({
            "partner_id": partner.id, "origin": self._origin(),
            "warehouse_id": self.env.user._get_default_warehouse_id().id,
        })
        return self._scan_state(order)

    @api.model
    def _scan_action_confirm(self, record):
        """Confirm the order: its delivery reserves the scanned serials, the scans release
        them (sale.order._action_confirm)."""
        self._check_open(record)
        if not record.order_line:
            raise UserError(_("%s has no line yet: scan the units first.", record.name))
        record.action_confirm()
        return self._scan_state(record)

    @api.model
    def _scan_action_open(self, record):
        if not record:
            raise UserError(_("There is no quotation to open yet."))
        return dict(self._scan_state(record), client_action={
            "type": "ir.actions.act_window", "res_model": "sale.order", "res_id": record.id,
            "views": [[False, "form"]], "target": "current"})

    # ------------------------------------------------------------------
    # What the screen shows
    # ------------------------------------------------------------------
    @api.model
    def _origin(self):
        return _("Inventory Scanner")

    @api.model
    def _scan_state(self, record):
        if not record:
            return {"record_id": False, "can_scan": False,
                    "prompt": _("Choose the customer, or resume a quotation."),
                    "customers": self._partner_rows(self._recent_customers()),
                    "open_orders": self._open_orders()}
        open_ = record.state in OPEN_STATES
        currency = record.currency_id
        lines = record.order_line.filtered(lambda line: not line.display_type)
        return {
            "record_id": record.id,
            "name": record.name,
            "customer": record.partner_id.display_name,
            "state": record.state,
            "state_label": dict(record._fields["state"]._description_selection(self.env))[
                record.state],
            "can_scan": open_,
            "can_confirm": open_ and bool(lines),
            "prompt": _("Scan the units for %s.", record.partner_id.display_name) if open_
            else self._closed_message(record),
            # Taxes included, as the total: the lines add up to it.
            "lines": [{"id": line.id, "product": line.product_id.display_name,
                       "quantity": format_quantity(line.product_uom_qty),
                       "serials": line.serial_lot_ids.mapped("name"),
                       "subtotal": format_amount(self.env, line.price_total, currency)}
                      for line in lines],
            "total": format_amount(self.env, record.amount_total, currency),
            "deliveries": [{"name": picking.name,
                            "serials": picking.move_line_ids.lot_id.mapped("name")}
                           for picking in record.picking_ids],
            "recent": self._scan_recent(record),
        }

    @api.model
    def _partner_rows(self, partners):
        return [{"id": partner.id, "name": partner.display_name,
                 "city": partner.city or ""} for partner in partners]

    @api.model
    def _recent_customers(self):
        """The customers of the user's latest quotations and orders, then the best
        customers: a clerk who never sold still has someone to tap."""
        orders = self.env["sale.order"].search([("user_id", "=", self.env.uid)],
                                               order="id desc", limit=50)
        partners = orders.partner_id[:LIST_LIMIT]
        if len(partners) < LIST_LIMIT:
            partners |= self.env["res.partner"].search(
                [*self._customer_domain(), ("id", "not in", partners.ids)],
                limit=LIST_LIMIT - len(partners), order="customer_rank desc, name")
        return partners

    @api.model
    def _customer_domain(self):
        """Who is offered as a customer: not the users, nor the companies themselves."""
        companies = self.env["res.company"].sudo().search([])
        return [("user_ids", "=", False), ("id", "not in", companies.partner_id.ids)]

    @api.model
    def _open_orders(self):
        """The quotations made by the scanner that still take units: scanned, or made here
        and still empty (read by SQL: the scan log grows with every scan)."""
        self.env["serial.scan"].flush_model(["res_model", "res_id", "operation"])
        self.env["sale.order"].flush_model(["state"])
        self.env.cr.execute(SQL(
            """SELECT DISTINCT scan.res_id FROM serial_scan scan
                 JOIN sale_order sale ON sale.id = scan.res_id
                WHERE scan.res_model = 'sale.order' AND scan.operation = %s
                  AND sale.state IN %s""", self._operation, OPEN_STATES))
        scanned = [row[0] for row in self.env.cr.fetchall()]
        orders = self.env["sale.order"].search(
            [("state", "in", OPEN_STATES), "|", ("id", "in", scanned),
             ("origin", "=", self._origin())], order="id desc", limit=20)
        return [{"id": order.id, "name": order.name,
                 "customer": order.partner_id.display_name,
                 "total": format_amount(self.env, order.amount_total, order.currency_id)}
                for order in orders]
