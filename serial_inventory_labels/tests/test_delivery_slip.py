from lxml import html as lxml_html

from odoo.tests import tagged

from .common import LabelCase


@tagged("post_install", "-at_install")
class TestDeliverySlip(LabelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.customer.lang = "fr_FR"
        cls.env.user.groups_id |= cls.env.ref("stock.group_lot_on_delivery_slip")
        cls.pattern = cls._create_pattern("SLIP{SEQ:4}", name="Slip test pattern")
        cls.product = cls._create_serial_product("Slip Widget", cls.pattern)
        cls.lots = cls._receive_lots(cls.product, 12)

    @classmethod
    def _receive_lots(cls, product, quantity):
        receipt = cls._make_picking(cls.picking_type_in, product, quantity)
        lots = receipt.move_ids._serial_fill_from_pattern()
        receipt.button_validate()
        return lots

    def _slip(self, picking):
        html, _kind = self.reports._render_qweb_html("stock.action_report_delivery", picking.ids)
        return lxml_html.fromstring(html.decode())

    def test_done_delivery_lists_serials_and_total_in_customer_language(self):
        delivery = self._create_delivery([(self.product, 12)])
        delivery.action_assign()
        self.assertEqual(delivery.move_line_ids.lot_id, self.lots)
        self._validate(delivery)
        page = self._slip(delivery)
        text = page.text_content()
        for name in self.lots.mapped("name"):
            self.assertEqual(text.count(name), 1, name)
        (total,) = page.xpath("//p[@name='serial_units_total']")
        self.assertEqual(" ".join(total.text_content().split()), "Total units: 12 (douze)")

    def test_delivery_not_done_lists_its_assigned_serials(self):
        delivery = self._create_delivery([(self.product, 3)])
        delivery.action_assign()
        page = self._slip(delivery)
        (serials,) = page.xpath("//div[@name='serial_numbers']")
        self.assertEqual(serials.xpath("span")[1].text_content().split(", "),
                         delivery.move_line_ids.lot_id.mapped("name"))
        (total,) = page.xpath("//p[@name='serial_units_total']")
        self.assertEqual(" ".join(total.text_content().split()), "Total units: 3 (trois)")

    def test_units_total_counts_units_only_and_converts_dozens(self):
        plain = self.env["product.product"].create({"name": "Bolt", "is_storable": True})
        sugar = self.env["product.product"].create({
            "name": "Sugar", "is_storable": True, "uom_id": self.env.ref("uom.product_uom_kgm").id,
            "uom_po_id": self.env.ref("uom.product_uom_kgm").id})
        delivery = self._create_delivery([(plain, 1), (sugar, 5)])
        delivery.move_ids.filtered(lambda move: move.product_id == plain).product_uom = \
            self.env.ref("uom.product_uom_dozen")
        total = delivery.with_context(lang="en_US")._serial_units_total()
        self.assertEqual(total, {"quantity": 12, "figure": "12", "words": "twelve"})
        self.env["res.lang"]._activate_lang("de_DE")
        total = delivery.with_context(lang="de_DE")._serial_units_total()
        self.assertEqual(total["words"], "zwölf")
