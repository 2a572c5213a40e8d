"""The pattern form's preview and length are those of a real product's serials."""

from odoo.tests import Form, tagged

from .common import SerialInventoryCase


@tagged("post_install", "-at_install")
class TestSerialPatternPreview(SerialInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pattern = cls._create_pattern(
            "PV-{REF}-{SEQ:5:36}{CHECK}", "mod37_36", name="Preview pattern")
        cls.phone = cls._create_serial_product(
            "Preview phone", cls.pattern, default_code="X200")
        cls.tablet = cls._create_serial_product(
            "Preview tablet", cls.pattern, default_code="TAB-9000")

    def test_preview_and_length_are_those_of_the_first_product(self):
        form = Form(self.pattern)
        self.assertEqual(form.preview_product_tmpl_id, self.phone.product_tmpl_id)
        self.assertEqual(form.max_length, 14)  # PV-X200-00001 and a check character
        self.assertIn(self.phone.display_name, form.preview_note)
        preview = form.preview.splitlines()
        self.assertEqual(len(preview), 5)
        self.assertNotIn("REF", form.preview)
        # What the form shows is what the product really gets next.
        generated = self.pattern._generate(5, self.phone.product_tmpl_id)
        self.assertEqual(generated, preview)
        self.assertEqual({len(serial) for serial in generated}, {14})

    def test_another_product_chosen_in_the_form(self):
        form = Form(self.pattern)
        form.preview_product_tmpl_id = self.tablet.product_tmpl_id
        self.assertEqual(form.max_length, 17)  # PV-TAB9000-00001 and a check character
        self.assertIn(self.tablet.display_name, form.preview_note)
        preview = form.preview.splitlines()
        self.assertTrue(all(serial.startswith("PV-TAB9000-") for serial in preview))
        self.assertEqual(self.pattern._generate(5, self.tablet.product_tmpl_id), preview)

    def test_pattern_of_no_product_says_its_reference_is_a_placeholder(self):
        lonely = self._create_pattern("LN-{REF}-{SEQ:4}", name="Lonely pattern")
        form = Form(lonely)
        self.assertFalse(form.preview_product_tmpl_id)
        self.assertIn("No product uses this pattern", form.preview_note)
        self.assertTrue(form.preview.startswith("LN-REF-0001"))
        # The company's default pattern previews a product it numbers.
        self.env.company.serial_pattern_id = lonely
        self._create_serial_product("Unpatterned unit", default_code="UN1")
        lonely.invalidate_recordset()
        form = Form(lonely)
        numbered = form.preview_product_tmpl_id
        self.assertTrue(numbered)
        self.assertEqual(numbered._get_serial_pattern(), lonely)
        self.assertIn(numbered.display_name, form.preview_note)

    def test_product_form_preview_keeps_its_own_reference(self):
        self.assertEqual(self.tablet.product_tmpl_id.serial_pattern_preview.splitlines()[0][:11],
                         "PV-TAB9000-")
