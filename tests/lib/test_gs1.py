"""GS1 helpers: GTIN check digits, element strings in both forms, dates."""

import random
from datetime import date

import pytest

from serial_inventory.lib import gs1
from serial_inventory.lib.gs1 import (
    GS,
    Gs1Error,
    InvalidElementError,
    InvalidGtinError,
    MalformedElementStringError,
    UnknownApplicationIdentifierError,
)

TODAY = date(2026, 1, 15)
HUMAN = "(01)09506000134352(21)ABC123(17)261231(10)B1"
PAIRS = [("01", "09506000134352"), ("21", "ABC123"), ("17", "261231"), ("10", "B1")]
FNC1 = "0109506000134352" + "21ABC123" + GS + "17261231" + "10B1"
FULL_WIDTH_GTIN = "".join(
    chr(0xFF10 + int(digit)) for digit in "4006381333931"
)  # full-width digits


def parse(text):
    return gs1.parse(text, today=TODAY)


# GTIN


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("96385074", "EAN-8"),  # GS1 / Wikipedia EAN-8 example
        ("036000291452", "UPC-A"),  # Wikipedia UPC-A example
        ("4006381333931", "EAN-13"),  # Wikipedia EAN-13 example
        ("09506000134352", "GTIN-14"),  # GS1 example GTIN
        ("00012345600012", "GTIN-14"),
    ],
)
def test_validate_gtin_published_examples(code, kind):
    assert gs1.validate_gtin(code) == kind
    assert gs1.gtin_check_digit(code[:-1]) == code[-1]


def test_gtin_check_digit_agrees_with_stdnum():
    from stdnum import ean

    generator = random.Random("gtin")
    for _ in range(2000):
        digits = "".join(generator.choice("0123456789") for _ in range(generator.randint(1, 17)))
        assert gs1.gtin_check_digit(digits) == ean.calc_check_digit(digits), digits


def test_wrong_gtin_check_digit_says_which_was_expected():
    with pytest.raises(InvalidGtinError) as caught:
        gs1.validate_gtin("4006381333932")
    assert caught.value.params["expected"] == "1"
    assert "expected 1" in str(caught.value) and "'4006381333932'" in str(caught.value)


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("40063813339", "11 digits"),
        ("123456789012345", "15 digits"),
        ("", "digits only"),
        ("400638133393A", "digits only"),
        ("4006381 33931", "digits only"),
        (FULL_WIDTH_GTIN, "digits only"),  # str.isdigit() says yes, a GTIN says no
        (4006381333931, "digits only"),
    ],
)
def test_invalid_gtins(code, fragment):
    with pytest.raises(InvalidGtinError, match=fragment):
        gs1.validate_gtin(code)


@pytest.mark.parametrize("digits", ["", "12a", "1" * 18])
def test_gtin_check_digit_refuses_bad_input(digits):
    with pytest.raises(InvalidGtinError):
        gs1.gtin_check_digit(digits)


# Parsing


def test_both_forms_parse_to_the_same_pairs():
    assert parse(HUMAN) == PAIRS
    assert parse(FNC1) == PAIRS


@pytest.mark.parametrize("identifier", ["]C1", "]d2", "]Q3", "]e0", "]J1"])
def test_symbology_identifier_is_stripped(identifier):
    assert parse(identifier + FNC1) == PAIRS
    assert gs1.to_fnc1(identifier + FNC1, today=TODAY) == FNC1


def test_non_gs1_symbology_identifier_is_refused():
    with pytest.raises(MalformedElementStringError, match="']C0'"):
        parse("]C0" + FNC1)


def test_canonical_form():
    assert gs1.build(PAIRS, today=TODAY) == FNC1
    assert gs1.to_fnc1(HUMAN, today=TODAY) == FNC1
    assert gs1.to_fnc1(FNC1, today=TODAY) == FNC1
    assert gs1.to_human(PAIRS, today=TODAY) == HUMAN


