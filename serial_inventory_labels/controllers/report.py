import json

from odoo import http
from odoo.http import content_disposition, request

from odoo.addons.web.controllers.report import ReportController

ZPL_REPORTS = frozenset({"serial_inventory_labels.report_serial_label_zpl"})


class SerialLabelReportController(ReportController):
    @http.route()
    def report_download(self, data, context=None, token=None, readonly=True):
        """Name the ZPL labels' download ``*.zpl`` (Odoo names every text report ``*.txt``)."""
        response = super().report_download(data, context=context, token=token, readonly=readonly)
        url, report_type = json.loads(data)[:2]
        if report_type != "qweb-text" or response is None or response.status_code != 200:
            return response
        report_name = url.split("/report/text/")[-1].split("?")[0].split("/")[0]
        if report_name in ZPL_REPORTS:
            report = request.env["ir.actions.report"]._get_report_from_name(report_name)
            response.headers["Content-Disposition"] = content_disposition(f"{report.name}.zpl")
        return response
