from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import label_geometry

# Reports that print label formats (see report/serial_label_reports.xml).
PDF_LOT_REPORT = "serial_inventory_labels.action_report_serial_label"
ZPL_LOT_REPORT = "serial_inventory_labels.action_report_serial_label_zpl"
PDF_PRODUCT_REPORT = "serial_inventory_labels.action_report_product_label"


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
        default="portrait",
        help="Landscape turns the page: rows, columns, margins and label sizes then describe "
        "the turned page.")
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
        required=True, default="code128",
        help="Code 128 carries the serial; GS1-128 and GS1 DataMatrix carry the GS1 element "
        "string (GTIN of the product when its barcode is one, dates, batch, serial); the QR "
        "code carries the public verification address of the serial.")
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

    @api.constrains(
        "kind", "page_width_mm", "page_height_mm", "orientation", "rows", "columns",
        "margin_top_mm", "margin_left_mm", "gap_horizontal_mm", "gap_vertical_mm",
        "label_width_mm", "label_height_mm")
    def _check_geometry(self):
        for label_format in self:
            try:
                label_format._geometry()
            except label_geometry.LabelFormatError as error:
                raise ValidationError(
                    _("Label format %(name)s cannot be printed: %(error)s",
                      name=label_format.name, error=error)) from error

    # ------------------------------------------------------------------
    # Geometry
    # ------------------------------------------------------------------
    def _geometry(self):
        """The format as the lib's validated ``LabelFormat`` (raises ``LabelFormatError``)."""
        self.ensure_one()
        return label_geometry.validate(label_geometry.LabelFormat(
            code=f"serial.label.format,{self.id}",
            name=self.name or "",
            label_width_mm=self.label_width_mm,
            label_height_mm=self.label_height_mm,
            rows=self.rows,
            columns=self.columns,
            page_size="custom",
            page_width_mm=self.page_width_mm,
            page_height_mm=self.page_height_mm,
            orientation=self.orientation,
            margin_top_mm=self.margin_top_mm,
            margin_left_mm=self.margin_left_mm,
            gap_horizontal_mm=self.gap_horizontal_mm,
            gap_vertical_mm=self.gap_vertical_mm,
            thermal=self.kind == "thermal",
        ))

    def _page_size_mm(self):
        """(width, height) of the printed page in mm, orientation applied."""
        return self._geometry().page_dimensions_mm

    # ------------------------------------------------------------------
    # Choosing a format and printing with it
    # ------------------------------------------------------------------
    @api.model
    def _get_default_format(self):
        """The first format (by sequence) of the current company or shared by all."""
        return self.search(
            [("company_id", "in", [self.env.company.id, False])], limit=1)

    @api.model
    def _action_label_dialog(self, context):
        """Odoo's lot label dialog, set to print in the default label format; ``context``
        says what to print (the serials, or the move lines of transfers)."""
        view = self.env.ref("stock.lot_label_layout_form_picking")
        return {
            "name": _("Print Serial Labels"),
            "type": "ir.actions.act_window",
            "res_model": "lot.label.layout",
            "views": [(view.id, "form")],
            "target": "new",
            "context": {
                "default_print_format": "serial_label",
                "default_serial_label_format_id": self._get_default_format().id,
                **context,
            },
        }

    @api.model
    def _from_report_data(self, data):
        """The format named by a label report's ``data``, else the default one."""
        format_id = (data or {}).get("label_format_id")
        label_format = self.browse(int(format_id)).exists() if format_id else self.browse()
        label_format = label_format or self._get_default_format()
        if not label_format:
            raise UserError(_("There is no label format: create one in Inventory > "
                              "Configuration > Label Formats."))
        return label_format

    def _action_print_lots(self, lot_ids, output="pdf"):
        """Report action printing one label per entry of ``lot_ids`` (ids may repeat).

        ``output`` is 'pdf' (the page layout of the format) or 'zpl' (one ZPL II label per
        serial, for Zebra printers).
        """
        self.ensure_one()
        lot_ids = [lot_id for lot_id in lot_ids if lot_id]
        if not lot_ids:
            raise UserError(_("There is no serial number to print a label for."))
        report = self.env.ref(ZPL_LOT_REPORT if output == "zpl" else PDF_LOT_REPORT)
        action = report.report_action(
            None, data={"label_format_id": self.id, "lot_ids": lot_ids}, config=False)
        action["close_on_report_download"] = True
        return action
