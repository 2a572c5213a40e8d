"""Label reports: what each label says (from lots or products) and where it goes on the page.

The page layout comes from the label format and ``lib/label_geometry``: one block per page
(explicit size, page break after it) holding one absolutely positioned block per label, so
wkhtmltopdf has nothing to paginate by itself. Barcodes are inline SVG from
``lib/barcode_drawing``, sized per format so that they stay sharp and inside their label.
"""

from urllib.parse import quote

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date

from odoo.addons.serial_inventory.lib import gs1

from ..lib import barcode_drawing, label_geometry, zpl

# Lines of text a label may show, in their order on the label.
LINEAR_LINES = ("title", "hri", "info", "extra")
MATRIX_LINES = ("title", "serial", "info", "extra")
# Widest module (X dimension) used, in mm: larger labels centre a symbol of this size.
_MAX_MODULE_MM = {"code128": 0.5, "gs1_128": 0.5, "ean13": 0.5, "ean8": 0.5, "upca": 0.5,
                  "qr": 1.0, "gs1_datamatrix": 1.0}
_MAX_BAR_HEIGHT_MM = 30.0
# Advance of a DejaVu Sans Mono glyph relative to the font size, with a little slack.
_MONOSPACE_ADVANCE = 0.62
# Average advance of DejaVu Sans glyphs (mixed case, digits) relative to the font size.
_PROPORTIONAL_ADVANCE = 0.58
_MIN_INFO_FONT_MM = 1.4
# ZPL symbologies of each barcode kind of a format: (linear, 2D).
_ZPL_SYMBOLOGIES = {
    "code128": ("code128", None),
    "gs1_128": ("gs1_128", None),
    "qr": (None, "qr"),
    "datamatrix": (None, "gs1_datamatrix"),
}
_SVG_KIND = {"code128": "code128", "gs1_128": "gs1_128", "qr": "qr",
             "datamatrix": "gs1_datamatrix"}


def _mm(value):
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _clamp(value, low, high):
    return max(low, min(high, value))


def _is_gtin(code):
    try:
        gs1.validate_gtin(code)
    except gs1.Gs1Error:
        return False
    return True


def _gs1_error(ai, value):
    """Why GS1 cannot carry ``value`` in ``ai``, or None when it can."""
    try:
        gs1.validate_element(ai, value)
    except gs1.Gs1Error as error:
        return error
    return None


