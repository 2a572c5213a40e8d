from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _serial_slip_names(self):
        """Serials of the move (assigned lots, or names typed on a receipt), for documents."""
        self.ensure_one()
        if self.has_tracking == "none":
            return ""
        names = [line.lot_id.name or line.lot_name for line in self.move_line_ids]
        return ", ".join(name for name in names if name)
