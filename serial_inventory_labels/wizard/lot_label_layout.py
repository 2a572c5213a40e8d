from odoo import api, fields, models


class LotLabelLayout(models.TransientModel):
    """Odoo's lot/serial label dialog, offering the label formats (PDF and ZPL)."""

    _inherit = "lot.label.layout"

    print_format = fields.Selection(
        selection_add=[("serial_label", "Label format")],
        ondelete={"serial_label": "set default"})
    serial_label_format_id = fields.Many2one(
        "serial.label.format", string="Label format",
        help="Layout of the labels. With 'ZPL Labels', the ZPL is written for this format's "
        "label size; leave it empty for Odoo's standard ZPL label.")
    serial_lot_ids = fields.Many2many(
        "stock.lot", string="Serial numbers",
        help="Serials to print when the dialog is opened from a list of serials.")

    @api.onchange("print_format")
    def _onchange_print_format_serial_label(self):
        if self.print_format == "serial_label" and not self.serial_label_format_id:
            self.serial_label_format_id = self.env["serial.label.format"]._get_default_format()

    def _serial_label_output(self):
        """'pdf' or 'zpl' when a label format prints, None for Odoo's own reports."""
        if self.print_format == "serial_label":
            return "pdf"
        if self.print_format == "zpl" and self.serial_label_format_id:
            return "zpl"
        return None

    def process(self):
        # Odoo's dialog decides which lots to print (one per lot or per unit); a label format
        # only changes the report they are printed with.
        action = super().process()
        output = self._serial_label_output()
        if not output:
            return action
        if self.serial_lot_ids:
            lot_ids = self.serial_lot_ids.ids
        else:
            lot_ids = (action.get("context") or {}).get("active_ids") or []
        label_format = (self.serial_label_format_id
                        or self.env["serial.label.format"]._get_default_format())
        return label_format._action_print_lots(lot_ids, output)