class ReportSerialLabel(models.AbstractModel):
    """Serial labels on the pages of a label format (PDF)."""

    _name = "report.serial_inventory_labels.report_serial_label"
    _description = "Serial Labels (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        label_format, lot_ids, contents = self._labels_to_print(docids, data)
        return {
            "doc_ids": lot_ids,
            "doc_model": "stock.lot",
            "docs": self.env["stock.lot"].browse(lot_ids),
            "label_format": label_format,
            "sheet": self._sheet(label_format, contents, pdf=data.get("report_type") == "pdf"),
        }

    @api.model
    def _labels_to_print(self, docids, data):
        """(label format, lot ids, label contents) of a print request, PDF or ZPL."""
        label_format = self.env["serial.label.format"]._from_report_data(data)
        lot_ids = [int(lot_id) for lot_id in (data.get("lot_ids") or docids or [])]
        if not lot_ids:
            raise UserError(_("There is no serial number to print a label for."))
        return label_format, lot_ids, self._lot_label_contents(lot_ids, label_format)

    # ------------------------------------------------------------------
    # What each label says
    # ------------------------------------------------------------------
    @api.model
    def _lot_label_contents(self, lot_ids, label_format):
        """One dict per entry of ``lot_ids`` (in that order, repeats kept).

        Read in batch: what depends on the product, the company or a date is computed once.
        """
        lots = self.env["stock.lot"].browse(list(dict.fromkeys(lot_ids))).exists()
        lots.fetch(["name", "product_id", "serial_batch_id", "expiration_date",
                    "manufacture_date", "company_id"])
        fmt = label_format
        kind = fmt.barcode_kind
        show = {name: fmt[f"show_{name}"] for name in (
            "product_name", "default_code", "serial", "batch", "expiration_date",
            "manufacture_date")}
        base_url = self.env["stock.lot"].get_base_url() if kind == "qr" else ""
        captions = {"lot_caption": _("Batch"), "expiry_caption": _("Exp")}
        titles, extras, dates = {}, {}, {}

        def date_text(value):
            if value not in dates:
                dates[value] = format_date(self.env, value)
            return dates[value]

        by_id = {}
        for lot in lots:
            # A serial of no company (of a product shared by all companies) carries the
            # name of the company printing it.
            product, company, serial = lot.product_id, lot._serial_acting_company(), lot.name
            if product not in titles:
                titles[product] = self._title(fmt, product)
            if (product, company) not in extras:
                extras[product, company] = self._extra(fmt, product, company)
            expiry = lot.expiration_date and fields.Datetime.context_timestamp(
                lot, lot.expiration_date).date()
            batch = lot.serial_batch_id.name or "" if show["batch"] else ""
            expiry = expiry if show["expiration_date"] else None
            manufacture_date = lot.manufacture_date if show["manufacture_date"] else None
            info = []
            if batch:
                info.append(_("Batch: %s", batch))
            if expiry:
                info.append(_("Exp: %s", date_text(expiry)))
            if manufacture_date:
                info.append(_("Mfd: %s", date_text(manufacture_date)))
            gs1_string = ""
            if kind in ("gs1_128", "datamatrix"):
                gs1_string = self._lot_gs1_string(lot, product, batch, expiry, manufacture_date)
            content = {
                "title": titles[product],
                "serial": serial if show["serial"] else "",
                "info": " · ".join(info),
                "extra": extras[product, company],
                "symbol_kind": _SVG_KIND[kind],
                "symbol_hr": False,
                "hri": "",
            }
            if kind == "code128":
                content.update(symbol_value=serial, hri=content["serial"])
            elif kind == "gs1_128":
                content.update(symbol_value=gs1_string,
                               hri=barcode_drawing.gs1_human_readable(gs1_string))
            elif kind == "qr":
                content["symbol_value"] = self._verification_url(base_url, serial)
            else:
                content["symbol_value"] = gs1_string
            content["zpl"] = {
                "serial": serial,
                "product_name": product.name if show["product_name"] else "",
                "product_code": (product.default_code or "") if show["default_code"] else "",
                "lot": batch,
                "expiry": date_text(expiry) if expiry else "",
                "gs1": gs1_string,
                "matrix_value": content["symbol_value"] if kind == "qr" else "",
                **captions,
            }
            by_id[lot.id] = content
        return [by_id[lot_id] for lot_id in lot_ids if lot_id in by_id]

    @api.model
    def _title(self, fmt, product):
        parts = []
        if fmt.show_default_code and product.default_code:
            parts.append(f"[{product.default_code}]")
        if fmt.show_product_name:
            parts.append(product.name or "")
        return " ".join(parts)

    @api.model
    def _extra(self, fmt, product, company, price=None, currency=None):
        parts = []
        if fmt.show_company and company:
            parts.append(company.name)
        if fmt.show_price:
            currency = currency or product.currency_id or self.env.company.currency_id
            amount = price
            if amount is None:
                amount = product.lst_price if "lst_price" in product else product.list_price
            parts.append(format_amount(self.env, amount, currency))
        return " · ".join(parts)

    @api.model
    def _verification_url(self, base_url, serial):
        return f"{base_url}/serial/verify?serial={quote(serial, safe='')}"

    @api.model
    def _lot_gs1_string(self, lot, product, batch="", expiry=None, manufacture_date=None):
        """GS1 element string (FNC1 form) of a lot: GTIN, dates, batch and serial.

        The GTIN is the product's barcode when that is a valid GTIN; dates and batch are
        those the format shows, the batch being left out when GS1 cannot carry it. A serial
        that GS1 cannot carry (AI 21: at most 20 characters of the GS1 character set)
        refuses the print and names the serial.
        """
        pairs = []
        if product.barcode and _is_gtin(product.barcode):
            pairs.append(("01", product.barcode.zfill(14)))
        if manufacture_date:
            pairs.append(("11", manufacture_date.strftime("%y%m%d")))
        if expiry:
            pairs.append(("17", expiry.strftime("%y%m%d")))
        if batch and _gs1_error("10", batch) is None:
            pairs.append(("10", batch))
        error = _gs1_error("21", lot.name)
        if error:
            raise UserError(_("Serial %(serial)s cannot be printed in a GS1 barcode: %(error)s",
                              serial=lot.name, error=error))
        pairs.append(("21", lot.name))
        return gs1.build(pairs)

    # ------------------------------------------------------------------
    # Where it goes
    # ------------------------------------------------------------------
    @api.model
    def _label_box(self, label_format, lines, matrix):
        """Sizes (mm) and inline styles shared by every label of ``label_format``."""
        width, height = label_format.label_width_mm, label_format.label_height_mm
        pad = _clamp(min(width, height) * 0.06, 1.0, 3.0)
        inner_width, inner_height = width - 2 * pad, height - 2 * pad
        count = len(lines)
        box = {"pad": pad, "inner_width": inner_width, "inner_height": inner_height,
               "lines": lines, "matrix": matrix}
        if matrix:
            side = min(inner_height, inner_width * 0.5)
            text_width = inner_width - side - pad
            font = _clamp(min(inner_height * 0.11, text_width * 0.1), 1.4, 6.0)
            if count:
                font = min(font, inner_height / (count * 1.3))
            line_height = font * 1.25
            text_top = pad + max(0.0, (inner_height - count * line_height) / 2)
            symbol_top = pad + (inner_height - side) / 2
            box.update(side=side, text_width=text_width, bar_height=side, symbol_style=(
                f"position:absolute;right:{_mm(pad)}mm;top:{_mm(symbol_top)}mm;"
                f"width:{_mm(side)}mm;height:{_mm(side)}mm"))
            text_style = f"position:absolute;left:{_mm(pad)}mm;top:{_mm(text_top)}mm;" \
                f"width:{_mm(text_width)}mm"
        else:
            font = _clamp(min(inner_height * 0.1, inner_width * 0.055), 1.4, 6.0)
            if count:
                font = min(font, inner_height * 0.6 / (count * 1.25))
            line_height = font * 1.25
            bar_height = min(inner_height - count * line_height,
                             max(_MAX_BAR_HEIGHT_MM, inner_height * 0.35),
                             max(inner_width * 0.6, 8.0))
            used = count * line_height + bar_height
            top = pad + (inner_height - used) / 2
            box.update(bar_height=bar_height, symbol_style=f"height:{_mm(bar_height)}mm")
            text_style = f"position:absolute;left:{_mm(pad)}mm;top:{_mm(top)}mm;" \
                f"width:{_mm(inner_width)}mm"
        line_style = f"height:{_mm(line_height)}mm;line-height:{_mm(line_height)}mm;" \
            f"font-size:{_mm(font)}mm"
        box.update(
            font=font,
            label_style=f"width:{_mm(width)}mm;height:{_mm(height)}mm",
            text_style=text_style,
            line_style=line_style,
        )
        return box

    @api.model
    def _symbol_svg(self, box, kind, value, human_readable=False):
        """Inline SVG of one barcode, as large as the label's room allows."""
        if not value:
            return ""
        try:
            symbol = barcode_drawing.encode(kind, value)
            if box["matrix"]:
                quiet = 4 if kind == "qr" else 2
                module = min(_MAX_MODULE_MM[kind], box["side"] / (symbol.width_modules + 2 * quiet))
                return Markup(barcode_drawing.svg(
                    kind, value, module_width_mm=module, quiet_zone_modules=quiet))
            quiet = 11 if kind == "ean13" else 9 if kind == "upca" else 7 if kind == "ean8" else 10
            module = min(_MAX_MODULE_MM[kind],
                         box["inner_width"] / (symbol.width_modules + 2 * quiet))
            bar_height = box["bar_height"]
            if human_readable:  # EAN/UPC digits are drawn under the bars, inside the SVG
                bar_height -= 1.2 * _clamp(module * 9, 1.6, 3.0)
            return Markup(barcode_drawing.svg(
                kind, value, module_width_mm=module, bar_height_mm=max(bar_height, 1.0),
                quiet_zone_modules=quiet, human_readable=human_readable))
        except barcode_drawing.BarcodeError as error:
            raise UserError(_("%(value)s cannot be drawn as a barcode: %(error)s",
                              value=value, error=error)) from error

    @api.model
    def _line_styles(self, box, content):
        """Style of each text line of one label.

        The serial (under a barcode, or beside a 2D symbol) is never cut: its font shrinks
        until the whole serial fits. Information lines shrink down to a readable minimum,
        then end with an ellipsis, like the product name.
        """
        width = box["text_width"] if box["matrix"] else box["inner_width"]
        styles = {}
        for line in box["lines"]:
            text = content.get(line) or ""
            if line in ("hri", "serial"):
                advance, smallest = _MONOSPACE_ADVANCE, 0.0
            elif line in ("info", "extra"):
                advance, smallest = _PROPORTIONAL_ADVANCE, _MIN_INFO_FONT_MM
            else:
                advance, smallest = 0.0, 0.0
            font = box["font"]
            if advance and text and len(text) * advance * font > width:
                font = max(smallest, width / (len(text) * advance))
                styles[line] = f"{box['line_style']};font-size:{_mm(font)}mm"
            else:
                styles[line] = box["line_style"]
        return styles

    @api.model
    def _sheet(self, label_format, contents, pdf=True, lines=None):
        """Pages of positioned labels for the ``report_serial_label_sheet`` template."""
        fmt = label_format
        matrix = fmt.barcode_kind in ("qr", "datamatrix") and lines is None
        if lines is None:
            wanted = {
                "title": fmt.show_product_name or fmt.show_default_code,
                "hri": fmt.barcode_kind == "gs1_128" or fmt.show_serial,
                "serial": fmt.show_serial,
                "info": fmt.show_batch or fmt.show_expiration_date or fmt.show_manufacture_date,
                "extra": fmt.show_company or fmt.show_price,
            }
            lines = tuple(line for line in (MATRIX_LINES if matrix else LINEAR_LINES)
                          if wanted[line])
        geometry = fmt._geometry()
        box = self._label_box(fmt, lines, matrix)
        pages = []
        position = 0
        svgs = {}  # repeated labels (product quantities) draw their barcode once
        for slots in label_geometry.layout(geometry, len(contents)):
            labels = []
            for x, y, _width, _height in slots:
                content = contents[position]
                position += 1
                key = (content["symbol_kind"], content["symbol_value"], content["symbol_hr"])
                if key not in svgs:
                    svgs[key] = self._symbol_svg(box, *key)
                labels.append({
                    **content,
                    "style": f"left:{_mm(x)}mm;top:{_mm(y)}mm;{box['label_style']}",
                    "symbol": svgs[key],
                    "styles": self._line_styles(box, content),
                })
            pages.append(labels)
        page_width, page_height = geometry.page_dimensions_mm
        zoom = self.env["ir.actions.report"]._serial_label_pdf_zoom() if pdf else 1.0
        return {
            "pages": pages,
            "box": box,
            # A hair under the paper's height, so that rounding never spills onto a new page.
            "page_style": f"width:{_mm(page_width)}mm;height:{_mm(page_height - 0.3)}mm",
            "sheet_style": f"zoom:{zoom:.6f}" if zoom != 1 else "",
        }


