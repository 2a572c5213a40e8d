import csv
import io
from datetime import datetime

import xlsxwriter

from odoo import _, fields, http
from odoo.http import content_disposition, request

from ..lib.untrusted_text import printable, serial_query_problem

# Longest serial or scanned code the public page looks up (the form's maxlength).
PUBLIC_SERIAL_MAX_LENGTH = 128


class SerialInventoryController(http.Controller):
    # ------------------------------------------------------------------
    # Public authenticity check (opt-in per company)
    # ------------------------------------------------------------------
    @http.route("/serial/verify", type="http", auth="public", methods=["GET"], sitemap=False)
    def public_verify(self, serial=None, **kwargs):
        """Whether a serial is genuine, and which product it is: nothing else.

        Label QR codes point here with ``?serial=...``. Checks are counted per network
        address in the database (serial.public.rate), so the limit holds across workers.
        Every submitted text counts, refused ones too: garbage is no way around the limit.
        """
        serial = (serial or "").strip()
        remote_addr = request.httprequest.remote_addr
        values = {"serial": serial, "verdict": False, "product_name": "", "problem": ""}
        status = 200
        if serial:
            problem = serial_query_problem(serial, PUBLIC_SERIAL_MAX_LENGTH)
            if not request.env["serial.public.rate"].sudo()._hit(remote_addr):
                values.update(verdict="limited", serial=printable(
                    serial[:PUBLIC_SERIAL_MAX_LENGTH]))
                status = 429
            elif problem:
                # Refused before any lookup: PostgreSQL rejects NUL characters, and no
                # serial holds a control character or is this long.
                values.update(verdict="invalid", serial="",
                              problem=self._public_problem(serial, problem))
                status = 400
            else:
                values.update(request.env["serial.verification"].sudo()._public_verdict(
                    serial, remote_addr))
        values.setdefault("company", False)
        values["company"] = (values["company"]
                             or request.env["serial.verification"].sudo()._public_company())
        response = request.render("serial_inventory.public_verify_page", values,
                                  status=status)
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex"
        return response

    @staticmethod
    def _public_problem(serial, problem):
        shown = printable(serial[:40]) + ("…" if len(serial) > 40 else "")
        if problem.code == "too_long":
            return _("%(serial)s is not a serial: a serial has at most %(max)s characters, "
                     "this text has %(count)s.", serial=shown, max=PUBLIC_SERIAL_MAX_LENGTH,
                     count=problem.part)
        return _("%(serial)s is not a serial: it contains a control character (%(char)s, "
                 "character %(position)s). Type the serial again, or scan the label's code.",
                 serial=shown, char=problem.part, position=problem.position)

    # ------------------------------------------------------------------
    # Recall: customers to contact
    # ------------------------------------------------------------------
    @http.route(
        ["/serial_inventory/recall/<int:recall_id>/customers.csv",
         "/serial_inventory/recall/<int:recall_id>/customers.xlsx"],
        type="http", auth="user", methods=["GET"])
    def recall_customers(self, recall_id, **kwargs):
        recall = request.env["serial.recall"].browse(recall_id).exists()
        if not recall:
            raise request.not_found()
        recall.check_access("read")
        headers = recall._customer_contact_headers()
        rows = recall._customer_contact_rows()
        as_xlsx = request.httprequest.path.endswith(".xlsx")
        content = (self._xlsx(headers, rows, recall.name) if as_xlsx
                   else self._csv(headers, rows))
        filename = _("%s customers", recall.name).replace("/", "-") + (
            ".xlsx" if as_xlsx else ".csv")
        mimetype = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    if as_xlsx else "text/csv;charset=utf-8")
        return request.make_response(content, headers=[
            ("Content-Type", mimetype),
            ("Content-Disposition", content_disposition(filename)),
        ])

    @staticmethod
    def _cell(value):
        if isinstance(value, datetime):
            return fields.Datetime.to_string(value)
        return value if value not in (None, False) else ""

    def _csv(self, headers, rows):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([label for _key, label in headers])
        for row in rows:
            writer.writerow([self._cell(row[key]) for key, _label in headers])
        # A byte order mark lets spreadsheet programs read the accents right.
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")

    def _xlsx(self, headers, rows, sheet_name):
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(sheet_name.replace("/", "-")[:31])
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        for column, (_key, label) in enumerate(headers):
            sheet.write(0, column, label, bold)
            sheet.set_column(column, column, 22)
        for line, row in enumerate(rows, start=1):
            for column, (key, _label) in enumerate(headers):
                value = row[key]
                if isinstance(value, datetime):
                    sheet.write_datetime(line, column, value, date_format)
                else:
                    sheet.write(line, column, self._cell(value))
        workbook.close()
        return buffer.getvalue()
