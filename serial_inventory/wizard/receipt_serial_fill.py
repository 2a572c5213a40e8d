from odoo import _, fields, models
from odoo.exceptions import UserError


class ReceiptSerialFill(models.TransientModel):
    """Number every serial-tracked unit of a receipt and set its unit data at once."""

    _name = "receipt.serial.fill"
    _inherit = "serial.lot.values.mixin"
    _description = "Fill a receipt with serials"

    picking_id = fields.Many2one("stock.picking", required=True)

    def action_apply(self):
        self.ensure_one()
        picking = self.picking_id
        if picking.state in ("done", "cancel"):
            raise UserError(_("Receipt %s is already done or cancelled.", picking.name))
        moves = picking.move_ids.filtered(lambda move: move.has_tracking == "serial")
        values = self._lot_values(moves.product_id[:1] if len(moves.product_id) == 1 else None)
        if values:
            existing_lots = self.env["stock.lot"].search([
                ("id", "in", self.env["stock.move.line"]._search(
                    [("move_id", "in", moves.ids), ("lot_id", "!=", False)]).subselect("lot_id")),
            ])
            existing_lots.write(values)
        moves._serial_fill_from_pattern(values)
        return {"type": "ir.actions.act_window_close"}
