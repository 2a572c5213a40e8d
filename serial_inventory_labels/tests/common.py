"""Fixtures and readers shared by the label tests: real PDFs (wkhtmltopdf, pdftotext) and a
small ZPL II reader."""

import io
import re
import subprocess
import tempfile
from dataclasses import dataclass, field

from odoo.tools.pdf import PdfFileReader

from odoo.addons.serial_inventory.tests.common import SerialInventoryCase

MM_PER_POINT = 25.4 / 72


class LabelCase(SerialInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reports = cls.env["ir.actions.report"]
        cls.formats = cls.env["serial.label.format"]
        cls.a4_3x8 = cls.env.ref("serial_inventory_labels.label_format_a4_3x8")
        cls.thermal_2x1 = cls.env.ref("serial_inventory_labels.label_format_thermal_2x1in")
        cls.thermal_4x6 = cls.env.ref("serial_inventory_labels.label_format_thermal_4x6in")

    @classmethod
    def _make_picking(cls, picking_type, product, quantity):
        """A confirmed receipt or delivery of ``quantity`` units of ``product``."""
        source, destination = (
            (cls.supplier_location, cls.stock_location) if picking_type == cls.picking_type_in
            else (cls.stock_location, cls.customer_location))
        picking = cls.env["stock.picking"].create({
            "picking_type_id": picking_type.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "partner_id": (cls.supplier if picking_type == cls.picking_type_in
                           else cls.customer).id,
            "move_ids": [(0, 0, {
                "name": product.display_name, "product_id": product.id,
                "product_uom_qty": quantity, "product_uom": product.uom_id.id,
                "location_id": source.id, "location_dest_id": destination.id,
            })],
        })
        picking.action_confirm()
        return picking

    # ------------------------------------------------------------------
    # Printing
    # ------------------------------------------------------------------
    def _run_report_action(self, action):
        """Render a report action the way the web client's download does."""
        self.assertEqual(action["type"], "ir.actions.report")
        reports = self.reports.with_context(force_report_rendering=True)
        if action["report_type"] == "qweb-text":
            content, _kind = reports._render_qweb_text(
                action["report_name"], None, data=dict(action["data"]))
            return content.decode() if isinstance(content, bytes) else str(content)
        content, kind = reports._render_qweb_pdf(
            action["report_name"], None, data=dict(action["data"]))
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"), "wkhtmltopdf did not produce a PDF")
        return content

    def _print_lots(self, label_format, lots, output="pdf"):
        return self._run_report_action(label_format._action_print_lots(lots.ids, output))

    def _html(self, label_format, lots):
        html, _kind = self.reports._render_qweb_html(
            "serial_inventory_labels.action_report_serial_label", None,
            data={"label_format_id": label_format.id, "lot_ids": lots.ids})
        return html.decode()

    # ------------------------------------------------------------------
    # Reading PDFs
    # ------------------------------------------------------------------
    @staticmethod
    def _pdf_text(pdf):
        """The PDF's text as pdftotext (poppler) reads it."""
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf_file:
            pdf_file.write(pdf)
            pdf_file.flush()
            completed = subprocess.run(
                ["pdftotext", "-enc", "UTF-8", pdf_file.name, "-"],
                capture_output=True, check=True)
        return completed.stdout.decode()

    @staticmethod
    def _pdf_pages_mm(pdf):
        """(width, height) of each page, in mm."""
        reader = PdfFileReader(io.BytesIO(pdf))
        sizes = []
        for number in range(reader.getNumPages()):
            box = reader.getPage(number).mediaBox
            sizes.append((float(box.getWidth()) * MM_PER_POINT,
                          float(box.getHeight()) * MM_PER_POINT))
        return sizes

    @staticmethod
    def _count_serial(text, serial):
        """How many times ``serial`` is printed in ``text`` as a whole code (not inside a
        longer one); a GS1 line prints it after its AI, as ``(21)serial``."""
        return len(re.findall(rf"(?<![\w-]){re.escape(serial)}(?![\w-])", text))

    def assertPagesOfSize(self, pdf, count, width_mm, height_mm):
        sizes = self._pdf_pages_mm(pdf)
        self.assertEqual(len(sizes), count)
        for width, height in sizes:
            # A PDF page size is in whole points: within half a point (0.18 mm).
            self.assertAlmostEqual(width, width_mm, delta=0.2)
            self.assertAlmostEqual(height, height_mm, delta=0.2)


# ---------------------------------------------------------------------------------------------
# ZPL II reader
# ---------------------------------------------------------------------------------------------


@dataclass
class ZplField:
    kind: str  # "text", "code128", "qr" or "datamatrix"
    x: int
    y: int
    height: int
    data: str


@dataclass
class ZplLabel:
    width: int = 0
    length: int = 0
    fields: list = field(default_factory=list)

    def barcodes(self, kind):
        return [zpl_field for zpl_field in self.fields if zpl_field.kind == kind]


_COMMAND = re.compile(r"\^([A-Z@][A-Z0-9@]?)([^\^]*)")


def parse_zpl(text):
    """The labels of a ZPL II stream: one per ``^XA ... ^XZ``, with their fields."""
    blocks = re.findall(r"\^XA(.*?)\^XZ", text, re.S)
    outside = re.sub(r"\^XA.*?\^XZ", "", text, flags=re.S).strip()
    if outside:
        raise AssertionError(f"ZPL outside any ^XA ... ^XZ block: {outside[:80]!r}")
    return [_parse_block(block) for block in blocks]


def _parse_block(block):
    label = ZplLabel()
    origin = (None, None)
    kind, height, hexadecimal = None, 0, False
    bar_height = 0
    for name, arguments in _COMMAND.findall(block):
        arguments = arguments.rstrip("\n")
        values = arguments.split(",")
        if name == "PW":
            label.width = int(values[0])
        elif name == "LL":
            label.length = int(values[0])
        elif name == "FO":
            origin = (int(values[0]), int(values[1]))
        elif name == "BY":
            bar_height = int(values[2]) if len(values) > 2 and values[2] else 0
        elif name == "BC":
            kind, height = "code128", int(values[1] or bar_height)
        elif name == "BQ":
            kind, height = "qr", 0
        elif name == "BX":
            kind, height = "datamatrix", 0
        elif name.startswith("A"):
            kind, height = "text", int(values[1])
        elif name == "FH":
            hexadecimal = True
        elif name == "FD":
            data = arguments
            if hexadecimal:
                data = re.sub(r"_([0-9A-Fa-f]{2})", lambda match: chr(int(match[1], 16)), data)
            label.fields.append(ZplField(kind, origin[0], origin[1], height, data))
        elif name == "FS":
            kind, height, hexadecimal = None, 0, False
    return label


def decode_code128_field(data):
    """The text a ``^BC`` mode N field carries (invocation codes resolved; FNC1 as GS,
    a leading FNC1 dropped)."""
    text = []
    code_set = "B"
    position = 0
    while position < len(data):
        char = data[position]
        if char == ">" and position + 1 < len(data):
            code = data[position + 1]
            position += 2
            if code in ":6":
                code_set = "B"
            elif code in ";5":
                code_set = "C"
            elif code in "97":
                code_set = "A"
            elif code == "8":
                text.append("\x1d")
            elif code == "0":
                text.append(">")
            elif code == "<":
                text.append("^")
            elif code == "=":
                text.append("~")
            continue
        if code_set in "CA":
            pair = int(data[position:position + 2])
            position += 2
            if code_set == "C":
                text.append(f"{pair:02d}")
            else:
                text.append(chr(pair + 32) if pair < 64 else chr(pair - 64))
        else:
            text.append(char)
            position += 1
    return "".join(text).removeprefix("\x1d")
