"""Properties of serial.code.resolver (issue 11, acceptance point 2), with Hypothesis:

- whatever it is given (random Unicode, control characters, bytes read as text, garbled GS1,
  values that are not text), ``_resolve`` returns a result or raises UserError, and writes
  nothing;
- every way of writing a GS1 element string of a real unit (parenthesised or FNC1, with or
  without separators after fixed-length fields, leading FNC1, AIM identifiers, extra AIs,
  any order, the serial typed in another case or without separators) resolves to that unit;
  Odoo's own GS1 nomenclature decomposes it into the same fields.
"""

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..lib import gs1
from .common import SerialInventoryCase

GS = "\x1d"
PROPERTY_SETTINGS = settings(deadline=None, database=None, max_examples=50,
                             suppress_health_check=[HealthCheck.too_slow])
DIGITS = "0123456789"
RESULT_KEYS = {"code", "product", "lot", "lot_name", "batch_name", "expiration_date", "gs1",
               "symbology", "expired", "warnings"}
# AIs that Odoo's default GS1 nomenclature has rules for, besides (01), (10), (21), (17).
EXTRA_AIS = ("30", "37", "13", "15")

# Text that reaches the resolver's branches: digits and AIs, parentheses, separators, AIM
# prefixes, control characters, look-alike digits, lone surrogates.
GS1_ISH = st.text(st.sampled_from([
    *DIGITS, "(", ")", "]", GS, "C", "d", "Q", "e", "E", "1", "2", "3", "A", "z", "-", " ",
    "\n", "\x00", "\x07", "\x1e", "\x7f", "\x85", "\u0660", "\uff11", "\ud800", "\u200b"]),
    max_size=40)
ANY_CODE = st.one_of(
    st.text(max_size=60),
    st.text(st.characters(exclude_categories=()), max_size=30),  # surrogates included
    GS1_ISH,
    st.builds(lambda prefix, rest: prefix + rest,
              st.sampled_from(["]C1", "]d2", "]Q3", "]e0", "]E0", "]C0", GS, "(01)",
                               "0104006381333931", "(01)04006381333931(21)"]), GS1_ISH),
    st.binary(max_size=40).map(lambda raw: raw.decode("latin-1")),
    st.text(max_size=3).map(lambda text: text * 4000),
    st.none(), st.booleans(), st.integers(), st.floats(), st.binary(max_size=10),
    st.lists(st.text(max_size=5), max_size=3),
)


@st.composite
def element_string_of_a_unit(draw, units):
    """(code, pairs, lot): an element string naming one of ``units`` in any form."""
    product, barcode, lot, batch = draw(st.sampled_from(units))
    serial = draw(st.sampled_from([lot.name, lot.name.lower(),
                                   lot.name.replace("-", "").replace("/", "")]))
    expiry = datetime.datetime.combine(lot.expiration_date.date(), datetime.time())
    pairs = [("01", barcode.zfill(14)), ("21", serial)]
    if draw(st.booleans()):
        pairs.append(("10", batch))
    if draw(st.booleans()):
        pairs.append(("17", expiry.strftime("%y%m%d")))
    for ai in draw(st.lists(st.sampled_from(EXTRA_AIS), unique=True, max_size=2)):
        if ai in ("30", "37"):
            pairs.append((ai, draw(st.text(DIGITS, min_size=1, max_size=8))))
        else:
            pairs.append((ai, draw(st.dates(datetime.date(2000, 1, 1),
                                            datetime.date(2049, 12, 31))).strftime(
                                                "%y%m%d")))
    pairs = draw(st.permutations(pairs))
    form = draw(st.sampled_from(["bracketed", "fnc1", "fnc1-loose"]))
    if form == "bracketed":
        text = "".join(f"({ai}){value}" for ai, value in pairs)
    else:
        pieces = []
        for index, (ai, value) in enumerate(pairs):
            pieces.append(ai + value)
            fixed = gs1.APPLICATION_IDENTIFIERS[ai].is_fixed_length
            if index < len(pairs) - 1 and (not fixed or (
                    form == "fnc1-loose" and draw(st.booleans()))):
                pieces.append(GS)
        text = "".join(pieces)
        if form == "fnc1-loose" and draw(st.booleans()):
            text = GS + text
    identifier = draw(st.sampled_from(["", "]C1", "]d2", "]Q3", "]e0"]))
    return identifier + text, pairs, lot


