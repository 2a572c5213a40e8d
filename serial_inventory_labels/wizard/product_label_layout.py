from odoo import api, fields, models

from ..models.serial_label_format import PDF_PRODUCT_REPORT


class ProductLabelLayout(models.TransientModel):
    """Odoo's product label dialog, offering the label formats for product barcodes."""

    _inherit = "product.label.layout"

    print_format = fields.Selection(
        selection_add=[("serial_label", "Label format")],
        ondelete={"serial_label": "set default"})
    serial_label_format_id = fields.Many2one("serial.label.format", string="Label format")

    @api.onchange("print_format")
    def _onchange_print_format_serial_label(self):
        if self.print_format == "serial_label" and not self.serial_label_format_id:
            self.serial_label_format_id = self.env["serial.label.format"]._get_default_format()

    def _prepare_report_data(self):
        xml_id, data = super()._prepare_report_data()
        if self.print_format == "serial_label":
            label_format = (self.serial_label_format_id
                            or self.env["serial.label.format"]._get_default_format())
            xml_id = PDF_PRODUCT_REPORT
            data["label_format_id"] = label_format.id
        return xml_id, data
