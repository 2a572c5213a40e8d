"""Properties of the GS1 parser: every way a scanner or a person may write an element string
decodes to the same fields, and no text makes the parser raise anything but Gs1Error.

The encodings below are written out here, independently of ``gs1.build``, so that the
parser is not only checked against its own encoder.
"""

import re
from datetime import date, timedelta

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from serial_inventory.lib import gs1
from serial_inventory.lib.gs1 import GS, Gs1Error

TODAY = date(2026, 1, 15)
DIGITS = "0123456789"
CSET82 = "".join(sorted(gs1.CSET82))
BRACKETED_AI = re.compile(r"\([0-9]{2,4}\)")


def with_check_digit(digits):
    """``digits`` followed by its GS1 mod-10 check digit, computed here from the rule."""
    total = sum(int(digit) * (3 if index % 2 == 0 else 1)
                for index, digit in enumerate(reversed(digits)))
    return digits + str(-total % 10)


def yymmdd(day, day_00):
    return day.strftime("%y%m") + ("00" if day_00 else day.strftime("%d"))


# Dates GS1's century rule puts in the same century as written: within -49..+50 years.
gs1_dates = st.builds(
    yymmdd,
    st.dates(min_value=date(TODAY.year - 49, 1, 1), max_value=date(TODAY.year + 50, 12, 31)),
    st.booleans(),
)


def value_of(ai):
    spec = gs1.APPLICATION_IDENTIFIERS[ai]
    if spec.check_digit:
        return st.text(DIGITS, min_size=spec.length - 1, max_size=spec.length - 1).map(
            with_check_digit)
    if spec.content == "date":
        return gs1_dates
    if spec.content == "numeric":
        return st.text(DIGITS, min_size=1, max_size=spec.max_length)
    return st.text(CSET82, min_size=1, max_size=spec.max_length)


@st.composite
def element_pairs(draw):
    """(AI, value) pairs: distinct AIs, fixed and variable length, in any order."""
    ais = draw(st.lists(st.sampled_from(sorted(gs1.APPLICATION_IDENTIFIERS)), min_size=1,
                        max_size=7, unique=True))
    return [(ai, draw(value_of(ai))) for ai in ais]


def is_fixed(ai):
    return gs1.APPLICATION_IDENTIFIERS[ai].is_fixed_length


@st.composite
def fnc1_forms(draw, pairs):
    """The FNC1 form as scanners send it: GS after each variable-length field but the last,
    sometimes after a fixed-length one too, an optional leading FNC1 (GS) and trailing GS,
    an optional GS1 symbology identifier."""
    pieces = []
    for index, (ai, value) in enumerate(pairs):
        pieces.append(ai + value)
        last = index == len(pairs) - 1
        if not last and (not is_fixed(ai) or draw(st.booleans())):
            pieces.append(GS)
    text = "".join(pieces)
    if draw(st.booleans()):
        text = GS + text
    if draw(st.booleans()):
        text += GS
    identifier = draw(st.sampled_from(("", *gs1.GS1_SYMBOLOGY_IDENTIFIERS)))
    return identifier + text


def bracketed(pairs):
    return "".join(f"({ai}){value}" for ai, value in pairs)


def canonical(pairs):
    """The canonical FNC1 form: GS only after variable-length fields that are not last."""
    return "".join(
        ai + value + (GS if not is_fixed(ai) and index < len(pairs) - 1 else "")
        for index, (ai, value) in enumerate(pairs))


@settings(max_examples=300)
@given(element_pairs(), st.data())
def test_every_fnc1_form_decodes_to_the_same_fields(pairs, data):
    text = data.draw(fnc1_forms(pairs))
    assert gs1.parse(text, today=TODAY) == pairs
    assert gs1.to_fnc1(text, today=TODAY) == canonical(pairs)
    assert gs1.looks_like_element_string(text) or not (
        text.startswith(gs1.GS1_SYMBOLOGY_IDENTIFIERS) or GS in text)


