from lxml import html as lxml_html

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import LabelCase


@tagged("post_install", "-at_install")
class TestPrintFlows(LabelCase):
    """Where users print labels from: serial lists, receipts, products, serials made ahead."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pattern = cls._create_pattern("FLOW{SEQ:5}", name="Flow test pattern")
        cls.product = cls._create_serial_product("Flow Widget", cls.pattern, default_code="FW")

    def test_selected_serials_print_through_the_lot_label_dialog(self):
        names = self.pattern._generate(3, self.product)
        lots = self.env["stock.lot"]._serial_bulk_create(self.product, names, from_pattern=True)
        server_action = self.env.ref(
            "serial_inventory_labels.action_stock_lot_print_serial_labels")
        dialog = server_action.with_context(
            active_model="stock.lot", active_ids=lots.ids, active_id=lots[0].id).run()
        self.assertEqual(dialog["res_model"], "lot.label.layout")
        with Form(self.env["lot.label.layout"].with_context(**dialog["context"]),
                  view="stock.lot_label_layout_form_picking") as form:
            self.assertEqual(form.print_format, "serial_label")
            self.assertEqual(form.serial_label_format_id, self.a4_3x8)
            form.serial_label_format_id = self.thermal_2x1
        action = form.record.process()
        self.assertEqual(action["data"], {"label_format_id": self.thermal_2x1.id,
                                          "lot_ids": lots.ids})
        self.assertTrue(action["close_on_report_download"])

    def test_receipt_without_serial_has_nothing_to_print(self):
        receipt = self._create_receipt([(self.product, 2)])
        with self.assertRefused(UserError, receipt.name):
            receipt.action_print_serial_labels()

    def test_odoo_formats_of_the_lot_dialog_are_unchanged(self):
        receipt = self._create_receipt([(self.product, 2)])
        receipt.move_ids._serial_fill_from_pattern()
        wizard = self.env["lot.label.layout"].create({
            "move_line_ids": [(6, 0, receipt.move_line_ids.ids)], "print_format": "4x12"})
        self.assertEqual(wizard.process()["report_name"], "stock.report_lot_label")

    def test_generate_serials_ahead_and_print_their_labels(self):
        wizard = self.env["serial.pregenerate"].create({
            "product_id": self.product.id, "quantity": 4,
            "serial_label_format_id": self.thermal_2x1.id, "serial_label_output": "zpl"})
        action = wizard.action_generate_and_print()
        lots = self.env["stock.lot"].browse(action["data"]["lot_ids"])
        self.assertEqual(len(lots), 4)
        self.assertEqual(lots.product_id, self.product)
        self.assertEqual(action["report_type"], "qweb-text")
        zpl = self._run_report_action(action)
        self.assertEqual(zpl.count("^XA"), 4)
        for lot in lots:
            self.assertIn(f"^FD{lot.name}^FS", zpl)

    def test_product_labels_in_a_label_format(self):
        product = self.env["product.product"].create({
            "name": "Plain Widget", "default_code": "PW-1", "barcode": "4006381333931",
            "list_price": 12.5})
        no_barcode = self.env["product.product"].create({"name": "Unmarked Widget"})
        label_format = self.env.ref("serial_inventory_labels.label_format_a4_4x10").copy(
            {"name": "Prices", "show_price": True})
        wizard = self.env["product.label.layout"].create({
            "product_ids": [(6, 0, (product | no_barcode).ids)], "custom_quantity": 3,
            "print_format": "serial_label", "serial_label_format_id": label_format.id})
        xml_id, data = wizard._prepare_report_data()
        self.assertEqual(xml_id, "serial_inventory_labels.action_report_product_label")
        html, _kind = self.reports._render_qweb_html(xml_id, None, data=data)
        labels = lxml_html.fromstring(html.decode()).xpath("//div[hasclass('o_sl_label')]")
        self.assertEqual(len(labels), 6)
        kinds = [svg.get("data-barcode-kind") for svg in labels[0].xpath(".//svg")]
        self.assertEqual(kinds, ["ean13"])
        self.assertFalse(labels[-1].xpath(".//svg"))
        self.assertIn("12.50", labels[0].text_content())
        pdf = self._run_report_action(self.env.ref(xml_id).report_action(
            None, data=data, config=False))
        self.assertPagesOfSize(pdf, 1, 210, 297)
        self.assertEqual(self._pdf_text(pdf).count("Unmarked Widget"), 3)
