from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_cancel(self):
        res = super()._action_cancel()
        # Whatever cancels the moves (the transfer's Cancel, its sale order's): a transfer
        # cancelled holds its scanned serials no more.
        self.picking_id._serial_scan_release_over()
        return res