@settings(max_examples=300)
@given(element_pairs(), st.sampled_from(("", *gs1.GS1_SYMBOLOGY_IDENTIFIERS)))
def test_parenthesised_form_decodes_to_the_same_fields(pairs, identifier):
    # In this form a value ends at the next "(AI)": values holding such text need FNC1.
    assume(not any(BRACKETED_AI.search(value) for _ai, value in pairs))
    text = identifier + bracketed(pairs)
    assert gs1.parse(text, today=TODAY) == pairs
    assert gs1.to_fnc1(text, today=TODAY) == canonical(pairs)
    assert gs1.to_human(pairs, today=TODAY) == bracketed(pairs)
    assert gs1.looks_like_element_string(text)


@settings(max_examples=200)
@given(element_pairs())
def test_build_and_parse_are_inverse(pairs):
    encoded = gs1.build(pairs, today=TODAY)
    assert encoded == canonical(pairs)
    assert gs1.parse(encoded, today=TODAY) == pairs


@settings(max_examples=200)
@given(element_pairs(), st.data())
def test_a_changed_check_digit_is_refused(pairs, data):
    checked = [index for index, (ai, _value) in enumerate(pairs)
               if gs1.APPLICATION_IDENTIFIERS[ai].check_digit]
    assume(checked)
    index = data.draw(st.sampled_from(checked))
    ai, value = pairs[index]
    wrong = value[:-1] + data.draw(st.sampled_from([d for d in DIGITS if d != value[-1]]))
    broken = [*pairs[:index], (ai, wrong), *pairs[index + 1:]]
    text = data.draw(fnc1_forms(broken))
    try:
        gs1.parse(text, today=TODAY)
    except gs1.InvalidElementError as error:
        assert f"({ai})" in str(error)
    else:
        raise AssertionError(f"{text!r} has a wrong check digit in ({ai}) and was accepted")


@settings(max_examples=200)
@given(element_pairs(), st.data())
def test_a_cut_short_element_string_never_decodes_to_other_fields(pairs, data):
    text = canonical(pairs)
    cut = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    try:
        decoded = gs1.parse(text[:cut], today=TODAY)
    except Gs1Error:
        return
    # What survives a cut is a prefix of the fields, the last value possibly shortened
    # (a variable-length value has no end marker): never a field that was not there.
    assert len(decoded) <= len(pairs)
    for (ai, value), (original_ai, original_value) in zip(decoded, pairs, strict=False):
        assert ai == original_ai and original_value.startswith(value)


@settings(max_examples=300)
@given(element_pairs(), st.data())
def test_corrupted_element_strings_are_decoded_or_refused(pairs, data):
    # Scanners misread single characters: a digit of a date, a GTIN, a length.
    text = list(data.draw(fnc1_forms(pairs)))
    for _ in range(data.draw(st.integers(1, 3))):
        position = data.draw(st.integers(0, len(text) - 1))
        text[position] = data.draw(st.sampled_from([*DIGITS, GS, "(", ")", "A", "\x00"]))
    try:
        decoded = gs1.parse("".join(text), today=TODAY)
    except Gs1Error:
        return
    for ai, value in decoded:
        gs1.validate_element(ai, value, today=TODAY)  # whatever is decoded is valid


# Arbitrary input: the parser refuses with a Gs1Error, whatever it is given.

# Characters that reach the parser's deeper branches more often than random Unicode.
GS1_ISH = st.text(
    st.sampled_from([*DIGITS, "(", ")", "]", GS, "C", "d", "Q", "e", "J", "1", "2", "3",
                     "A", "z", "-", " ", "\n", "\x00", "\u0660", "\uff11", "\ud800"]),
    max_size=60)
AIM_PREFIXED = st.builds(lambda identifier, rest: identifier + rest,
                         st.sampled_from((*gs1.GS1_SYMBOLOGY_IDENTIFIERS, "]C0", "]E0", "]")),
                         GS1_ISH)


def refuses_only_with_gs1_errors(function, text):
    try:
        function(text)
    except Gs1Error:
        pass


@settings(max_examples=500)
@given(st.one_of(st.text(), GS1_ISH, AIM_PREFIXED,
                 st.binary().map(lambda raw: raw.decode("latin-1"))))
