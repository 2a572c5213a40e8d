from odoo import _, fields, models
from odoo.exceptions import UserError


class ReceiptSerialFill(models.TransientModel):
    """Number every serial-tracked unit of a receipt and set its unit data at once."""

    _name = "receipt.serial.fill"
    _inherit = "serial.lot.values.mixin"
    _description = "Fill a receipt with serials"

    picking_id = fields.Many2one("stock.picking", string="Transfer", required=True)

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
        lots = moves._serial_fill_from_pattern(values)
        return self._numbered_notification(lots)

    def _new_batch_values(self, product=None):
        """A batch created while receiving comes from the receipt's supplier."""
        values = super()._new_batch_values(product)
        picking = self.picking_id
        if picking.partner_id and picking.location_id.usage == "supplier":
            values["supplier_id"] = picking.partner_id.commercial_partner_id.id
        return values

    def _numbered_notification(self, lots):
        """Say what was numbered, then close the dialog: closing it reloads the receipt
        (the form that opened the dialog reloads when the dialog closes)."""
        receipt = self.picking_id.name
        if not lots:
            message = _("Nothing to number on %s: every unit already has a serial, or its "
                        "product has no serial pattern.", receipt)
        elif len(lots) == 1:
            message = _("1 serial numbered on %(receipt)s: %(serial)s",
                        receipt=receipt, serial=lots.name)
        else:
            message = _("%(count)s serials numbered on %(receipt)s: %(first)s … %(last)s",
                        count=len(lots), receipt=receipt, first=lots[0].name,
                        last=lots[-1].name)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "success" if lots else "warning",
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