class ReportSerialLabelZpl(models.AbstractModel):
    """The same serial labels as ZPL II, one ``^XA ... ^XZ`` block per serial."""

    _name = "report.serial_inventory_labels.report_serial_label_zpl"
    _inherit = "report.serial_inventory_labels.report_serial_label"
    _description = "Serial Labels (ZPL)"

    @api.model
    def _get_report_values(self, docids, data=None):
        label_format, lot_ids, contents = self._labels_to_print(docids, data or {})
        return {
            "doc_ids": lot_ids,
            "doc_model": "stock.lot",
            "label_format": label_format,
            "zpl": Markup(self._zpl(label_format, [content["zpl"] for content in contents])),
        }

    @api.model
    def _zpl(self, label_format, list_of_fields):
        linear, matrix = _ZPL_SYMBOLOGIES[label_format.barcode_kind]
        try:
            return zpl.labels(
                list_of_fields,
                (label_format.label_width_mm, label_format.label_height_mm),
                dpi=int(label_format.zpl_dpi or 203),
                linear=linear,
                matrix=matrix,
                human_readable=label_format.barcode_kind == "gs1_128" or label_format.show_serial,
            )
        except (zpl.ZplError, barcode_drawing.BarcodeError) as error:
            raise UserError(_("Label format %(format)s cannot print these labels as ZPL: "
                              "%(error)s", format=label_format.name, error=error)) from error


