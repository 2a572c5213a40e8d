import uuid

from odoo import api, fields, models


class StockLot(models.Model):
    """Neighbour probe on lots: per-record default, create/write overrides, stored fields."""

    _inherit = "stock.lot"

    neighbour_token = fields.Char(
        default=lambda self: uuid.uuid4().hex, copy=False, index=True,
        help="Per-record default: every lot created through the ORM gets its own value.")
    neighbour_product_category_id = fields.Many2one(
        related="product_id.categ_id", store=True, string="Neighbour Product Category",
        help="Stored related field: must follow the lot's product.")
    neighbour_line_ids = fields.One2many(
        "stock.move.line", "lot_id", string="Neighbour Move Lines",
        help="The lot's move lines, which the stored computed fields below depend on.")
    neighbour_line_count = fields.Integer(
        compute="_compute_neighbour_line_count", store=True,
        help="Stored computed: number of move lines of the lot; must be recomputed when a "
        "line is created for the lot.")
    neighbour_done_quantity = fields.Float(
        compute="_compute_neighbour_done_quantity", store=True,
        digits="Product Unit of Measure",
        help="Stored computed: sum of the quantity of the lot's done move lines; must be "
        "recomputed when a line is validated.")
    neighbour_tag_ids = fields.Many2many(
        "neighbour.tag", string="Neighbour Tags",
        default=lambda self: self.env.ref(
            "serial_inventory_neighbour.neighbour_tag_default", raise_if_not_found=False),
        help="Relational default read from data: every new lot must get the default tag.")

    @api.depends("neighbour_line_ids")
    def _compute_neighbour_line_count(self):
        for lot in self:
            lot.neighbour_line_count = len(lot.neighbour_line_ids)

    @api.depends("neighbour_line_ids.quantity", "neighbour_line_ids.state")
    def _compute_neighbour_done_quantity(self):
        for lot in self:
            lot.neighbour_done_quantity = sum(
                line.quantity for line in lot.neighbour_line_ids if line.state == "done")

    @api.model_create_multi
    def create(self, vals_list):
        keys_list = [sorted(vals) for vals in vals_list]
        lots = super().create(vals_list)
        self.env["neighbour.event"]._log_records(lots, "create", keys_list)
        return lots

    def write(self, vals):
        result = super().write(vals)
        self.env["neighbour.event"]._log_records(self, "write", [sorted(vals)] * len(self))
        return result