@example("\x00")
@example("(01)\u0660\u0661")  # Arabic-Indic digits: str.isdigit() says yes
@example("01" + "\uff10" * 14)  # full-width digits
@example("(17)" + "\ud800")  # a lone surrogate
@example("]C1" + GS)
@example("(" * 5000)
@example("21" + "A" * 10000)
def test_any_text_is_decoded_or_refused_with_a_gs1_error(text):
    refuses_only_with_gs1_errors(lambda t: gs1.parse(t, today=TODAY), text)
    refuses_only_with_gs1_errors(lambda t: gs1.to_fnc1(t, today=TODAY), text)
    refuses_only_with_gs1_errors(gs1.validate_gtin, text)
    refuses_only_with_gs1_errors(gs1.expiry_date, text)
    assert isinstance(gs1.looks_like_element_string(text), bool)
    identifier, rest = gs1.split_symbology_identifier(text)
    assert identifier + rest == text
    assert gs1.gtin_forms(text)[0] == text


@settings(max_examples=200)
@given(st.one_of(st.none(), st.integers(), st.floats(), st.lists(st.text()), st.binary(),
                 st.dictionaries(st.text(), st.text())))
def test_values_that_are_not_text_are_refused_with_a_gs1_error(value):
    refuses_only_with_gs1_errors(lambda v: gs1.parse(v, today=TODAY), value)
    refuses_only_with_gs1_errors(gs1.validate_gtin, value)
    assert gs1.looks_like_element_string(value) is False
    assert gs1.split_symbology_identifier(value) == ("", value)


@settings(max_examples=300)
@given(element_pairs())
def test_errors_quote_garbled_text_briefly(pairs):
    text = canonical(pairs) + "\x01" * 5000
    try:
        gs1.parse(text, today=TODAY)
    except Gs1Error as error:
        assert len(str(error)) < 1000
    else:
        raise AssertionError("a control character in an element string was accepted")


# GTIN forms


@settings(max_examples=300)
@given(st.sampled_from([7, 11, 12, 13]), st.data())
def test_every_stored_form_of_a_gtin_is_offered(length, data):
    gtin = with_check_digit(data.draw(st.text(DIGITS, min_size=length, max_size=length)))
    full = gtin.zfill(14)
    forms = gs1.gtin_forms(gtin)
    assert forms[0] == gtin
    assert full in forms
    for form in forms:
        assert form.zfill(14) == full
        assert gs1.gtin14(form) == full  # the same GTIN, whichever form is scanned
    # The scanned form, read back from any stored form, finds the scanned one.
    for form in forms:
        assert gtin in gs1.gtin_forms(form)


def test_gtin_forms_of_published_examples():
    assert gs1.gtin_forms("4006381333931") == ["4006381333931", "04006381333931"]
    assert gs1.gtin_forms("04006381333931") == ["04006381333931", "4006381333931"]
    assert gs1.gtin_forms("036000291452") == [
        "036000291452", "00036000291452", "0036000291452"]
    assert gs1.gtin_forms("0036000291452") == [
        "0036000291452", "00036000291452", "036000291452"]
    assert gs1.gtin_forms("96385074") == [
        "96385074", "00000096385074", "0000096385074", "000096385074"]
    assert gs1.gtin_forms("4006381333932") == ["4006381333932"]  # wrong check digit
    assert gs1.gtin_forms("SKU-1") == ["SKU-1"]


@given(st.dates(min_value=date(TODAY.year - 49, 1, 1),
                max_value=date(TODAY.year + 50, 12, 31)))
def test_expiry_dates_read_back(day):
    assert gs1.expiry_date(day.strftime("%y%m%d"), TODAY) == day
    last = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    assert gs1.expiry_date(day.strftime("%y%m") + "00", TODAY) == last


@given(st.text(max_size=5))
def test_symbology_identifiers_are_split_off(rest):
    for identifier in ("]C0", "]C1", "]E0", "]E4", "]e0", "]d2", "]Q3", "]A0", "]I1"):
        assert gs1.split_symbology_identifier(identifier + rest) == (identifier, rest)
    for text in ("]x1", "]C-", "]C\u0661", "A]C1", "]]C1", " ]C1"):
        assert gs1.split_symbology_identifier(text + rest) == ("", text + rest)
    for text in ("]", "]C"):
        assert gs1.split_symbology_identifier(text) == ("", text)
