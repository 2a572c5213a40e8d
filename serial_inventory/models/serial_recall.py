from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError


class SerialRecall(models.Model):
    """A recall of a batch or a set of serials.

    While a recall is open its units in stock are kept out of reservation and delivery
    (see stock.quant), every unit's chatter records it, and its lines say where each unit
    is now: in which stock location, or at which customer since which delivery.
    """

    _name = "serial.recall"
    _description = "Serial Recall"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        "Reference", required=True, copy=False, readonly=True, default=lambda self: _("New"))
    reason = fields.Text(required=True, tracking=True,
                         help="Why the units are recalled; sent to the central registry.")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True)
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("open", "Open"), ("closed", "Closed")],
        default="draft", required=True, readonly=True, copy=False, index=True, tracking=True)
    product_id = fields.Many2one(
        "product.product", check_company=True, domain=[("tracking", "!=", "none")],
        help="With Add serials: adds the serials of this product (of the batch, if one is set).")
    serial_batch_id = fields.Many2one(
        "serial.batch", string="Batch", check_company=True,
        help="With Add serials: adds every serial of this batch.")
    line_ids = fields.One2many("serial.recall.line", "recall_id", string="Serials", copy=True)
    date_open = fields.Datetime("Opened on", readonly=True, copy=False)
    date_closed = fields.Datetime("Closed on", readonly=True, copy=False)
    lot_count = fields.Integer("Units", compute="_compute_counts")
    in_stock_count = fields.Integer("Units in stock", compute="_compute_counts")
    delivered_count = fields.Integer("Units at customers", compute="_compute_counts")
    customer_count = fields.Integer("Customers to contact", compute="_compute_counts")

    @api.depends("line_ids")
    def _compute_counts(self):
        for recall in self:
            lines = recall.line_ids
            recall.lot_count = len(lines)
            recall.in_stock_count = len(lines.filtered("in_stock"))
            recall.delivered_count = len(lines.filtered("partner_id"))
            recall.customer_count = len(lines.partner_id)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                company = self.env["res.company"].browse(vals.get("company_id")) \
                    or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "serial.recall") or _("New")
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(recall.state != "draft" for recall in self):
            raise UserError(_("Only draft recalls can be deleted; close an open recall."))

    # ------------------------------------------------------------------
    # Selecting serials
    # ------------------------------------------------------------------
    def action_add_serials(self):
        """Add the serials of the chosen batch and/or product that are not listed yet."""
        self.ensure_one()
        self._check_draft()
        if not (self.serial_batch_id or self.product_id):
            raise UserError(_("Choose a batch or a product to add its serials."))
        # With the serials of no company (of products shared by all companies).
        domain = [("company_id", "in", [self.company_id.id, False]),
                  ("id", "not in", self.line_ids.lot_id.ids)]
        if self.serial_batch_id:
            domain.append(("serial_batch_id", "=", self.serial_batch_id.id))
        if self.product_id:
            domain.append(("product_id", "=", self.product_id.id))
        lots = self.env["stock.lot"].search(domain)
        if not lots:
            raise UserError(_("No other serial matches this batch and product."))
        self.write({"line_ids": [Command.create({"lot_id": lot_id}) for lot_id in lots.ids]})
        return True

    def _check_draft(self):
        for recall in self:
            if recall.state != "draft":
                raise UserError(_("Recall %s is no longer a draft: its serials cannot change.",
                                  recall.name))

    # ------------------------------------------------------------------
    # Opening and closing
    # ------------------------------------------------------------------
    def action_open(self):
        """Block the units at once, tell each unit's chatter, and notify the registry."""
        for recall in self:
            if recall.state != "draft":
                raise UserError(_("Recall %s is already open or closed.", recall.name))
            if not recall.line_ids:
                raise UserError(_("Recall %s has no serial to recall.", recall.name))
        self.write({"state": "open", "date_open": fields.Datetime.now()})
        for recall in self:
            lots = recall.line_ids.lot_id
            lots.filtered(lambda lot: not lot.serial_recall_id).sudo().write(
                {"serial_recall_id": recall.id})
            unreserved = recall._unreserve(lots)
            recall._log_on_lots(lots, Markup("%s") % _(
                "Recalled by %(recall)s: %(reason)s. The unit cannot be reserved or delivered "
                "until the recall is closed.", recall=recall.name, reason=recall.reason))
            summary = _("Recall opened: %(count)s serial(s) blocked.", count=len(lots))
            if unreserved:
                summary += " " + _("Unreserved from: %s",
                                   ", ".join(sorted(unreserved.mapped("name"))))
            recall.message_post(body=summary)
            self.env["serial.registry.queue"]._enqueue_recall(recall)
        return True

    def action_close(self):
        for recall in self:
            if recall.state != "open":
                raise UserError(_("Only an open recall can be closed (%s).", recall.name))
        self.write({"state": "closed", "date_closed": fields.Datetime.now()})
        for recall in self:
            lots = recall.line_ids.lot_id
            recall._release(lots)
            recall._log_on_lots(lots, Markup("%s") % _(
                "Recall %s closed: the unit may be reserved and delivered again.", recall.name))
            recall.message_post(body=_("Recall closed: %(count)s serial(s) released.",
                                       count=len(lots)))
        return True

    def _release(self, lots):
        """Unblock ``lots`` unless another open recall still holds them."""
        self.ensure_one()
        held = lots.filtered(lambda lot: lot.serial_recall_id == self)
        if not held:
            return
        others = self.env["serial.recall.line"].sudo().search([
            ("lot_id", "in", held.ids), ("recall_id.state", "=", "open"),
            ("recall_id", "!=", self.id)])
        still = {line.lot_id.id: line.recall_id.id for line in others}
        (held.filtered(lambda lot: lot.id not in still)).sudo().write(
            {"serial_recall_id": False})
        for lot in held.filtered(lambda lot: lot.id in still):
            lot.sudo().serial_recall_id = still[lot.id]

    def _unreserve(self, lots):
        """Free every reservation of ``lots`` in stock; return the pickings concerned.

        The moves are reserved again right away: Odoo's reservation (see stock.quant)
        now takes other units than the recalled ones.
        """
        self.ensure_one()
        lines = self.env["stock.move.line"].sudo().search([
            ("lot_id", "in", lots.ids),
            ("state", "not in", ("done", "cancel")),
            ("location_id.usage", "in", ("internal", "transit")),
        ])
        if not lines:
            return self.env["stock.picking"]
        moves = lines.move_id
        pickings = lines.picking_id
        serials_by_picking = {
            picking.id: ", ".join(sorted(picking_lines.lot_id.mapped("name")))
            for picking, picking_lines in lines.grouped("picking_id").items() if picking
        }
        lines.unlink()
        moves.filtered(lambda move: move.state not in ("done", "cancel"))._action_assign()
        if pickings:
            pickings._message_log_batch({
                picking_id: Markup("%s") % _(
                    "Serials %(serials)s were unreserved: they are under recall %(recall)s.",
                    serials=serials, recall=self.name)
                for picking_id, serials in serials_by_picking.items()
            })
        return pickings

    def _log_on_lots(self, lots, body):
        """One chatter note per lot, created in one batch."""
        if lots:
            lots._message_log_batch(dict.fromkeys(lots.ids, body))

    # ------------------------------------------------------------------
    # Views
    # ------------------------------------------------------------------
    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_inventory.action_serial_recall_line")
        action["domain"] = [("recall_id", "=", self.id)]
        action["context"] = {"create": False,
                             **(self.env.context.get("serial_recall_line_context") or {})}
        action["display_name"] = _("Serials of %s", self.name)
        return action

    def action_view_in_stock(self):
        return self.with_context(
            serial_recall_line_context={"search_default_in_stock": 1}).action_view_lines()

    def action_view_customers(self):
        return self.with_context(serial_recall_line_context={
            "search_default_at_customer": 1}).action_view_lines()

    def action_view_customer_lots(self):
        """Odoo's lot customers report (stock.lot.report), kept to this recall's serials."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_lot_report")
        action["domain"] = [("lot_id", "in", self.line_ids.lot_id.ids)]
        action["context"] = {"search_default_filter_not_has_return": 1}
        action["display_name"] = _("Customers of %s", self.name)
        return action

    def action_export_customers(self):
        self.ensure_one()
        file_format = self.env.context.get("serial_export_format", "xlsx")
        return {
            "type": "ir.actions.act_url",
            "url": f"/serial_inventory/recall/{self.id}/customers.{file_format}",
            "target": "self",
        }

    # ------------------------------------------------------------------
    # Customers to contact
    # ------------------------------------------------------------------
    def _customer_contact_rows(self):
        """One row per customer holding recalled units: who, how to reach them, what."""
        self.ensure_one()
        lines = self.line_ids.filtered("partner_id").sorted(
            lambda line: (line.partner_id.display_name or "", line.lot_id.name))
        rows = []
        for partner, partner_lines in lines.grouped("partner_id").items():
            dates = [date for date in partner_lines.mapped("delivery_date") if date]
            rows.append({
                "customer": partner.display_name,
                "email": partner.email or "",
                "phone": partner.phone or partner.mobile or "",
                "address": ", ".join(
                    part for part in (partner.street, partner.street2, partner.zip,
                                      partner.city, partner.state_id.name,
                                      partner.country_id.name) if part),
                "serials": ", ".join(partner_lines.lot_id.mapped("name")),
                "products": ", ".join(sorted(set(partner_lines.product_id.mapped(
                    "display_name")))),
                "deliveries": ", ".join(sorted(set(partner_lines.picking_id.mapped("name")))),
                "last_delivery": max(dates) if dates else False,
            })
        return rows

    @api.model
    def _customer_contact_headers(self):
        return [
            ("customer", _("Customer")), ("email", _("Email")), ("phone", _("Phone")),
            ("address", _("Address")), ("serials", _("Serials")), ("products", _("Products")),
            ("deliveries", _("Delivery orders")), ("last_delivery", _("Last delivery")),
        ]