def test_variable_field_before_and_after_fixed_ones():
    pairs = [
        ("10", "LOT-7"),
        ("01", "09506000134352"),
        ("21", "S/N:42"),
        ("240", "X" * 30),
        ("17", "270600"),
        ("37", "12"),
    ]
    encoded = gs1.build(pairs, today=TODAY)
    assert encoded == (
        "10LOT-7"
        + GS
        + "0109506000134352"
        + "21S/N:42"
        + GS
        + "240"
        + "X" * 30
        + GS
        + "17270600"
        + "3712"
    )
    assert parse(encoded) == pairs
    assert parse(gs1.to_human(pairs, today=TODAY)) == pairs


def test_round_trips():
    samples = [
        [("00", "106141411234567897")],
        [("02", "09506000134352"), ("37", "100"), ("15", "270115")],
        [("01", "09506000134352"), ("11", "250101"), ("13", "250102"), ("30", "12345678")],
        [("240", "a!\"%&'()*+,-./:;<=>?_z")],  # every CSET 82 punctuation mark
        [("240", "1"), ("21", "2"), ("10", "3")],
        [("12", "261231"), ("16", "261200"), ("10", "B1")],
    ]
    for pairs in samples:
        encoded = gs1.build(pairs, today=TODAY)
        assert parse(encoded) == pairs
        assert gs1.build(parse(encoded), today=TODAY) == encoded
        assert parse(gs1.to_human(pairs, today=TODAY)) == pairs


def test_tolerated_encoder_habits():
    # GS after a fixed-length field, a leading GS (FNC1 in first position) and a trailing GS.
    assert parse("0109506000134352" + GS + "21ABC") == [("01", "09506000134352"), ("21", "ABC")]
    assert parse(GS + FNC1) == PAIRS
    assert parse("]d2" + GS + FNC1) == PAIRS
    assert parse(FNC1 + GS) == PAIRS


def test_wrong_gtin_check_digit_in_01_and_02():
    with pytest.raises(InvalidElementError) as caught:
        parse("(01)09506000134353")
    message = str(caught.value)
    assert "(01)" in message and "'09506000134353'" in message and "expected 2" in message
    with pytest.raises(InvalidElementError, match=r"\(02\).*expected 2"):
        parse("0209506000134353")
    with pytest.raises(InvalidElementError, match=r"\(00\)"):
        parse("00106141411234567898")


@pytest.mark.parametrize(
    "text",
    ["(17)260230", "(17)261301", "(11)250001", "(15)250132", "(17)2612AB", "17260431"],
)
def test_invalid_dates(text):
    with pytest.raises(InvalidElementError) as caught:
        parse(text)
    assert "(1" in str(caught.value)  # names the AI


def test_dd_00_is_a_valid_date():
    assert parse("(17)260200") == [("17", "260200")]
    assert gs1.expiry_date("260200", TODAY) == date(2026, 2, 28)
    assert gs1.expiry_date("280200", TODAY) == date(2028, 2, 29)
    assert gs1.expiry_date("261200", TODAY) == date(2026, 12, 31)


def test_february_29_depends_on_the_century():
    assert gs1.expiry_date("000229", date(2026, 1, 1)) == date(2000, 2, 29)
    with pytest.raises(InvalidElementError):  # 2100 is not a leap year
        gs1.expiry_date("000229", date(2075, 1, 1))
    with pytest.raises(InvalidElementError):
        gs1.parse("(17)000229", today=date(2075, 1, 1))


@pytest.mark.parametrize(
    ("yymmdd", "today", "expected_year"),
    [
        ("760101", date(2026, 5, 5), 2076),  # +50: same century
        ("770101", date(2026, 5, 5), 1977),  # +51: previous century
        ("270101", date(2026, 5, 5), 2027),
        ("010101", date(2050, 1, 1), 2001),  # -49: same century
        ("000101", date(2050, 1, 1), 2100),  # -50: next century
        ("990101", date(2001, 1, 1), 1999),
        ("300101", date(1990, 1, 1), 2030),
    ],
)
def test_century_rule(yymmdd, today, expected_year):
    assert gs1.expiry_date(yymmdd, today).year == expected_year


