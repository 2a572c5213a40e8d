from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SerialRecallLine(models.Model):
    """One recalled unit and where it is now."""

    _name = "serial.recall.line"
    _description = "Recalled Serial"
    _order = "recall_id desc, lot_id"
    _check_company_auto = True

    recall_id = fields.Many2one(
        "serial.recall", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="recall_id.company_id", store=True, index=True)
    recall_state = fields.Selection(related="recall_id.state", string="Recall status",
                                    store=True)
    lot_id = fields.Many2one(
        "stock.lot", string="Serial", required=True, ondelete="restrict", index=True,
        check_company=True)
    product_id = fields.Many2one(related="lot_id.product_id", store=True, index=True)
    serial_state = fields.Selection(related="lot_id.serial_state", string="Unit status")
    # Where the unit is now: computed when read, never stored, so that stock moves do not
    # pay for keeping recall lines up to date (a stored field depending on the quants would
    # cost a query per unit validated).
    in_stock = fields.Boolean(
        compute="_compute_whereabouts", search="_search_in_stock",
        help="The unit is in one of the company's stock locations, blocked while the recall "
        "is open.")
    location_id = fields.Many2one(
        "stock.location", string="Location now", compute="_compute_whereabouts",
        help="The stock location holding the unit, or the customer location it went to.")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", compute="_compute_whereabouts",
        search="_search_partner_id", help="The customer holding the unit (not returned).")
    picking_id = fields.Many2one(
        "stock.picking", string="Delivery order", compute="_compute_whereabouts")
    delivery_date = fields.Datetime(compute="_compute_whereabouts")

    _sql_constraints = [
        ("recall_lot_uniq", "unique(recall_id, lot_id)",
         "A serial is listed once per recall."),
    ]

    @api.depends("lot_id")
    def _compute_whereabouts(self):
        """Where each unit is, read for all lines at once.

        The customer side reuses Odoo's lot customers report (stock.lot.report): the last
        delivery of the unit that was not returned gives customer, order and date.
        """
        lots = self.lot_id
        locations = {}
        if lots:
            quants = self.env["stock.quant"].sudo()._read_group(
                [("lot_id", "in", lots.ids), ("quantity", ">", 0)],
                ["lot_id", "location_id"])
            for lot, location in quants:
                # An internal location wins over a customer one (a unit back in stock).
                if lot.id not in locations or location.usage == "internal":
                    locations[lot.id] = location
        delivered = lots.filtered(lambda lot: lot.serial_state == "delivered")
        deliveries = {}
        if delivered:
            reports = self.env["stock.lot.report"].sudo().search(
                [("lot_id", "in", delivered.ids), ("has_return", "=", False)],
                order="delivery_date desc, id desc")
            for report in reports:
                deliveries.setdefault(report.lot_id.id, report)
        for line in self:
            lot = line.lot_id
            location = locations.get(lot.id, self.env["stock.location"])
            report = deliveries.get(lot.id)
            line.location_id = location
            line.in_stock = location.usage in ("internal", "transit")
            if lot.serial_state == "delivered":
                line.partner_id = report.partner_id if report else lot.serial_customer_id
                line.picking_id = report.picking_id if report else False
                line.delivery_date = (report.delivery_date if report
                                      else lot.serial_delivery_date)
            else:
                line.partner_id = line.picking_id = line.delivery_date = False

    def _search_in_stock(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Unsupported search on the stock status of recalled serials."))
        in_stock = [("lot_id.quant_ids", "any", [
            ("quantity", ">", 0), ("location_id.usage", "in", ("internal", "transit"))])]
        return in_stock if (operator == "=") == bool(value) else ["!", *in_stock]

    def _search_partner_id(self, operator, value):
        if operator in ("=", "!=") and not value:
            at_customer = [("lot_id.serial_state", "=", "delivered"),
                           ("lot_id.serial_customer_id", "!=", False)]
            return at_customer if operator == "!=" else ["!", "&", *at_customer]
        return [("lot_id.serial_state", "=", "delivered"),
                ("lot_id.serial_customer_id", operator, value)]

    @api.model_create_multi
    def create(self, vals_list):
        recalls = self.env["serial.recall"].browse(
            {vals["recall_id"] for vals in vals_list if vals.get("recall_id")})
        recalls._check_draft()
        return super().create(vals_list)

    def write(self, vals):
        if "lot_id" in vals or "recall_id" in vals:
            self.recall_id._check_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(line.recall_state != "draft" for line in self):
            raise UserError(_("Serials cannot be removed from an open or closed recall."))

    def action_traceability(self):
        """Odoo's traceability report of the unit."""
        self.ensure_one()
        return self.lot_id.action_serial_traceability()
