from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SerialInventoryCase


class CheckCharacterCases:
    """Test methods shared by the algorithms; the subclasses say which serials to use.

    ``good`` is a serial of the pattern, ``wrong_character`` the same serial with one
    character changed and ``swapped`` the same with two adjacent characters swapped, chosen
    so that the algorithm detects them whatever the state (see lib/check_characters.py).
    """

    template = check_algorithm = None
    start_counter = 1

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pattern = cls._create_pattern(cls.template, cls.check_algorithm)
        cls.pattern.next_counter = cls.start_counter
        cls.product = cls._create_serial_product(f"Checked {cls.check_algorithm}", cls.pattern)
        cls.good, cls.second_good = cls.pattern._generate(2, cls.product)
        cls.wrong_character = cls._wrong_character(cls.good)
        cls.swapped = cls._swapped(cls.good)

    def _bad_serials(self):
        self.assertNotEqual(self.wrong_character, self.good)
        self.assertNotEqual(self.swapped, self.good)
        self.assertEqual(len(self.wrong_character), len(self.good))
        self.assertEqual(sorted(self.swapped), sorted(self.good))
        return [self.wrong_character, self.swapped]

    def _lot(self, name):
        return self.env["stock.lot"].create({"name": name, "product_id": self.product.id})

    def _lots_named(self, name):
        return self.env["stock.lot"].search([("name", "=", name)])

    def test_lot_create(self):
        for bad in self._bad_serials():
            with self.subTest(serial=bad), self.assertRefused(ValidationError, bad):
                self._lot(bad)
            self.assertFalse(self._lots_named(bad))
        self.assertEqual(self._lot(self.good).name, self.good)

    def test_lot_write_name(self):
        lot = self._lot(self.good)
        for bad in self._bad_serials():
            with self.subTest(serial=bad), self.assertRefused(ValidationError, bad):
                lot.name = bad
            self.assertEqual(lot.name, self.good)
        lot.name = self.second_good
        self.assertEqual(lot.name, self.second_good)

    def test_move_line_lot_name(self):
        receipt = self._create_receipt([(self.product, 2)])
        line, other_line = receipt.move_line_ids
        for bad in self._bad_serials():
            with self.subTest(serial=bad), self.assertRefused(ValidationError, bad):
                line.lot_name = bad
            with self.subTest(serial=bad), self.assertRefused(ValidationError, bad):
                self.env["stock.move.line"].create({
                    **receipt.move_ids._prepare_move_line_vals(quantity=1), "lot_name": bad})
        line.lot_name = self.good
        other_line.unlink()
        self.env["stock.move.line"].create({
            **receipt.move_ids._prepare_move_line_vals(quantity=1),
            "lot_name": self.second_good,
        })
        self._validate(receipt)
        self.assertEqual(sorted(receipt.move_line_ids.lot_id.mapped("name")),
                         sorted([self.good, self.second_good]))
        for bad in self._bad_serials():
            self.assertFalse(self._lots_named(bad))

    def test_import(self):
        Lot = self.env["stock.lot"]
        fields_list = ["name", "product_id/.id"]
        for bad in self._bad_serials():
            with self.subTest(serial=bad):
                result = Lot.load(fields_list, [[self.second_good, self.product.id],
                                                [bad, self.product.id]])
                self.assertFalse(result["ids"])
                errors = [message for message in result["messages"]
                          if message["type"] == "error"]
                self.assertTrue(errors)
                self.assertIn(bad, errors[0]["message"])
                self.assertFalse(self._lots_named(bad))
                self.assertFalse(self._lots_named(self.second_good),
                                 "an import with an error creates nothing")
        result = Lot.load(fields_list, [[self.good, self.product.id]])
        self.assertEqual(result["messages"], [])
        self.assertEqual(Lot.browse(result["ids"]).name, self.good)


@tagged("post_install", "-at_install")
class TestCheckCharacterMod3736(CheckCharacterCases, SerialInventoryCase):
    allow_inherited_tests_method = True  # Odoo's loader skips inherited tests otherwise
    template = "CK-{SEQ:5:36}{CHECK}"
    check_algorithm = "mod37_36"
    start_counter = int("A7Q3K", 36)

    @staticmethod
    def _wrong_character(serial):
        assert serial.startswith("CK-A7Q3K")
        return serial.replace("A7Q3K", "A7R3K")

    @staticmethod
    def _swapped(serial):
        # 'A' and '7' are not neighbours in 0-9A-Z: MOD 37,36 always sees the swap.
        return serial.replace("A7Q3K", "7AQ3K")

    def test_generated_serials_carry_the_check_character(self):
        self.assertEqual(len(self.good), len("CK-A7Q3K") + 1)
        self.assertTrue(self.pattern._parsed().is_valid_serial(self.good))
        self.assertFalse(self.pattern._parsed().is_valid_serial(self.wrong_character))


@tagged("post_install", "-at_install")
class TestCheckCharacterLuhn(CheckCharacterCases, SerialInventoryCase):
    allow_inherited_tests_method = True
    template = "9{SEQ:7}{CHECK}"
    check_algorithm = "luhn"
    start_counter = 1234567

    @staticmethod
    def _wrong_character(serial):
        assert serial.startswith("91234567")
        return "91234568" + serial[8:]

    @staticmethod
    def _swapped(serial):
        # Luhn misses only 09 <-> 90 among adjacent swaps; 91 <-> 19 is always seen.
        return "19234567" + serial[8:]

    def test_luhn_serials_are_numeric(self):
        self.assertTrue(self.good.isdigit())
        self.assertEqual(len(self.good), 9)
        with self.assertRefused(ValidationError, "9123456X"):
            self.env["stock.lot"].create({"name": "9123456X", "product_id": self.product.id})
