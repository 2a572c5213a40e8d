from odoo import _, models
from odoo.exceptions import UserError


class StockLot(models.Model):
    _inherit = "stock.lot"

    def action_print_serial_labels(self):
        """Open Odoo's lot label dialog on these serials, set to print a label format."""
        if not self:
            raise UserError(_("Select the serial numbers to print labels for."))
        view = self.env.ref("stock.lot_label_layout_form_picking")
        return {
            "name": _("Print Serial Labels"),
            "type": "ir.actions.act_window",
            "res_model": "lot.label.layout",
            "views": [(view.id, "form")],
            "target": "new",
            "context": {
                "default_serial_lot_ids": self.ids,
                "default_print_format": "serial_label",
                "default_serial_label_format_id":
                    self.env["serial.label.format"]._get_default_format().id,
            },
        }