def test_expiry_date_defaults_to_today():
    assert abs(gs1.expiry_date("000101").year - date.today().year) <= 50


@pytest.mark.parametrize("value", ["26123", "2612311", "26-12-31", None])
def test_expiry_date_refuses_malformed_values(value):
    with pytest.raises(InvalidElementError):
        gs1.expiry_date(value, TODAY)


def test_unknown_ai():
    with pytest.raises(UnknownApplicationIdentifierError, match="'99'"):
        parse("(99)ABC")
    with pytest.raises(UnknownApplicationIdentifierError, match="'9912'"):
        parse("9912ABC")
    with pytest.raises(UnknownApplicationIdentifierError, match="'241'"):
        gs1.build([("241", "X")])
    with pytest.raises(UnknownApplicationIdentifierError, match="'99AB'"):
        parse("0109506000134352" + "99ABC")


@pytest.mark.parametrize(
    "text",
    [
        "0109506000134",  # fixed field cut short
        "01095060001343",  # one digit short
        "010950600013" + GS + "4352",  # GS inside a fixed field
        "0109506000134352172612",  # date cut short
        "00106141411234567",  # SSCC cut short
        "(01)0950600013435",  # human form, one digit short
        "(01)095060001343521",  # human form, one digit too many
        "(01)09506000134352(17)26123",
    ],
)
def test_truncated_input_raises(text):
    with pytest.raises(Gs1Error) as caught:
        parse(text)
    assert "(01)" in str(caught.value) or "(17)" in str(caught.value) or "(00)" in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "]C1",
        GS,
        "]d2" + GS,
        FNC1 + GS + GS,  # empty element
        "0109506000134352" + GS + GS + "21A",
        "x" + FNC1,
        FNC1 + " ",  # stray space
        FNC1 + "\n",  # scanner's Enter key left in
        "0109506000134352XX",  # junk after a fixed field
        "(01)09506000134352 ",
        "(01)09506000134352(21)",  # empty value
        "(01)09506000134352)(21)A",
        "(01",
        "01(01)09506000134352",
        "(01)09506000134352junk-after",
        "21" + "A" * 21,  # too long: probably a missing GS
        "(21)" + "A" * 21,
        "(10)AB" + GS + "C",
        "(21)ABC DEF",
        "(21)ÄBC",
        "(30)123456789",
        "30123456789",
        "(37)1A",
        "0109506000134352" + "0109506000134352",  # same AI twice
        "(21)A(21)B",
    ],
)
def test_garbled_input_raises_and_never_returns_partial_data(text):
    with pytest.raises(Gs1Error):
        parse(text)


def test_length_limits():
    assert parse("(30)12345678") == [("30", "12345678")]
    assert parse("3012345678") == [("30", "12345678")]
    assert parse("(10)" + "A" * 20) == [("10", "A" * 20)]
    assert parse("(240)" + "B" * 30) == [("240", "B" * 30)]
    with pytest.raises(InvalidElementError, match=r"\(240\)"):
        parse("(240)" + "B" * 31)


def test_build_and_to_human_validate_their_pairs():
    with pytest.raises(InvalidElementError, match=r"\(01\)"):
        gs1.build([("01", "09506000134353")])
    with pytest.raises(InvalidElementError, match=r"\(21\)"):
        gs1.to_human([("21", "")])
    with pytest.raises(MalformedElementStringError):
        gs1.build([])
    with pytest.raises(MalformedElementStringError):
        gs1.build([("21", "A"), ("21", "B")])
    with pytest.raises(MalformedElementStringError):
        gs1.build(["21A"])
    with pytest.raises(InvalidElementError):
        gs1.build([("21", 42)])


def test_errors_are_value_errors_with_translatable_parts():
    with pytest.raises(ValueError) as caught:
        parse("(17)261301")
    error = caught.value
    assert isinstance(error, Gs1Error)
    assert error.template % error.params == str(error)
    assert error.params["ai"] == "17"
