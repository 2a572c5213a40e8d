import uuid

from odoo import api, fields, models


class StockQuant(models.Model):
    """Neighbour probe on quants: per-record default, create/write overrides, stored fields."""

    _inherit = "stock.quant"

    neighbour_token = fields.Char(
        default=lambda self: uuid.uuid4().hex, copy=False, index=True,
        help="Per-record default: every quant created through the ORM gets its own value.")
    neighbour_lot_token = fields.Char(
        related="lot_id.neighbour_token", store=True, string="Neighbour Lot Token",
        help="Stored related field through the lot: must equal the lot's token.")
    neighbour_signed_quantity = fields.Char(
        compute="_compute_neighbour_signed_quantity", store=True,
        help="Stored computed from quantity and location_id.usage, e.g. 'internal:+1'; "
        "must be recomputed whenever the quantity changes.")

    @api.depends("quantity", "location_id.usage")
    def _compute_neighbour_signed_quantity(self):
        for quant in self:
            quant.neighbour_signed_quantity = (
                f"{quant.location_id.usage}:{quant.quantity:+g}")

    @api.model_create_multi
    def create(self, vals_list):
        keys_list = [sorted(vals) for vals in vals_list]
        quants = super().create(vals_list)
        self.env["neighbour.event"]._log_records(quants, "create", keys_list)
        return quants

    def write(self, vals):
        result = super().write(vals)
        self.env["neighbour.event"]._log_records(self, "write", [sorted(vals)] * len(self))
        return result
