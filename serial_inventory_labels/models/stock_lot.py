from odoo import _, models
from odoo.exceptions import UserError


class StockLot(models.Model):
    _inherit = "stock.lot"

    def action_print_serial_labels(self):
        """Open Odoo's lot label dialog on these serials, set to print a label format."""
        if not self:
            raise UserError(_("Select the serial numbers to print labels for."))
        return self.env["serial.label.format"]._action_label_dialog(
            {"default_serial_lot_ids": self.ids})
