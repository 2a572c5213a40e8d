import datetime

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import SerialInventoryCase

EAN13 = "4006381333931"
EAN8 = "96385074"
UPCA = "036000291452"
GTIN14 = "10614141000415"


@tagged("post_install", "-at_install")
class TestProductBarcodes(SerialInventoryCase):
    def _product(self, barcode, name=None):
        return self.env["product.product"].create(
            {"name": name or f"Barcode {barcode}", "barcode": barcode})

    def test_valid_gtins_accepted(self):
        for barcode in (EAN13, EAN8, UPCA, GTIN14, "0" + UPCA):
            with self.subTest(barcode=barcode):
                self.assertEqual(self._product(barcode).barcode, barcode)

    def test_wrong_check_digit_refused(self):
        cases = [
            ("4006381333932", "EAN-13", "1"),
            ("96385075", "EAN-8", "4"),
            ("036000291453", "UPC-A", "2"),
            ("10614141000416", "GTIN-14", "5"),
        ]
        for barcode, kind, expected in cases:
            with self.subTest(barcode=barcode):
                with self.assertRaises(ValidationError) as caught:
                    self._product(barcode, name="Wrong digit")
                message = str(caught.exception)
                self.assertIn(barcode, message)
                self.assertIn(kind, message)
                self.assertIn(f"check digit should be {expected}", message)
        self.assertFalse(self.env["product.product"].search([("name", "=", "Wrong digit")]))
        product = self._product(EAN13)
        with self.assertRefused(ValidationError, "4006381333935"):
            product.barcode = "4006381333935"
        self.assertEqual(product.barcode, EAN13)

    def test_non_gtin_barcodes_allowed(self):
        for barcode in ("SKU-0042", "ABC123", "12345", "123456789", "X4006381333932"):
            with self.subTest(barcode=barcode):
                self.assertEqual(self._product(barcode).barcode, barcode)


@tagged("post_install", "-at_install")
class TestResolveCode(SerialInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_serial_product("GS1 unit", barcode=EAN13)
        cls.lot = cls.env["stock.lot"].create({
            "name": "GS-SER-001", "product_id": cls.product.id, "company_id": cls.company.id})
        cls.expiry = fields.Date.context_today(cls.lot) + datetime.timedelta(days=400)
        cls.yymmdd = cls.expiry.strftime("%y%m%d")
        cls.gtin = "0" + EAN13

    def _resolve(self, code):
        return self.env["serial.code.resolver"]._resolve(code)

    def _counts(self):
        return (self.env["stock.lot"].search_count([]),
                self.env["serial.batch"].search_count([]),
                self.env["product.product"].search_count([]))

    def _assert_refused(self, code, *fragments):
        counts = self._counts()
        with self.assertRaises(UserError) as caught:
            self._resolve(code)
        message = str(caught.exception)
        self.assertIn(code.strip(), message)
        for fragment in fragments:
            self.assertIn(fragment, message)
        self.assertEqual(self._counts(), counts, "resolving a code writes nothing")

    def test_gs1_parenthesised_and_fnc1(self):
        codes = [
            f"(01){self.gtin}(21)GS-SER-001(10)B42(17){self.yymmdd}",
            f"01{self.gtin}21GS-SER-001\x1d10B42\x1d17{self.yymmdd}",
            f"]C101{self.gtin}17{self.yymmdd}10B42\x1d21GS-SER-001",
        ]
        counts = self._counts()
        for code in codes:
            with self.subTest(code=code):
                result = self._resolve(code)
                self.assertEqual(result["product"], self.product)
                self.assertEqual(result["lot"], self.lot)
                self.assertEqual(result["lot_name"], "GS-SER-001")
                self.assertEqual(result["batch_name"], "B42")
                self.assertEqual(result["expiration_date"], self.expiry)
        self.assertEqual(self._counts(), counts)
        self.assertFalse(self.env["serial.batch"].search([("name", "=", "B42")]))

    def test_gs1_unknown_serial_of_known_product(self):
        result = self._resolve(f"(01){self.gtin}(21)GS-NEW-9")
        self.assertEqual(result["product"], self.product)
        self.assertFalse(result["lot"])
        self.assertEqual(result["lot_name"], "GS-NEW-9")
        self.assertFalse(self.env["stock.lot"].search([("name", "=", "GS-NEW-9")]))

    def test_gtin_finds_shorter_product_barcodes(self):
        upc_product = self._create_serial_product("UPC unit", barcode=UPCA)
        ean8_product = self._create_serial_product("EAN-8 unit", barcode=EAN8)
        gtin_product = self._create_serial_product("GTIN-14 unit", barcode=GTIN14)
        for gtin, product in (("00" + UPCA, upc_product), ("000000" + EAN8, ean8_product),
                              (GTIN14, gtin_product), (self.gtin, self.product)):
            with self.subTest(gtin=gtin):
                self.assertEqual(self._resolve(f"(01){gtin}(21)ANY-1")["product"], product)

    def test_plain_serial_and_product_barcode(self):
        result = self._resolve("GS-SER-001")
        self.assertEqual(result["lot"], self.lot)
        self.assertEqual(result["product"], self.product)
        self.assertEqual(result["lot_name"], "GS-SER-001")
        self.assertFalse(result["batch_name"])
        result = self._resolve(f"  {EAN13} ")
        self.assertEqual(result["product"], self.product)
        self.assertFalse(result["lot"])

    def test_serial_of_several_products_is_ambiguous(self):
        other = self._create_serial_product("Other GS1 unit")
        self.env["stock.lot"].create({
            "name": "GS-SER-001", "product_id": other.id, "company_id": self.company.id})
        self._assert_refused("GS-SER-001", self.product.display_name, other.display_name)
        # A GS1 code names the product, so it stays unambiguous.
        result = self._resolve(f"(01){self.gtin}(21)GS-SER-001")
        self.assertEqual(result["lot"], self.lot)

    def test_malformed_gs1_refused(self):
        wrong_gtin = self.gtin[:-1] + str((int(self.gtin[-1]) + 1) % 10)
        self._assert_refused(f"(01){wrong_gtin}(21)GS-SER-001", "check digit")
        self._assert_refused(f"(01){self.gtin}(21)GS-SER-001(17)271341", "month")
        self._assert_refused(f"(01){self.gtin}(21)GS-SER-001(17)270230", "day")
        self._assert_refused("(01)0400638133", "14")
        self._assert_refused(f"01{self.gtin}172712")
        self._assert_refused(f"(01){self.gtin}(99)ABC", "99")
        self._assert_refused("(01)09506000134352(21)GS-SER-001", "09506000134352")

    def test_unknown_and_empty_codes_refused(self):
        self._assert_refused("NO-SUCH-CODE-42", "neither a serial nor a product barcode")
        self._assert_refused("4006381333948")
        with self.assertRaises(UserError):
            self._resolve("   ")
