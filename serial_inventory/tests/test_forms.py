"""The forms users open on products and serials, driven the way the web client drives them
(``odoo.tests.Form``: onchanges, computed fields, view modifiers), new and existing records."""

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import SerialInventoryCase


@tagged("post_install", "-at_install")
class TestForms(SerialInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # An inventory manager who sees serial numbers, as the forms' field groups require.
        cls.user = new_test_user(
            cls.env, login="serial_forms_manager",
            groups="stock.group_stock_manager,stock.group_production_lot",
        )
        cls.env = cls.env(user=cls.user)
        cls.pattern = cls._create_pattern("FRM-{REF}-{SEQ:4}", name="Forms pattern")
        cls.other_pattern = cls._create_pattern("ALT{SEQ:5:36}", name="Forms other pattern")

    def _preview(self, pattern, reference):
        """The five serials ``pattern`` shows next for a product of internal reference
        ``reference``, read afresh (counters are PostgreSQL sequences)."""
        self.env.invalidate_all()
        parsed = pattern._parsed()
        return parsed.render_many(pattern.next_counter, 5,
                                  on=fields.Date.context_today(pattern),
                                  reference=reference or "")

    def _assert_preview(self, template, pattern):
        self.env.invalidate_all()
        if pattern:
            self.assertEqual(template.serial_pattern_preview.splitlines(),
                             self._preview(pattern, template.default_code))
        else:
            self.assertFalse(template.serial_pattern_preview)

    # ------------------------------------------------------------------
    # product.product: Inventory > Products > Product Variants
    # ------------------------------------------------------------------
    def test_variant_form_new_serial_with_pattern(self):
        form = Form(self.env["product.product"])
        # A new variant has a new template and no variant of its own yet: the preview is
        # computed while the form is still empty, then again as fields are filled in.
        self.assertFalse(form.serial_pattern_preview)
        form.name = "Form variant"
        form.default_code = "fv-1"
        form.barcode = "4006381333931"
        form.is_storable = True
        form.tracking = "serial"
        self.assertFalse(form.serial_pattern_preview)  # no pattern, none on the company
        form.serial_pattern_id = self.pattern
        self.assertEqual(form.serial_pattern_preview.splitlines(),
                         self._preview(self.pattern, "fv-1"))
        product = form.save()

        self.assertEqual(product.name, "Form variant")
        self.assertEqual(product.default_code, "fv-1")
        self.assertEqual(product.barcode, "4006381333931")
        self.assertTrue(product.is_storable)
        self.assertEqual(product.tracking, "serial")
        self.assertEqual(product.serial_pattern_id, self.pattern)
        self.assertEqual(product.product_tmpl_id.serial_pattern_id, self.pattern)
        self.assertEqual(product._get_serial_pattern(), self.pattern)
        self.assertEqual(product.product_tmpl_id.product_variant_ids, product)
        self._assert_preview(product.product_tmpl_id, self.pattern)

    def test_variant_form_new_untracked(self):
        form = Form(self.env["product.product"])
        form.name = "Form plain variant"
        self.assertFalse(form.serial_pattern_preview)
        product = form.save()
        self.assertEqual(product.name, "Form plain variant")
        self.assertEqual(product.tracking, "none")
        self.assertFalse(product.serial_pattern_id)
        self.assertFalse(product._get_serial_pattern())
        self._assert_preview(product.product_tmpl_id, None)

    def test_variant_form_new_refuses_wrong_gtin(self):
        form = Form(self.env["product.product"])
        form.name = "Form wrong barcode"
        form.barcode = "4006381333932"  # check digit should be 1
        with self.assertRefused(ValidationError, "4006381333932", "EAN-13"):
            form.save()

    def test_variant_form_existing(self):
        product = self._create_serial_product("Existing variant", self.pattern,
                                              default_code="ev-1")
        with Form(product) as form:
            self.assertEqual(form.serial_pattern_preview.splitlines(),
                             self._preview(self.pattern, "ev-1"))
            form.default_code = "ev-2"
            form.serial_pattern_id = self.other_pattern
            form.barcode = "96385074"  # EAN-8
        self.assertEqual(product.default_code, "ev-2")
        self.assertEqual(product.barcode, "96385074")
        self.assertEqual(product.serial_pattern_id, self.other_pattern)
        self.assertEqual(product._get_serial_pattern(), self.other_pattern)
        self._assert_preview(product.product_tmpl_id, self.other_pattern)

        with Form(product) as form:
            form.tracking = "lot"
        self.assertEqual(product.tracking, "lot")
        self.assertFalse(product._get_serial_pattern())
        self._assert_preview(product.product_tmpl_id, None)

    # ------------------------------------------------------------------
    # product.template: Inventory > Products > Products
    # ------------------------------------------------------------------
    def test_template_form_new_with_pattern(self):
        form = Form(self.env["product.template"])
        self.assertFalse(form.serial_pattern_preview)
        form.name = "Form template"
        form.default_code = "ft-1"
        form.is_storable = True
        form.tracking = "serial"
        form.serial_pattern_id = self.pattern
        self.assertEqual(form.serial_pattern_preview.splitlines(),
                         self._preview(self.pattern, "ft-1"))
        template = form.save()

        self.assertEqual(template.name, "Form template")
        self.assertEqual(template.tracking, "serial")
        self.assertEqual(template.serial_pattern_id, self.pattern)
        self.assertEqual(template._get_serial_pattern(), self.pattern)
        self.assertEqual(len(template.product_variant_ids), 1)
        self.assertEqual(template.product_variant_ids.serial_pattern_id, self.pattern)
        self.assertEqual(template.product_variant_ids._get_serial_pattern(), self.pattern)
        self._assert_preview(template, self.pattern)

    def test_template_form_new_without_pattern(self):
        form = Form(self.env["product.template"])
        form.name = "Form template without pattern"
        form.is_storable = True
        form.tracking = "serial"
        self.assertFalse(form.serial_pattern_preview)
        template = form.save()
        self.assertEqual(template.tracking, "serial")
        self.assertFalse(template.serial_pattern_id)
        self.assertFalse(template._get_serial_pattern())
        self._assert_preview(template, None)

        # The company's default pattern numbers serial products without one of their own,
        # in the form of a new product as after saving.
        self.company.sudo().serial_pattern_id = self.other_pattern
        form = Form(self.env["product.template"])
        form.name = "Form template, company pattern"
        form.is_storable = True
        form.tracking = "serial"
        self.assertEqual(form.serial_pattern_preview.splitlines(),
                         self._preview(self.other_pattern, False))
        template = form.save()
        self.assertFalse(template.serial_pattern_id)
        self.assertEqual(template._get_serial_pattern(), self.other_pattern)
        self._assert_preview(template, self.other_pattern)
        self._assert_preview(self.env["product.template"], None)

    def test_template_form_existing(self):
        template = self._create_serial_product("Existing template").product_tmpl_id
        with Form(template) as form:
            self.assertFalse(form.serial_pattern_preview)
            form.serial_pattern_id = self.pattern
            form.default_code = "et-1"
            self.assertEqual(form.serial_pattern_preview.splitlines(),
                             self._preview(self.pattern, "et-1"))
        self.assertEqual(template.serial_pattern_id, self.pattern)
        self.assertEqual(template.default_code, "et-1")
        self.assertEqual(template.product_variant_ids._get_serial_pattern(), self.pattern)
        self._assert_preview(template, self.pattern)

        with Form(template) as form:
            form.serial_pattern_id = self.env["serial.pattern"]
        self.assertFalse(template.serial_pattern_id)
        self._assert_preview(template, None)

    def test_template_without_variants(self):
        """A template with no variant to ask (variants only created on demand, or all of
        them archived) is numbered by its own fields, in the form and after saving."""
        attribute = self.env["product.attribute"].create({
            "name": "Engraving (forms test)",
            "create_variant": "dynamic",
            "value_ids": [Command.create({"name": "None"}), Command.create({"name": "Name"})],
        })
        template = self.env["product.template"].create({
            "name": "Dynamic variants", "is_storable": True, "tracking": "serial",
            "default_code": "dv-1", "serial_pattern_id": self.pattern.id,
            "attribute_line_ids": [Command.create({
                "attribute_id": attribute.id, "value_ids": [Command.set(attribute.value_ids.ids)],
            })],
        })
        self.assertFalse(template.product_variant_ids)
        self.assertEqual(template._get_serial_pattern(), self.pattern)
        self._assert_preview(template, self.pattern)
        with Form(template) as form:
            self.assertEqual(form.serial_pattern_preview.splitlines(),
                             self._preview(self.pattern, "dv-1"))
            form.serial_pattern_id = self.other_pattern
        self.assertEqual(template.serial_pattern_id, self.other_pattern)
        self._assert_preview(template, self.other_pattern)

        # Archiving the only variant archives the template; its form still opens (from the
        # Archived filter) with no active variant behind it.
        product = self._create_serial_product("Archived variant", self.pattern,
                                              default_code="av-1")
        archived = product.product_tmpl_id
        product.action_archive()
        self.assertFalse(archived.active)
        self.assertFalse(archived.product_variant_ids)
        self._assert_preview(archived, self.pattern)
        with Form(archived) as form:
            self.assertEqual(form.serial_pattern_preview.splitlines(),
                             self._preview(self.pattern, "av-1"))
            form.name = "Archived variant, renamed"
        self.assertEqual(archived.name, "Archived variant, renamed")

    # ------------------------------------------------------------------
    # stock.lot: Inventory > Products > Lots/Serial Numbers
    # ------------------------------------------------------------------
    def test_lot_form_new_from_product(self):
        # A pattern of its own: the default name takes the pattern's next counter.
        pattern = self._create_pattern("LF-{REF}-{SEQ:4}", name="Lot form pattern")
        product = self._create_serial_product("Lot form unit", pattern, default_code="lf")
        expected = self._preview(pattern, "lf")[0]
        batch = self.env["serial.batch"].create({"name": "LF-BATCH", "product_id": product.id})

        form = Form(self.env["stock.lot"].with_context(default_product_id=product.id))
        self.assertEqual(form.name, expected)
        self.assertEqual(form.product_id, product)
        form.ref = "internal ref 1"
        form.manufacture_date = "2024-03-01"
        form.serial_batch_id = batch
        lot = form.save()

        self.assertEqual(lot.name, expected)
        self.assertEqual(lot.product_id, product)
        self.assertEqual(lot.ref, "internal ref 1")
        self.assertEqual(lot.manufacture_date, fields.Date.to_date("2024-03-01"))
        self.assertEqual(lot.serial_batch_id, batch)
        # The product belongs to no company: as in Odoo, neither does its unit, which
        # still joins the batch of the company creating it.
        self.assertFalse(product.company_id)
        self.assertFalse(lot.company_id)
        self.assertEqual(batch.company_id, self.company)
        self.assertEqual(lot.serial_state, "new")
        # Serials are unique by their key: upper case, without separators.
        self.assertEqual(lot.serial_unique_key,
                         f"c0:p{product.id}:{expected.replace('-', '')}")

    def test_lot_form_new_without_pattern(self):
        product = self._create_serial_product("Lot form plain unit")
        form = Form(self.env["stock.lot"].with_context(default_product_id=product.id))
        self.assertTrue(form.name)  # Odoo's own serial sequence
        form.name = "PLAIN-FORM-1"
        lot = form.save()
        self.assertEqual(lot.name, "PLAIN-FORM-1")
        self.assertEqual(lot.product_id, product)
        self.assertFalse(lot.company_id)  # as Odoo leaves a shared product's lot

    def test_lot_form_new_checks_check_character(self):
        pattern = self._create_pattern("CK{SEQ:4}{CHECK}", "mod37_36", name="Lot form check")
        product = self._create_serial_product("Lot form checked unit", pattern)
        form = Form(self.env["stock.lot"].with_context(default_product_id=product.id))
        generated = form.name
        self.assertTrue(pattern._parsed().matches(generated))
        # One wrong character is refused on save.
        form.name = generated[:-1] + ("A" if generated[-1] != "A" else "B")
        with self.assertRaises(ValidationError):
            form.save()

    def test_lot_form_existing(self):
        product = self._create_serial_product("Existing lot unit", self.pattern,
                                              default_code="el")
        name = self.pattern._generate(1, product)[0]
        lot = self.env["stock.lot"].create({"name": name, "product_id": product.id})
        with Form(lot) as form:
            self.assertEqual(form.name, name)
            form.ref = "shelf 4"
            form.manufacture_date = "2023-12-24"
            form.note = "<p>Returned once, inspected.</p>"
        self.assertEqual(lot.name, name)
        self.assertEqual(lot.ref, "shelf 4")
        self.assertEqual(lot.manufacture_date, fields.Date.to_date("2023-12-24"))
        self.assertIn("inspected", lot.note)
        self.assertFalse(lot.company_id)  # as Odoo leaves a shared product's lot
        self.assertEqual(lot.serial_unique_key, f"c0:p{product.id}:{name.replace('-', '')}")
