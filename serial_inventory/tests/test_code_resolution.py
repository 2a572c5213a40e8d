"""serial.code.resolver on the codes scanners really send (issue 11): element strings
without separators, AIM symbology identifiers, GTINs of any length, lots of lot-tracked
products, serials that look like GS1, the unit's batch and expiry against the scan, two
companies, and input that is no code at all."""

import datetime

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.misc import format_date

from .common import SerialInventoryCase

GS = "\x1d"
EAN13 = "4006381333931"
GTIN14 = "0" + EAN13
GS1_EXAMPLE = "09506000134352"  # GS1's example GTIN-14 (EAN-13 9506000134352)
UPCA = "036000291452"


@tagged("post_install", "-at_install")
class CodeResolutionCase(SerialInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Resolver = cls.env["serial.code.resolver"]
        cls.phone = cls._create_serial_product("Resolver phone", barcode=GS1_EXAMPLE[1:])
        cls.phone_lot = cls._lot("SN-0001", cls.phone)
        cls.today = fields.Date.context_today(cls.phone_lot)

    @classmethod
    def _lot(cls, name, product, **values):
        return cls.env["stock.lot"].create({
            "name": name, "product_id": product.id, "company_id": cls.company.id, **values})

    def assertResolves(self, code, lot=None, product=None, picking=None, **expected):
        """Resolve ``code``, check the unit and ``expected`` keys, and that nothing was
        written; return the result."""
        with self.assertChangesNothing():
            result = self.Resolver._resolve(code, picking=picking)
        self.assertEqual(result["lot"], lot or self.env["stock.lot"], code)
        self.assertEqual(result["product"], product or lot.product_id, code)
        for key, value in expected.items():
            self.assertEqual(result[key], value, f"{key} of {code!r}")
        return result

    def assertRefusedScan(self, code, *fragments, picking=None):
        with self.assertChangesNothing(), self.assertRefused(UserError, *fragments) as caught:
            self.Resolver._resolve(code, picking=picking)
        return str(caught.exception)


class TestElementStrings(CodeResolutionCase):
    def test_fnc1_form_without_separator_serial_last(self):
        for code in (f"01{GS1_EXAMPLE}21SN-0001", f"{GS}01{GS1_EXAMPLE}21SN-0001",
                     f"01{GS1_EXAMPLE}21SN-0001\r\n", f"]C101{GS1_EXAMPLE}21SN-0001"):
            with self.subTest(code=code):
                self.assertResolves(code, self.phone_lot, gs1=True, lot_name="SN-0001")

    def test_date_between_gtin_and_serial(self):
        lot = self._lot("FEB-END", self.phone)
        result = self.assertResolves(f"01{GS1_EXAMPLE}17290200" + "21FEB-END", lot)
        # Day 00: the last day of the month.
        self.assertEqual(result["expiration_date"], datetime.date(2029, 2, 28))
        self.assertFalse(result["expired"])

    def test_leading_fnc1_is_kept_and_read(self):
        # A leading GS (FNC1) says GS1: a malformed string is then refused as GS1.
        self.assertRefusedScan(f"{GS}01{GS1_EXAMPLE}21", "Malformed GS1 code <GS>01")

    def test_aim_symbology_identifiers(self):
        element_string = f"01{GS1_EXAMPLE}21SN-0001"
        for identifier in ("]C1", "]d2", "]Q3", "]e0", "]J1"):
            with self.subTest(identifier=identifier):
                result = self.assertResolves(identifier + element_string, self.phone_lot,
                                             gs1=True, symbology=identifier)
                self.assertEqual(result["code"], identifier + element_string)
        # Other symbologies: the identifier is stripped, the data read as usual.
        self.assertResolves("]C0SN-0001", self.phone_lot, gs1=False, symbology="]C0")
        self.assertResolves("]A0SN-0001", self.phone_lot)
        self.assertResolves("]d1SN-0001", self.phone_lot)
        self.assertResolves("]E09506000134352", product=self.phone, symbology="]E0")
        self.assertResolves("]e00109506000134352", product=self.phone, gs1=True)
        # Announced GS1, the data must be an element string.
        self.assertRefusedScan("]C1SN-0001", "Malformed GS1 code ]C1SN-0001")
        self.assertRefusedScan("]d2", "nothing after its symbology identifier")
        # Not an identifier: a serial that starts with "]" stays whole.
        odd = self._lot("]x1-ODD", self.phone)
        self.assertResolves("]x1-ODD", odd)

    def test_unknown_gtin_and_malformed_strings_refused(self):
        self.assertRefusedScan("(01)10614141000415(21)SN-0001", "No product has the GTIN",
                               "10614141000415")
        self.assertRefusedScan(f"(01){GS1_EXAMPLE}(17)291301", "Malformed GS1 code", "month")
        self.assertRefusedScan(f"01{GS1_EXAMPLE}{GS}17", "Malformed GS1 code")
        # Unannounced: unknown, with what GS1 says of it.
        self.assertRefusedScan(f"01{GS1_EXAMPLE}999", "Unknown code", "malformed")
        self.assertRefusedScan("011061414100041521X", "Unknown code", "10614141000415",
                               "names no product")
        self.assertRefusedScan("NOTHING-42", "neither a serial nor a product barcode")


class TestLotsAndSerials(CodeResolutionCase):
    def test_ai_10_names_the_lot_of_a_lot_tracked_product(self):
        flour = self.env["product.product"].create({
            "name": "Resolver flour", "is_storable": True, "tracking": "lot",
            "barcode": EAN13})
        lot_a = self._lot("LOTA", flour)
        result = self.assertResolves(f"(01){GTIN14}(10)LOTA", lot_a, lot_name="LOTA",
                                     batch_name=False)
        self.assertTrue(result["gs1"])
        self.assertResolves(f"01{GTIN14}10LOTA", lot_a)
        # (10) alone: a lot of a lot-tracked product.
        self.assertResolves("(10)LOTA", lot_a)
        # A lot of that name elsewhere does not make it ambiguous: the GTIN says which.
        self._lot("LOTA", self.phone)
        self.assertResolves(f"(01){GTIN14}(10)LOTA", lot_a)
        # An unknown lot of a known product: named, not found.
        self.assertResolves(f"(01){GTIN14}(10)LOTB", product=flour, lot_name="LOTB")

    def test_ai_10_of_a_serial_is_its_batch(self):
        batch = self.env["serial.batch"].create({"name": "B-7", "product_id": self.phone.id})
        self.phone_lot.serial_batch_id = batch
        self.assertResolves(f"(01){GS1_EXAMPLE}(21)SN-0001(10)B-7", self.phone_lot,
                            batch_name="B-7", lot_name="SN-0001")

    def test_exact_serial_wins_over_a_gs1_reading(self):
        other = self._create_serial_product("Resolver numbered")
        # Not a valid element string ("12" would need six digits)...
        numeric = self._lot("0109506000134352123", other)
        self.assertResolves("0109506000134352123", numeric, gs1=False)
        # ...and a valid one, (01) the phone's GTIN then (21) 123: the serial still wins.
        self._lot("123", self.phone)
        looks_gs1 = self._lot("010950600013435221123", other)
        self.assertResolves("010950600013435221123", looks_gs1, gs1=False)
        # With no serial of that name, the element string is read.
        phone_7 = self._lot("7", self.phone)
        self.assertResolves("01095060001343522" + "17", phone_7, gs1=True)

    def test_serials_found_by_their_key(self):
        # Case, spaces and separators aside (lib/serial_name.py), typed, scanned or in GS1.
        for code in (" sn-0001", "SN0001", "sn 0001\n", "]C0SN/0001",
                     f"(01){GS1_EXAMPLE}(21)sn0001", f"01{GS1_EXAMPLE}21SN.0001"):
            with self.subTest(code=code):
                self.assertResolves(code, self.phone_lot, lot_name="SN-0001")
        verification = self.env["serial.verification"]._verify("sn0001", use_registry=False)
        self.assertEqual((verification.lot_id, verification.result), (self.phone_lot, "genuine"))

    def test_serial_shared_by_two_products(self):
        other = self._create_serial_product("Resolver tablet")
        tablet_lot = self._lot("SN-0001", other)
        message = self.assertRefusedScan("SN-0001", "several products", "Resolver phone",
                                         "Resolver tablet")
        self.assertIn("SN-0001", message)
        # The GS1 code names the product.
        self.assertResolves(f"(01){GS1_EXAMPLE}(21)SN-0001", self.phone_lot)
        # A picking moving one of them decides.
        delivery = self._create_delivery([(other, 1)])
        self.assertResolves("SN-0001", tablet_lot, picking=delivery)


class TestProductBarcodeLengths(CodeResolutionCase):
    def test_gtin_lengths_match_both_ways(self):
        stored_long = self.env["product.product"].create(
            {"name": "Stored as GTIN-14", "barcode": GTIN14})
        stored_ean = self.env["product.product"].create(
            {"name": "Stored as EAN-13", "barcode": "0" + UPCA})
        cases = [
            (EAN13, stored_long), (GTIN14, stored_long), ("]E0" + EAN13, stored_long),
            (f"(01){GTIN14}", stored_long),
            (UPCA, stored_ean), ("0" + UPCA, stored_ean), ("00" + UPCA, stored_ean),
            ("9506000134352", self.phone), (GS1_EXAMPLE, self.phone),
        ]
        for code, product in cases:
            with self.subTest(code=code):
                self.assertResolves(code, product=product)
        # A wrong check digit is no GTIN: no padding, no match.
        self.assertRefusedScan("4006381333932", "Unknown code")

    def test_two_products_with_one_gtin_refused(self):
        self.env["product.product"].create({"name": "Long form", "barcode": GTIN14})
        self.env["product.product"].create({"name": "Short form", "barcode": EAN13})
        self.assertRefusedScan(EAN13, "several products", "Long form", "Short form")


class TestUnitAgainstScan(CodeResolutionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.batch = cls.env["serial.batch"].create({"name": "B42", "product_id": cls.phone.id})
        cls.expiry = cls.today + datetime.timedelta(days=300)
        cls.unit = cls._lot("EXP-OK", cls.phone, serial_batch_id=cls.batch.id,
                            expiration_date=datetime.datetime.combine(
                                cls.expiry, datetime.time(12, 0)))

    def _code(self, serial="EXP-OK", batch="B42", expiry=None):
        code = f"(01){GS1_EXAMPLE}(21){serial}"
        if batch:
            code += f"(10){batch}"
        if expiry:
            code += f"(17){expiry:%y%m%d}"
        return code

    def test_matching_batch_and_expiry_accepted(self):
        self.assertResolves(self._code(expiry=self.expiry), self.unit, batch_name="B42",
                            expiration_date=self.expiry, expired=False, warnings=[])
        self.assertResolves(self._code(batch=None), self.unit)

    def test_other_batch_refused(self):
        self.assertRefusedScan(self._code(batch="B43"), "batch B43", "EXP-OK", "batch B42",
                               "does not match")

    def test_other_expiry_refused(self):
        other = self.expiry + datetime.timedelta(days=1)
        self.assertRefusedScan(self._code(expiry=other), "EXP-OK", "does not match",
                               format_date(self.env, other), format_date(self.env, self.expiry))

    def test_unit_without_batch_or_expiry_takes_the_scan_as_is(self):
        plain = self._lot("EXP-PLAIN", self.phone)
        self.assertResolves(self._code("EXP-PLAIN", expiry=self.expiry), plain,
                            batch_name="B42")

    def test_expired_unit_flagged_and_refused_on_a_delivery(self):
        past = self.today - datetime.timedelta(days=2)
        expired = self._lot("EXP-OLD", self.phone, expiration_date=datetime.datetime.combine(
            past, datetime.time(12, 0)))
        for code in ("EXP-OLD", self._code("EXP-OLD", batch=None, expiry=past)):
            with self.subTest(code=code):
                result = self.assertResolves(code, expired, expired=True)
                self.assertEqual(len(result["warnings"]), 1)
                self.assertIn("EXP-OLD", result["warnings"][0])
                self.assertIn("expired", result["warnings"][0])
        delivery = self._create_delivery([(self.phone, 1)])
        self.assertRefusedScan("EXP-OLD", "EXP-OLD", "expired", "cannot be delivered",
                               delivery.name, picking=delivery)
        # A return to the vendor takes expired units.
        to_vendor = self._create_picking(self.picking_type_out, self.stock_location,
                                         self.supplier_location, [(self.phone, 1)])
        self.assertResolves("EXP-OLD", expired, picking=to_vendor, expired=True)
        # Expiring today is not expired yet.
        today = self._lot("EXP-TODAY", self.phone, expiration_date=datetime.datetime.combine(
            self.today, datetime.time(12, 0)))
        self.assertResolves(self._code("EXP-TODAY", batch=None, expiry=self.today), today,
                            expired=False)

    def test_expired_untracked_product_refused_on_a_delivery(self):
        soap = self.env["product.product"].create(
            {"name": "Resolver soap", "is_storable": True, "barcode": EAN13})
        past = self.today - datetime.timedelta(days=40)
        code = f"(01){GTIN14}(17){past:%y%m%d}(10)S1"
        self.assertResolves(code, product=soap, expired=True, batch_name="S1")
        delivery = self._create_delivery([(soap, 1)])
        self.assertRefusedScan(code, "Resolver soap", "expired", picking=delivery)


class TestTwoCompanies(CodeResolutionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Resolver Company B"})
        cls.user = cls.env["res.users"].create({
            "name": "Resolver user of A and B", "login": "resolver_user_ab",
            "company_id": cls.company.id,
            "company_ids": [Command.set([cls.company.id, cls.company_b.id])],
            "groups_id": [Command.set([cls.env.ref("stock.group_stock_manager").id,
                                       cls.env.ref("stock.group_production_lot").id])],
        })
        # A product both companies sell (no company), each with its own unit MC-1.
        cls.shared = cls._create_serial_product("Resolver shared unit")
        cls.lot_a = cls._lot("MC-1", cls.shared)
        cls.lot_b = cls.env["stock.lot"].create({
            "name": "MC-1", "product_id": cls.shared.id, "company_id": cls.company_b.id})

    def setUp(self):
        super().setUp()
        self.delivery_a = self._create_delivery([(self.shared, 1)])

    def _env(self, *companies):
        return self.env(user=self.user,
                        context={"allowed_company_ids": [company.id for company in companies]})

    def test_picking_company_decides(self):
        resolver = self._env(self.company, self.company_b)["serial.code.resolver"]
        delivery = self.delivery_a.with_env(resolver.env)
        with self.assertChangesNothing():
            self.assertEqual(resolver._resolve("MC-1", picking=delivery)["lot"], self.lot_a)
            # Without picking, the current company (the first allowed) decides.
            self.assertEqual(resolver._resolve("MC-1")["lot"], self.lot_a)
        resolver_b = self._env(self.company_b, self.company)["serial.code.resolver"]
        self.assertEqual(resolver_b._resolve("MC-1")["lot"], self.lot_b)
        self.assertEqual(resolver_b._resolve("MC-1", picking=delivery.with_env(
            resolver_b.env))["lot"], self.lot_a)
        # Company A alone does not see B's unit at all.
        self.assertEqual(self._env(self.company)["serial.code.resolver"]._resolve(
            "MC-1")["lot"], self.lot_a)

    def test_picking_products_decide_then_refused_naming_them(self):
        other = self._create_serial_product("Resolver other unit")
        other_lot = self._lot("MC-2", other)
        self._lot("MC-2", self.shared)
        resolver = self._env(self.company, self.company_b)["serial.code.resolver"]
        delivery = self.delivery_a.with_env(resolver.env)
        self.assertEqual(resolver._resolve("MC-2", picking=delivery)["lot"].product_id,
                         self.shared)
        delivery_other = self._create_delivery([(other, 1)]).with_env(resolver.env)
        self.assertEqual(resolver._resolve("MC-2", picking=delivery_other)["lot"], other_lot)
        both = self._create_delivery([(other, 1), (self.shared, 1)]).with_env(resolver.env)
        with self.assertChangesNothing(), self.assertRefused(
                UserError, "MC-2", "several products", "Resolver shared unit",
                "Resolver other unit"):
            resolver._resolve("MC-2", picking=both)

    def test_one_product_in_both_companies_named_with_their_companies(self):
        # The current company is a third one: neither unit is preferred.
        company_c = self.env["res.company"].create({"name": "Resolver Company C"})
        self.user.company_ids = [Command.link(company_c.id)]
        resolver = self._env(company_c, self.company, self.company_b)["serial.code.resolver"]
        with self.assertChangesNothing(), self.assertRefused(
                UserError, "MC-1", "Resolver shared unit (", self.company.name,
                "Resolver Company B"):
            resolver._resolve("MC-1")


class TestInputThatIsNoCode(CodeResolutionCase):
    def test_refused_with_a_user_error_and_nothing_written(self):
        cases = [
            ("SN\x00-0001", "NUL", "position 3"),
            ("\x00", "NUL"),
            ("SN-0001\x00", "NUL"),
            ("SN\x07-0001", "BEL"),
            ("\x1b[ASN-0001", "ESC"),
            ("SN\x7f", "DEL"),
            ("SN\x85X", "U+0085"),
            ("SN\ud800X", "U+D800"),
            (f"01{GS1_EXAMPLE}21SN\x1e0001", "RS"),
            ("S" * 10000, "10000 characters"),
            ("", "empty"),
            (" \t\r\n", "empty"),
            (None, "empty"),
            (False, "empty"),
            (42, "int"),
            (4006381333931, "int", "4006381333931"),
            (["SN-0001"], "list"),
            (b"SN-0001", "bytes"),
            ({"code": "SN-0001"}, "dict"),
            (4.5, "float"),
        ]
        for code, *fragments in cases:
            with self.subTest(code=code if not isinstance(code, str) else code[:20]):
                message = self.assertRefusedScan(code, *fragments)
                self.assertNotIn("\x00", message)
                self.assertLess(len(message), 400)

    def test_verification_refuses_them_too(self):
        Verification = self.env["serial.verification"]
        for code in ("SN\x00-0001", "S" * 10000, ["SN-0001"]):
            with self.subTest(code=str(code)[:20]), self.assertChangesNothing(
                    tables=("serial_verification", *self.STOCK_TABLES)), self.assertRefused(
                    UserError):
                Verification._verify(code)
