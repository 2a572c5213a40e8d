from odoo import _, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def action_serial_fill_receipt(self):
        """Open the dialog that numbers every unit of the receipt at once."""
        self.ensure_one()
        if not self.move_ids.filtered(lambda move: move.has_tracking == "serial"):
            raise UserError(_("Receipt %s has no serial-tracked product.", self.name))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "serial_inventory.action_receipt_serial_fill")
        action["context"] = {"default_picking_id": self.id}
        return action
