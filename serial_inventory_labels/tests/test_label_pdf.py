import math
import re
from collections import Counter

from lxml import html as lxml_html

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import LabelCase

SEEDED = ("label_format_a4_3x8", "label_format_a4_4x10", "label_format_letter_3x10",
          "label_format_thermal_2x1in", "label_format_thermal_4x6in",
          "label_format_thermal_57x32")


@tagged("post_install", "-at_install")
class TestLabelPdf(LabelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pattern = cls._create_pattern("LBL{SEQ:6}", name="Label test pattern")
        cls.product = cls._create_serial_product(
            "Label Widget", cls.pattern, default_code="LW-1", barcode="4006381333931")
        cls.free_product = cls._create_serial_product("Free-form Widget")

    def _lots(self, count, product=None):
        product = product or self.product
        names = product._get_serial_pattern()._generate(count, product)
        return self.env["stock.lot"]._serial_bulk_create(product, names, from_pattern=True)

    def test_receipt_of_1000_serials_prints_each_serial_once(self):
        """A 1,000-unit receipt, printed from its 'Serial Labels' button on A4 3 x 8."""
        receipt = self._create_receipt([(self.product, 1000)])
        lots = receipt.move_ids._serial_fill_from_pattern()
        self._validate(receipt)
        self.assertEqual(len(receipt.move_line_ids.lot_id), 1000)

        dialog = receipt.action_print_serial_labels()
        self.assertEqual(dialog["res_model"], "lot.label.layout")
        wizard = self.env["lot.label.layout"].with_context(**dialog["context"]).create({})
        self.assertEqual(wizard.print_format, "serial_label")
        wizard.serial_label_format_id = self.a4_3x8
        action = wizard.process()
        self.assertEqual(action["report_name"], "serial_inventory_labels.report_serial_label")
        pdf = self._run_report_action(action)

        per_page = self.a4_3x8.labels_per_page
        self.assertEqual(per_page, 24)
        self.assertPagesOfSize(pdf, math.ceil(1000 / per_page), 210, 297)
        words = Counter(self._pdf_text(pdf).split())
        self.assertEqual({name: words[name] for name in lots.mapped("name")},
                         dict.fromkeys(lots.mapped("name"), 1))
        printed_serials = [word for word in words if re.fullmatch(r"LBL\d{6}", word)]
        self.assertEqual(len(printed_serials), 1000, "a serial that was not received printed")

    def test_every_format_prints_its_page_size_and_grid(self):
        lots = self._lots(31)
        for xmlid in SEEDED:
            label_format = self.env.ref(f"serial_inventory_labels.{xmlid}")
            with self.subTest(label_format=label_format.name):
                pdf = self._print_lots(label_format, lots)
                width, height = label_format._page_size_mm()
                self.assertPagesOfSize(
                    pdf, math.ceil(len(lots) / label_format.labels_per_page), width, height)
                text = self._pdf_text(pdf)
                self.assertEqual([self._count_serial(text, name) for name in lots.mapped("name")],
                                 [1] * len(lots))

    def test_landscape_format_turns_the_page(self):
        landscape = self.formats.create({
            "name": "A4 landscape 2 x 2", "orientation": "landscape", "rows": 2, "columns": 2,
            "margin_top_mm": 10, "margin_left_mm": 10, "gap_horizontal_mm": 5,
            "gap_vertical_mm": 5, "label_width_mm": 130, "label_height_mm": 90,
        })
        self.assertEqual(landscape._page_size_mm(), (297.0, 210.0))
        pdf = self._print_lots(landscape, self._lots(5))
        self.assertPagesOfSize(pdf, 2, 297, 210)

    def test_wkhtmltopdf_gets_the_exact_page_of_the_format(self):
        """Paper formats hold whole millimetres: the label page size goes to wkhtmltopdf as
        given, replacing any size or orientation of the report's paper format."""
        euro = self.env.ref("base.paperformat_euro")
        args = self.reports.with_context(serial_label_page_mm=(50.8, 25.4))\
            ._build_wkhtmltopdf_args(euro, True)
        self.assertNotIn("--page-size", args)
        self.assertEqual(args[args.index("--page-width") + 1], "50.800mm")
        self.assertEqual(args[args.index("--page-height") + 1], "25.400mm")
        self.assertEqual([args[i + 1] for i, arg in enumerate(args) if arg == "--orientation"],
                         ["Portrait"])
        self.assertIn("--page-size", self.reports._build_wkhtmltopdf_args(euro, False))
        self.env["ir.config_parameter"].set_param("serial_inventory_labels.pdf_zoom", "1.25")
        self.assertEqual(self.reports._serial_label_pdf_zoom(), 1.25)

    def test_a_format_whose_labels_overflow_is_refused(self):
        with self.assertRefused(ValidationError, "overflow the page width"):
            self.formats.create({"name": "Too wide", "columns": 4, "label_width_mm": 60})

    def test_markup_in_a_serial_prints_literally(self):
        """Products without pattern take any serial: markup in it is text, never HTML."""
        serial = "<b>X&\"Q'</b>"
        lot = self.env["stock.lot"].create({"name": serial, "product_id": self.free_product.id})
        page = lxml_html.fromstring(self._html(self.a4_3x8, lot))
        self.assertFalse(page.xpath("//div[hasclass('o_sl_label')]//b"), "markup was injected")
        self.assertEqual(page.xpath("//div[hasclass('o_sl_hri')]")[0].text_content(), serial)
        pdf = self._print_lots(self.a4_3x8, lot)
        self.assertIn(serial, self._pdf_text(pdf))
        zpl = self._print_lots(self.thermal_2x1, lot, output="zpl")
        self.assertIn(serial, zpl)

    def test_show_flags_choose_what_a_label_says(self):
        batch = self.env["serial.batch"].create({"name": "BATCH-7", "product_id": self.product.id})
        lot = self._lots(1)
        lot.write({"serial_batch_id": batch.id, "manufacture_date": "2026-02-03",
                   "expiration_date": "2027-04-05 12:00:00"})
        label_format = self.a4_3x8.copy({
            "name": "Flags", "show_product_name": False, "show_manufacture_date": True,
            "show_company": True, "show_price": True, "show_expiration_date": False,
        })
        text = lxml_html.fromstring(self._html(label_format, lot)).xpath(
            "//div[hasclass('o_sl_label')]")[0].text_content()
        self.assertNotIn("Label Widget", text)
        self.assertIn("[LW-1]", text)
        self.assertIn("BATCH-7", text)
        self.assertNotIn("2027", text)
        self.assertIn("2026", text)
        self.assertIn(self.env.company.name, text)
        self.assertIn(lot.name, text)

    def test_barcode_kinds_draw_their_symbol(self):
        lot = self._lots(1)
        lot.expiration_date = "2027-04-05 12:00:00"
        expected = {"code128": "code128", "gs1_128": "gs1_128", "qr": "qr",
                    "datamatrix": "gs1_datamatrix"}
        for barcode_kind, svg_kind in expected.items():
            with self.subTest(barcode_kind=barcode_kind):
                label_format = self.thermal_4x6.copy({"name": barcode_kind,
                                                      "barcode_kind": barcode_kind})
                page = lxml_html.fromstring(self._html(label_format, lot))
                svgs = page.xpath("//div[hasclass('o_sl_label')]//svg")
                self.assertEqual([svg.get("data-barcode-kind") for svg in svgs], [svg_kind])
        label_format = self.thermal_4x6.copy({"name": "GS1", "barcode_kind": "gs1_128"})
        hri = lxml_html.fromstring(self._html(label_format, lot)).xpath(
            "//div[hasclass('o_sl_hri')]")[0].text_content()
        self.assertEqual(hri, f"(01)04006381333931(17)270405(21){lot.name}")
        url = self.env["report.serial_inventory_labels.report_serial_label"]._verification_url(
            "https://erp.example.com", "A B/1")
        self.assertEqual(url, "https://erp.example.com/serial/verify?serial=A%20B%2F1")
