from odoo import api, fields, models


class SerialLabelFormat(models.Model):
    """A label layout: page, grid of labels and the fields each label shows."""

    _name = "serial.label.format"
    _description = "Label Format"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    kind = fields.Selection(
        [("sheet", "Sheet of labels"), ("thermal", "Thermal label printer")],
        required=True, default="sheet")
    page_width_mm = fields.Float("Page width (mm)", required=True, default=210.0)
    page_height_mm = fields.Float("Page height (mm)", required=True, default=297.0)
    orientation = fields.Selection(
        [("portrait", "Portrait"), ("landscape", "Landscape")], required=True,
        default="portrait")
    rows = fields.Integer(required=True, default=8)
    columns = fields.Integer(required=True, default=3)
    margin_top_mm = fields.Float("Top margin (mm)")
    margin_left_mm = fields.Float("Left margin (mm)")
    gap_horizontal_mm = fields.Float("Gap between columns (mm)")
    gap_vertical_mm = fields.Float("Gap between rows (mm)")
    label_width_mm = fields.Float("Label width (mm)", required=True, default=70.0)
    label_height_mm = fields.Float("Label height (mm)", required=True, default=37.0)
    barcode_kind = fields.Selection(
        [("code128", "Code 128 (serial)"), ("gs1_128", "GS1-128 (GTIN + serial)"),
         ("qr", "QR code"), ("datamatrix", "GS1 DataMatrix")],
        required=True, default="code128")
    zpl_dpi = fields.Selection([("203", "203 dpi"), ("300", "300 dpi")], default="203",
                               string="Printer resolution")
    show_product_name = fields.Boolean(default=True)
    show_default_code = fields.Boolean("Show internal reference", default=True)
    show_serial = fields.Boolean(default=True)
    show_batch = fields.Boolean(default=True)
    show_expiration_date = fields.Boolean(default=True)
    show_manufacture_date = fields.Boolean(default=False)
    show_company = fields.Boolean(default=False)
    show_price = fields.Boolean(default=False)
    labels_per_page = fields.Integer(compute="_compute_labels_per_page")

    _sql_constraints = [
        ("rows_positive", "CHECK(rows > 0)", "A label format needs at least one row."),
        ("columns_positive", "CHECK(columns > 0)", "A label format needs at least one column."),
    ]

    @api.depends("rows", "columns")
    def _compute_labels_per_page(self):
        for label_format in self:
            label_format.labels_per_page = label_format.rows * label_format.columns
