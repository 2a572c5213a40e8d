"""Serial names (issue 11): one rule (lib/serial_name.py) at creation, in the uniqueness
key, in the check character and in every look-up; the counter is used on save only; serials
stored before the rule that it makes equal are reported, not merged."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SerialInventoryCase

NAMING_LOGGER = "odoo.addons.serial_inventory.models.serial_lot_naming"


@tagged("post_install", "-at_install")
class TestSerialNames(SerialInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Lot = cls.env["stock.lot"]
        cls.product = cls._create_serial_product("Named unit")
        cls.other_product = cls._create_serial_product("Other named unit")
        cls.lot_product = cls.env["product.product"].create(
            {"name": "Named bulk", "is_storable": True, "tracking": "lot"})

    def _lot(self, name, product=None, **values):
        return self.Lot.create({"name": name, "product_id": (product or self.product).id,
                                "company_id": self.company.id, **values})

    def _counter(self, pattern):
        pattern.sequence_id.invalidate_recordset(["number_next_actual"])
        pattern.invalidate_recordset(["next_counter"])
        return pattern.next_counter

    # ------------------------------------------------------------------
    # One serial, whatever the whitespace
    # ------------------------------------------------------------------
    def test_whitespace_variants_are_one_serial(self):
        lot = self._lot(" AB1\t")
        self.assertEqual(lot.name, "AB1")
        for typed in ("AB1", " AB1", "AB1 ", "AB1\t", "AB1\xa0", "\x1dAB1\r\n"):
            with self.subTest(typed=typed), self.assertChangesNothing(), \
                    self.assertRefused(ValidationError, "AB1", self.product.display_name):
                self._lot(typed)
        with self.assertChangesNothing(), self.assertRefused(ValidationError, "cannot be empty"):
            self._lot("   ")
        # Scanning any of them finds the one unit.
        for typed in (" AB1", "ab1", "AB1\xa0", "A-B.1"):
            self.assertEqual(self.Lot._serial_find(typed), lot, typed)

    def test_import_follows_the_rule(self):
        """Odoo's import (load) refuses a file holding a garbled or retyped serial: one
        message naming it, and nothing of the file is created."""
        self._lot("IMP-0001")
        fields_list = ["name", "product_id/.id"]
        for bad, fragment in (("IMP\x00X", "NUL"), ("imp-0001", "IMP-0001"),
                              ("IMP\u0131X", "DOTLESS I"), ("I" * 3000, "at most")):
            with self.subTest(serial=bad[:20]), self.assertChangesNothing():
                result = self.Lot.load(fields_list, [["IMP-0002", self.product.id],
                                                     [bad, self.product.id]])
                self.assertFalse(result["ids"])
                errors = [message["message"] for message in result["messages"]
                          if message["type"] == "error"]
                self.assertTrue(errors, bad[:20])
                self.assertIn(fragment, "\n".join(errors))
        result = self.Lot.load(fields_list, [[" IMP-0002 ", self.product.id]])
        self.assertEqual(self.Lot.browse(result["ids"]).name, "IMP-0002")

    def test_retyped_label_is_refused_naming_the_serial(self):
        lot = self._lot("PH-X200-00002B")
        for typed in ("ph-x200-00002b", "PHX20000002B", "PH/X200/00002B", "PH_X200.00002B"):
            with self.subTest(typed=typed), self.assertChangesNothing(), \
                    self.assertRefused(ValidationError, typed, "PH-X200-00002B",
                                       self.product.display_name):
                self._lot(typed)
            # (demo data may hold the same serial for its own product)
            self.assertEqual(self.Lot._serial_find(typed, products=self.product), lot)
        # Renaming another unit onto it is refused the same way.
        other = self._lot("PH-X200-00003C")
        with self.assertChangesNothing(), self.assertRefused(ValidationError, "PH-X200-00002B"):
            other.name = "phx200-00002b"
        # Another product may hold the serial (per product uniqueness, Odoo's default).
        self.assertTrue(self._lot("phx20000002b", self.other_product))

    def test_company_scope_compares_keys_across_products(self):
        self.company.serial_unique_scope = "company"
        self._lot("CK-0001")
        with self.assertChangesNothing(), self.assertRefused(
                ValidationError, "across all products", "ck0001", "CK-0001",
                self.product.display_name):
            self._lot("ck0001", self.other_product)

    def test_switch_to_company_scope_compares_keys(self):
        self._lot("SW-0007")
        self._lot("sw0007", self.other_product)
        with self.assertRefused(ValidationError, "SW-0007", "sw0007"):
            self.company.serial_unique_scope = "company"
        self.assertEqual(self.company.serial_unique_scope, "product")

    def test_check_character_and_uniqueness_agree(self):
        pattern = self._create_pattern("PH-X200-{SEQ:5}{CHECK}", "mod37_36", name="Names check")
        product = self._create_serial_product("Named checked unit", pattern)
        serial = pattern._generate(1, product)[0]
        lot = self._lot(serial, product)
        retyped = serial.lower().replace("-", "/")
        # The check character accepts the retyped label: uniqueness refuses it as that unit.
        pattern._validate_serial(retyped)
        with self.assertChangesNothing(), self.assertRefused(ValidationError, serial):
            self._lot(retyped, product)
        self.assertEqual(self.Lot._serial_find(retyped, products=product), lot)

    # ------------------------------------------------------------------
    # Characters a label cannot carry
    # ------------------------------------------------------------------
    def test_look_alike_characters_are_refused_by_name(self):
        for typed, shown in (("PH\u0131X-1", "U+0131 LATIN SMALL LETTER DOTLESS I"),
                             ("\u0410B-1", "U+0410 CYRILLIC CAPITAL LETTER A"),
                             ("AB-\u00e91", "U+00E9 LATIN SMALL LETTER E WITH ACUTE")):
            with self.subTest(typed=typed), self.assertChangesNothing(), \
                    self.assertRefused(ValidationError, shown, "ASCII"):
                self._lot(typed)
            self.assertFalse(self.Lot._serial_find(typed))

    def test_ligatures_and_full_width_become_ascii(self):
        lot = self._lot("\ufb01x-1")  # the fi ligature
        self.assertEqual(lot.name, "fix-1")
        with self.assertChangesNothing(), self.assertRefused(ValidationError, "fix-1"):
            self._lot("FIX1")
        self.assertEqual(self.Lot._serial_find("\uff26\uff29\uff38\uff11"), lot)  # full width

    def test_control_characters_inside_are_refused(self):
        for typed, shown in (("AB\x001", "U+0000 NUL"), ("AB\t1", "U+0009 HT"),
                             ("AB\x1d1", "U+001D GS")):
            with self.subTest(typed=typed), self.assertChangesNothing(), \
                    self.assertRefused(ValidationError, shown, "position 3"):
                self._lot(typed)
            # A look-up says so instead of failing in PostgreSQL.
            with self.assertRefused(UserError, shown):
                self.Lot._serial_find(typed)

    def test_inner_spaces(self):
        lot = self._lot("SN 12")  # suppliers' serials may have single spaces
        with self.assertChangesNothing(), self.assertRefused(ValidationError, "SN 12"):
            self._lot("SN12")
        self.assertEqual(self.Lot._serial_find("sn-12"), lot)
        with self.assertChangesNothing(), \
                self.assertRefused(ValidationError, "two spaces in a row at position 3"):
            self._lot("AB  1")

    def test_maximum_length(self):
        self.assertEqual(self.company.serial_max_length, 64)
        with self.assertChangesNothing(), \
                self.assertRefused(ValidationError, "3000 characters", "at most 64"):
            self._lot("A" * 3000)
        self.assertTrue(self._lot("A" * 64))
        self.company.serial_max_length = 10
        with self.assertChangesNothing(), \
                self.assertRefused(ValidationError, "11 characters", "at most 10"):
            self._lot("LONG-SERIAL")
        for length in (0, 201):
            with self.subTest(length=length), \
                    self.assertRefused(ValidationError, "between 1 and 200"):
                self.company.serial_max_length = length
        # Settings show it.
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.serial_max_length, 10)
        # Lots of lot-tracked products keep Odoo's names, within what an index holds.
        self.assertEqual(self._lot(" bulk\t7", self.lot_product).name, " bulk\t7")
        with self.assertChangesNothing(), \
                self.assertRefused(ValidationError, "3000 characters", "at most 500"):
            self._lot("B" * 3000, self.lot_product)
        self.assertFalse(self.Lot._serial_find("A" * 3000))

    # ------------------------------------------------------------------
    # Look-ups
    # ------------------------------------------------------------------
    def test_find(self):
        lot = self._lot("FD-0001")
        other = self._lot("FD-0001", self.other_product)
        bulk = self._lot("fd-0001", self.lot_product)
        self.assertEqual(self.Lot._serial_find(" fd0001 "), lot | other)
        self.assertEqual(self.Lot._serial_find("FD/0001", products=self.product), lot)
        # Lots of lot-tracked products are found by their exact name only.
        self.assertEqual(self.Lot._serial_find("fd-0001"), lot | other | bulk)
        self.assertEqual(self.Lot._serial_find("fd-0001", products=self.lot_product), bulk)
        other_company = self.env["res.company"].create({"name": "Names other company"})
        self.assertFalse(self.Lot._serial_find("FD-0001", company=other_company))
        self.assertEqual(self.Lot._serial_find("FD-0001", company=self.company),
                         lot | other)
        for garbage in ("", "   ", "-", "FD-0001\u0410", None, 12):
            self.assertFalse(self.Lot._serial_find(garbage), garbage)

    # ------------------------------------------------------------------
    # Receipts: a typed serial is the unit it names
    # ------------------------------------------------------------------
    def _receipt_with_typed(self, *typed):
        receipt = self._create_receipt([(self.product, len(typed))])
        receipt.move_line_ids.unlink()
        receipt.move_ids.write({"move_line_ids": [
            (0, 0, {**receipt.move_ids._prepare_move_line_vals(quantity=1),
                    "lot_name": name, "quantity": 1}) for name in typed]})
        return receipt

    def test_receipt_typed_variant_finds_the_unit(self):
        lot = self._lot("RC-0001")
        receipt = self._receipt_with_typed(" rc0001\t", "RC-0002 ")
        self._validate(receipt)
        lines = receipt.move_line_ids.sorted("id")
        self.assertEqual(lines[0].lot_id, lot)
        self.assertEqual(lines[1].lot_id.name, "RC-0002")
        self.assertEqual(self.Lot.search_count([("product_id", "=", self.product.id)]), 2)
        self.assertEqual(lot.serial_state, "in_stock")

    def test_receipt_same_serial_typed_twice_is_refused(self):
        receipt = self._receipt_with_typed(" RC-0009", "rc0009")
        with self.assertChangesNothing(), self.assertRefused(ValidationError, "RC-0009"):
            receipt.with_context(skip_sms=True).button_validate()
        self.assertFalse(self.Lot._serial_find("RC-0009"))

    # ------------------------------------------------------------------
    # The New serial form uses a number on save only
    # ------------------------------------------------------------------
    def test_new_serial_form_uses_the_counter_on_save_only(self):
        pattern = self._create_pattern("NF{SEQ:4}", name="Names form")
        product = self._create_serial_product("Named form unit", pattern)
        Lot = self.Lot.with_context(default_product_id=product.id)
        start = self._counter(pattern)
        first = Lot.default_get(["name", "serial_name_preview", "product_id"])
        second = Lot.default_get(["name", "serial_name_preview", "product_id"])
        self.assertEqual(first["name"], f"NF{start:04d}")
        self.assertEqual(first, second)
        self.assertEqual(first["serial_name_preview"], first["name"])
        self.assertEqual(self._counter(pattern), start)

        # Kept: the number is used on save.
        form = Form(Lot)
        self.assertEqual(form.name, f"NF{start:04d}")
        self.assertEqual(self._counter(pattern), start)
        lot = form.save()
        self.assertEqual(lot.name, f"NF{start:04d}")
        self.assertEqual(self._counter(pattern), start + 1)

        # Typed over: no number is used.
        form = Form(Lot)
        form.name = "OWN-0001"
        self.assertEqual(form.save().name, "OWN-0001")
        self.assertEqual(self._counter(pattern), start + 1)

        # Someone else took the proposed number meanwhile: the next one is given.
        form = Form(Lot)
        self.assertEqual(form.name, f"NF{start + 1:04d}")
        taken = pattern._generate(1, product)[0]
        self.Lot.create({"name": taken, "product_id": product.id})
        self.assertEqual(form.save().name, f"NF{start + 2:04d}")
        self.assertEqual(self._counter(pattern), start + 3)

    def test_create_without_name_uses_the_pattern(self):
        pattern = self._create_pattern("NW{SEQ:4}", name="Names without name")
        product = self._create_serial_product("Named nameless unit", pattern)
        start = self._counter(pattern)
        lot = self.Lot.with_context(default_product_id=product.id).create({})
        self.assertEqual(lot.name, f"NW{start:04d}")
        self.assertEqual(self._counter(pattern), start + 1)

    # ------------------------------------------------------------------
    # Many serials at once
    # ------------------------------------------------------------------
    def test_bulk_create_follows_the_rule(self):
        lots = self.Lot._serial_bulk_create(self.product, [" BK-0001", "BK-0002\xa0"])
        self.assertEqual(lots.mapped("name"), ["BK-0001", "BK-0002"])
        with self.assertChangesNothing(), \
                self.assertRefused(ValidationError, "more than once", "BK-0003 = bk0003"):
            self.Lot._serial_bulk_create(self.product, ["BK-0003", "BK-0004", "bk0003"])
        with self.assertChangesNothing(), \
                self.assertRefused(ValidationError, "BK-0001", self.product.display_name):
            self.Lot._serial_bulk_create(self.product, ["BK-0005", "bk/0001"])
        with self.assertChangesNothing(), self.assertRefused(ValidationError, "U+0410"):
            self.Lot._serial_bulk_create(self.product, ["BK-0006", "BK-\u04107"])

    # ------------------------------------------------------------------
    # Serials stored before the rule
    # ------------------------------------------------------------------
    def _legacy_rename(self, lot, name):
        """Give ``lot`` a name stored before the rule, with the keys of that time (a
        write by SQL: the ORM now cleans names and computes the new keys)."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_lot SET name = %s, serial_name_key = NULL, serial_unique_key = %s "
            "WHERE id = %s", [name, f"c{lot.company_id.id}:p{lot.product_id.id}:{name}", lot.id])
        self.env.invalidate_all()

    def test_upgrade_reports_serials_the_rule_makes_equal(self):
        first = self._lot("LEG-0001")
        second = self._lot("LEG-0002")
        third = self._lot("LEG-0003")
        elsewhere = self._lot("LEG-0001", self.other_product)
        self._legacy_rename(second, "leg 0001")
        self._legacy_rename(third, "LEG-\u04100003")
        with self.assertLogs(NAMING_LOGGER, "WARNING") as logs:
            groups = self.env["serial.lot.naming"]._migrate_names()
        self.assertEqual(groups, [first | second])
        report = "\n".join(logs.output)
        self.assertIn("'LEG-0001'", report)
        self.assertIn("'leg 0001'", report)
        self.assertIn("not merged", report)
        self.assertIn("U+0410", report)  # a name the rule refuses today, kept and reported
        # Nothing renamed or merged; the two are flagged and hold no unique key.
        self.assertEqual((first | second).mapped("name"), ["LEG-0001", "leg 0001"])
        self.assertEqual((first | second).mapped("serial_name_conflict"), [True, True])
        self.assertEqual((first | second).mapped("serial_unique_key"), [False, False])
        self.assertEqual(second.serial_name_key, "LEG0001")
        self.assertFalse(third.serial_name_conflict or elsewhere.serial_name_conflict)
        self.assertEqual(third.serial_unique_key,
                         f"c{self.company.id}:p{self.product.id}:LEG-\u04100003".replace("-", ""))
        self.assertEqual(self.Lot.search([("serial_name_conflict", "=", True)]), first | second)
        self.assertIn("leg 0001", first.serial_name_conflict_with)
        self.assertIn("LEG-0001", second.serial_name_conflict_with)
        # Still found, and still refused as a new serial.
        self.assertEqual(self.Lot._serial_find("leg-0001", products=self.product),
                         first | second)
        with self.assertChangesNothing(), self.assertRefused(ValidationError, "LEG-0001"):
            self._lot("Leg_0001")
        # Renaming one solves the conflict for both.
        second.name = "LEG-0002"
        self.assertEqual((first | second).mapped("serial_name_conflict"), [False, False])
        self.assertEqual(first.serial_unique_key, f"c{self.company.id}:p{self.product.id}:LEG0001")
        self.assertFalse(self.Lot.search([("serial_name_conflict", "=", True)]))

    def test_upgrade_without_conflicts_reports_nothing(self):
        self._lot("LEG-0100")
        with self.assertNoLogs(NAMING_LOGGER, "WARNING"):
            self.assertEqual(self.env["serial.lot.naming"]._migrate_names(), [])