@tagged("post_install", "-at_install")
class TestResolverProperties(SerialInventoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Resolver = cls.env["serial.code.resolver"]
        cls.expiry = datetime.date.today() + datetime.timedelta(days=500)
        # Products whose barcodes are GTINs stored in each length, one unit each of several
        # serials, among them some that look like element strings or AIs themselves.
        cls.units = []
        for index, barcode in enumerate(("4006381333931", "036000291452", "96385074",
                                         "10614141000415")):
            product = cls._create_serial_product(f"Property unit {index}", barcode=barcode)
            batch = cls.env["serial.batch"].create(
                {"name": f"B-{index}", "product_id": product.id})
            for name in ("SN-0001", f"P{index}/77.a", "0109506000134352123", "21-10-17"):
                lot = cls.env["stock.lot"].create({
                    "name": name, "product_id": product.id, "company_id": cls.company.id,
                    "serial_batch_id": batch.id,
                    "expiration_date": datetime.datetime.combine(cls.expiry,
                                                                 datetime.time(12))})
                cls.units.append((product, barcode, lot, batch.name))
        cls.delivery = cls._create_picking_of(cls.units[0][0])

    @classmethod
    def _create_picking_of(cls, product):
        return cls.env["stock.picking"].create({
            "picking_type_id": cls.picking_type_out.id,
            "location_id": cls.stock_location.id,
            "location_dest_id": cls.customer_location.id,
            "move_ids": [(0, 0, {
                "name": product.display_name, "product_id": product.id, "product_uom_qty": 1,
                "product_uom": product.uom_id.id, "location_id": cls.stock_location.id,
                "location_dest_id": cls.customer_location.id})],
        })

    @PROPERTY_SETTINGS
    @given(code=ANY_CODE, with_picking=st.booleans())
    def test_any_input_resolves_or_is_refused_with_a_user_error(self, code, with_picking):
        picking = self.delivery if with_picking else None
        with self.assertChangesNothing(), self.env.cr.savepoint():
            try:
                result = self.Resolver._resolve(code, picking=picking)
            except UserError as error:
                message = str(error)
                self.assertTrue(message)
                self.assertNotIn("\x00", message)
                self.assertLess(len(message), 1000)
            else:
                self.assertLessEqual(RESULT_KEYS, set(result))
                self.assertEqual(result["product"]._name, "product.product")
                self.assertLessEqual(len(result["lot"]), 1)
                if result["lot"]:
                    self.assertEqual(result["product"], result["lot"].product_id)

    @PROPERTY_SETTINGS
    @given(data=st.data())
    def test_element_strings_of_a_unit_resolve_to_it(self, data):
        code, pairs, lot = data.draw(element_string_of_a_unit(self.units))
        with self.assertChangesNothing():
            result = self.Resolver._resolve(code)
        self.assertEqual(result["lot"], lot, repr(code))
        self.assertEqual(result["product"], lot.product_id)
        self.assertTrue(result["gs1"])
        self.assertFalse(result["expired"])
        # Odoo's GS1 nomenclature reads the canonical form into the same fields.
        nomenclature = self.env.ref("barcodes_gs1_nomenclature.default_gs1_nomenclature")
        decomposed = nomenclature.gs1_decompose_extanded(gs1.build(pairs))
        self.assertEqual([(part["ai"], part["string_value"]) for part in decomposed], pairs)

    @PROPERTY_SETTINGS
    @given(data=st.data())
    def test_a_unit_with_another_batch_or_expiry_is_refused(self, data):
        product, barcode, lot, batch = data.draw(st.sampled_from(self.units))
        wrong_batch = data.draw(st.text(sorted(gs1.CSET82), min_size=1, max_size=20).filter(
            lambda name: name != batch))
        days = data.draw(st.integers(1, 3000) | st.integers(-3000, -1))
        wrong_expiry = (lot.expiration_date.date() + datetime.timedelta(days=days)).strftime(
            "%y%m%d")
        extra = data.draw(st.sampled_from([("10", wrong_batch), ("17", wrong_expiry)]))
        code = gs1.build([("01", barcode.zfill(14)), extra, ("21", lot.name)])
        with self.assertChangesNothing(), self.assertRefused(UserError, lot.name,
                                                             "does not match"):
            self.Resolver._resolve(code)
