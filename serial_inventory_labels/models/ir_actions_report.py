import logging
import subprocess
from functools import lru_cache

from odoo import api, models

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

_logger = logging.getLogger(__name__)

# Reports laid out page by page from a label format (report_name of the ir.actions.report).
LABEL_SHEET_REPORTS = frozenset({
    "serial_inventory_labels.report_serial_label",
    "serial_inventory_labels.report_product_label",
})
# How many CSS pixels an unpatched-Qt wkhtmltopdf puts in an inch: it cannot disable smart
# shrinking and lays pages out at 125 px/in instead of CSS's 96, so millimetres come out at
# 96/125 of their size. Measured on wkhtmltopdf 0.12.6 (Debian, unpatched Qt).
_UNPATCHED_QT_PX_PER_INCH = 125.0
_CSS_PX_PER_INCH = 96.0


@lru_cache(maxsize=1)
def _wkhtmltopdf_has_patched_qt():
    try:
        completed = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, check=False, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return True  # no wkhtmltopdf: nothing to compensate
    return b"patched qt" in completed.stdout.lower()


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _serial_label_pdf_zoom(self):
        """CSS zoom that makes millimetres exact in the PDF of a label sheet.

        1 with a patched-Qt wkhtmltopdf (the paper format disables smart shrinking at
        96 dpi); 125/96 with an unpatched one. The system parameter
        ``serial_inventory_labels.pdf_zoom`` overrides it for other builds.
        """
        configured = self.env["ir.config_parameter"].sudo().get_param(
            "serial_inventory_labels.pdf_zoom")
        if configured:
            try:
                return float(configured)
            except ValueError:
                _logger.info("Ignoring serial_inventory_labels.pdf_zoom=%r: not a number.",
                             configured)
        if _wkhtmltopdf_has_patched_qt():
            return 1.0
        return _UNPATCHED_QT_PX_PER_INCH / _CSS_PX_PER_INCH

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """Print a label sheet on the page size of its label format.

        ``report.paperformat`` stores whole millimetres only (a 2 x 1 in label is 50.8 x
        25.4 mm), so the label reports pass their exact page size to wkhtmltopdf instead.
        """
        report = self._get_report(report_ref)
        if report.report_name in LABEL_SHEET_REPORTS:
            label_format = self.env["serial.label.format"]._from_report_data(data)
            return super(
                IrActionsReport,
                self.with_context(serial_label_page_mm=label_format._page_size_mm()),
            )._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)

    @api.model
    def _build_wkhtmltopdf_args(self, paperformat_id, landscape, specific_paperformat_args=None,
                                set_viewport_size=False):
        args = super()._build_wkhtmltopdf_args(
            paperformat_id, landscape, specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size)
        page = self.env.context.get("serial_label_page_mm")
        if not page:
            return args
        # The page is given already turned: drop any size or orientation of the paper format.
        dropped = {"--page-size", "--page-width", "--page-height", "--orientation"}
        kept = []
        skip_value = False
        for arg in args:
            if skip_value:
                skip_value = False
            elif arg in dropped:
                skip_value = True
            else:
                kept.append(arg)
        width, height = page
        return [*kept, "--page-width", f"{width:.3f}mm", "--page-height", f"{height:.3f}mm",
                "--orientation", "Portrait"]
