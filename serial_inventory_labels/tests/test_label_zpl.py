import json
from urllib.parse import quote

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import LabelCase, decode_code128_field, parse_zpl


@tagged("post_install", "-at_install")
class TestLabelZpl(LabelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pattern = cls._create_pattern("ZPL-{SEQ:5}", name="ZPL test pattern")
        cls.product = cls._create_serial_product(
            "Zebra Widget", cls.pattern, default_code="ZW-9", barcode="4006381333931")
        cls.receipt = cls._make_picking(cls.picking_type_in, cls.product, 25)
        cls.lots = cls.receipt.move_ids._serial_fill_from_pattern()

    def _zpl_through_lot_dialog(self, label_format):
        """ZPL as Odoo's lot label dialog prints it when 'ZPL Labels' has a label format."""
        wizard = self.env["lot.label.layout"].create({
            "move_line_ids": [(6, 0, self.receipt.move_line_ids.ids)],
            "label_quantity": "lots",
            "print_format": "zpl",
            "serial_label_format_id": label_format.id,
        })
        action = wizard.process()
        self.assertEqual(action["report_type"], "qweb-text")
        self.assertEqual(action["report_name"],
                         "serial_inventory_labels.report_serial_label_zpl")
        return self._run_report_action(action)

    def assertFieldsInside(self, label):
        self.assertGreater(label.width, 0)
        self.assertGreater(label.length, 0)
        for zpl_field in label.fields:
            self.assertTrue(0 <= zpl_field.x < label.width, zpl_field)
            self.assertTrue(0 <= zpl_field.y < label.length, zpl_field)
            self.assertLessEqual(zpl_field.y + zpl_field.height, label.length, zpl_field)

    def test_one_label_per_serial_with_the_serial_in_its_barcode(self):
        labels = parse_zpl(self._zpl_through_lot_dialog(self.thermal_2x1))
        self.assertEqual(len(labels), len(self.lots))
        for label, lot in zip(labels, self.lots, strict=True):
            with self.subTest(serial=lot.name):
                # 2 x 1 in at 203 dpi
                self.assertEqual((label.width, label.length), (406, 203))
                self.assertFieldsInside(label)
                barcodes = label.barcodes("code128")
                self.assertEqual(len(barcodes), 1)
                self.assertEqual(decode_code128_field(barcodes[0].data), lot.name)

    def test_gs1_format_at_300_dpi(self):
        label_format = self.thermal_4x6.copy({"name": "4 x 6 at 300 dpi", "zpl_dpi": "300"})
        labels = parse_zpl(self._zpl_through_lot_dialog(label_format))
        self.assertEqual(len(labels), len(self.lots))
        for label, lot in zip(labels, self.lots, strict=True):
            self.assertEqual((label.width, label.length), (1200, 1800))
            self.assertFieldsInside(label)
            (barcode,) = label.barcodes("code128")
            # (01) GTIN from the product's barcode, then (21) the serial; no expiry or batch.
            self.assertEqual(decode_code128_field(barcode.data), f"010400638133393121{lot.name}")

    def test_qr_format_carries_the_verification_address(self):
        label_format = self.env.ref("serial_inventory_labels.label_format_thermal_57x32").copy(
            {"name": "57 x 32 QR", "barcode_kind": "qr"})
        labels = parse_zpl(self._zpl_through_lot_dialog(label_format))
        base_url = self.env["stock.lot"].get_base_url()
        for label, lot in zip(labels, self.lots, strict=True):
            self.assertFieldsInside(label)
            (code,) = label.barcodes("qr")
            self.assertEqual(code.data, f"MA,{base_url}/serial/verify?serial={lot.name}")

    def test_zpl_without_a_format_stays_odoo_standard(self):
        wizard = self.env["lot.label.layout"].create({
            "move_line_ids": [(6, 0, self.receipt.move_line_ids.ids)],
            "print_format": "zpl",
        })
        action = wizard.process()
        self.assertEqual(action["report_name"], "stock.label_lot_template_view")


@tagged("post_install", "-at_install")
class TestZplDownload(HttpCase):
    def test_zpl_download_is_a_zpl_file(self):
        product = self.env["product.product"].create(
            {"name": "Download Widget", "is_storable": True, "tracking": "serial"})
        lot = self.env["stock.lot"].create({"name": "DL-0001", "product_id": product.id})
        label_format = self.env.ref("serial_inventory_labels.label_format_thermal_2x1in")
        action = label_format._action_print_lots(lot.ids, "zpl")
        url = (f"/report/text/{action['report_name']}?options={quote(json.dumps(action['data']))}"
               f"&context={quote('{}')}")
        self.authenticate("admin", "admin")
        response = self.url_open("/report/download", data={
            "data": json.dumps([url, "qweb-text"]),
            "context": "{}",
            "token": "dummy",
            "csrf_token": http.Request.csrf_token(self),
        })
        self.assertEqual(response.status_code, 200)
        self.assertIn(".zpl", response.headers["Content-Disposition"])
        self.assertIn("^FDDL-0001^FS", response.text)
        self.assertEqual(response.text.count("^XA"), 1)
