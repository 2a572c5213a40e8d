import uuid

from odoo import api, fields, models


class StockMoveLine(models.Model):
    """Neighbour probe on move lines: per-record default, create/write overrides, stored
    fields."""

    _inherit = "stock.move.line"

    neighbour_token = fields.Char(
        default=lambda self: uuid.uuid4().hex, copy=False, index=True,
        help="Per-record default: every move line created through the ORM gets its own value.")
    neighbour_lot_label = fields.Char(
        compute="_compute_neighbour_lot_label", store=True,
        help="Stored computed from the lot's name (or lot_name) and the quantity, e.g. "
        "'SN001x1'; must follow both.")
    neighbour_move_reference = fields.Char(
        related="move_id.reference", store=True, string="Neighbour Move Reference",
        help="Stored related field through the move: must equal the move's reference.")

    @api.depends("lot_id.name", "lot_name", "quantity")
    def _compute_neighbour_lot_label(self):
        for line in self:
            name = line.lot_id.name or line.lot_name or ""
            line.neighbour_lot_label = f"{name}x{line.quantity:g}"

    @api.model_create_multi
    def create(self, vals_list):
        keys_list = [sorted(vals) for vals in vals_list]
        lines = super().create(vals_list)
        self.env["neighbour.event"]._log_records(lines, "create", keys_list)
        return lines

    def write(self, vals):
        result = super().write(vals)
        self.env["neighbour.event"]._log_records(self, "write", [sorted(vals)] * len(self))
        return result