class ReportProductLabel(models.AbstractModel):
    """Product barcode labels (quantity per product) on the pages of a label format."""

    _name = "report.serial_inventory_labels.report_product_label"
    _inherit = "report.serial_inventory_labels.report_serial_label"
    _description = "Product Labels (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        label_format = self.env["serial.label.format"]._from_report_data(data)
        model = data.get("active_model") or "product.product"
        if model not in ("product.product", "product.template"):
            raise UserError(_("Product labels print products, not %s.", model))
        products = self.env[model].with_context(display_default_code=False)
        wizard = self.env["product.label.layout"].browse(data.get("layout_wizard")).exists()
        pricelist = wizard.pricelist_id
        # Keys are ids, or their text once the data went through the web client (JSON).
        quantity_by_product = {
            int(product_id): int(quantity)
            for product_id, quantity in (data.get("quantity_by_product") or {
                product_id: 1 for product_id in docids or []}).items()}
        records = products.browse(list(quantity_by_product))
        contents = []
        for product in records:
            contents.extend(
                [self._product_label_content(label_format, product, product.barcode, pricelist)]
                * quantity_by_product[product.id])
        for product_id, barcodes in (data.get("custom_barcodes") or {}).items():
            product = products.browse(int(product_id))
            for barcode, quantity in barcodes:
                content = self._product_label_content(label_format, product, barcode, pricelist,
                                                      linear_only=True)
                contents.extend([content] * int(quantity))
        if not contents:
            raise UserError(_("There is no product label to print."))
        lines = tuple(line for line, wanted in (
            ("title", label_format.show_product_name or label_format.show_default_code),
            ("hri", any(content["hri"] for content in contents)),
            ("extra", label_format.show_company or label_format.show_price),
        ) if wanted)
        return {
            "doc_ids": records.ids,
            "doc_model": model,
            "docs": records,
            "label_format": label_format,
            "sheet": self._sheet(label_format, contents, pdf=data.get("report_type") == "pdf",
                                 lines=lines),
        }

    @api.model
    def _product_label_content(self, fmt, product, barcode, pricelist, linear_only=False):
        kind = "code128"
        if barcode and not linear_only and barcode.isdigit():
            kind = {13: "ean13", 8: "ean8", 12: "upca"}.get(len(barcode), "code128")
            if kind != "code128" and not _is_gtin(barcode):
                kind = "code128"
        price = currency = None
        if fmt.show_price and pricelist:
            currency = pricelist.currency_id
            price = pricelist._get_product_price(product, 1.0, currency=currency)
        return {
            "title": self._title(fmt, product),
            "serial": "",
            "info": "",
            "extra": self._extra(fmt, product, product.company_id or self.env.company,
                                 price=price, currency=currency),
            "symbol_kind": kind,
            "symbol_value": barcode or "",
            "symbol_hr": kind != "code128",
            "hri": (barcode or "") if kind == "code128" else "",
        }
