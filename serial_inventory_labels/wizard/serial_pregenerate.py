from odoo import fields, models


class SerialPregenerate(models.TransientModel):
    """Generating serials ahead can print their labels at once."""

    _inherit = "serial.pregenerate"

    serial_label_format_id = fields.Many2one(
        "serial.label.format", string="Label format",
        default=lambda self: self.env["serial.label.format"]._get_default_format())
    serial_label_output = fields.Selection(
        [("pdf", "PDF"), ("zpl", "ZPL (Zebra printer)")], string="Print as", default="pdf",
        required=True)

    def action_generate_and_print(self):
        """Generate the serials, then print one label per serial."""
        self.ensure_one()
        lots = self._create_lots()
        label_format = (self.serial_label_format_id
                        or self.env["serial.label.format"]._get_default_format())
        return label_format._action_print_lots(lots.ids, self.serial_label_output)
