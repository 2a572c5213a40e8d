"""The scan APIs' input checks: what a client may send, what is refused and why."""

import math

import pytest

from serial_inventory_dispatch.lib import scan_input
from serial_inventory_dispatch.lib.scan_input import ScanInputError

GS = "\x1d"


def reason(check, *args):
    with pytest.raises(ScanInputError) as caught:
        check(*args)
    return caught.value.reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  DSP-PH-001\n", "DSP-PH-001"),
        ("(01)09506000134352(21)ABC", "(01)09506000134352(21)ABC"),
        (f"]C10109506000134352" f"21ABC{GS}10B1", f"]C10109506000134352" f"21ABC{GS}10B1"),
        ("Ünïcödé-序列-7", "Ünïcödé-序列-7"),
        ("with inner space", "with inner space"),
        # A leading GS is FNC1 (str.strip() would drop it); a trailing one is kept too.
        (f"{GS}0109506000134352" f"21ABC{GS}\r\n", f"{GS}0109506000134352" f"21ABC{GS}"),
    ],
)
def test_codes_kept(value, expected):
    assert scan_input.clean_code(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("AB\x00C", scan_input.CONTROL),
        ("AB\tC", scan_input.CONTROL),
        ("AB\u200bC", scan_input.CONTROL),  # zero-width space: a format character
        ("AB\x7fC", scan_input.CONTROL),
        ("\x1eAB", scan_input.CONTROL),  # RS: kept by the strip, refused as a control
        ("AB\ud800C", scan_input.CONTROL),  # lone surrogate
        ("X" * (scan_input.MAX_CODE_LENGTH + 1), scan_input.LENGTH),
        (42, scan_input.TYPE),
        (4.2, scan_input.TYPE),
        (True, scan_input.TYPE),
        (["A"], scan_input.TYPE),
        ({"code": "A"}, scan_input.TYPE),
        (b"ABC", scan_input.TYPE),
        ("", scan_input.EMPTY),
        ("  \n", scan_input.EMPTY),
        (None, scan_input.EMPTY),
        (False, scan_input.EMPTY),
    ],
)
def test_codes_refused(value, expected):
    assert reason(scan_input.clean_code, value) == expected


def test_empty_code_allowed_when_asked():
    assert scan_input.clean_code(None, allow_empty=True) == ""
    assert scan_input.clean_code(" ", allow_empty=True) == ""


def test_longest_code_is_kept():
    code = "9" * scan_input.MAX_CODE_LENGTH
    assert scan_input.clean_code(code) == code


def test_client_uids():
    assert scan_input.clean_client_uid(" mkx1-3-abc ") == "mkx1-3-abc"
    assert reason(scan_input.clean_client_uid, "a\x00b") == scan_input.CONTROL
    assert reason(scan_input.clean_client_uid, 17) == scan_input.TYPE
    assert reason(scan_input.clean_client_uid, "") == scan_input.EMPTY
    assert reason(scan_input.clean_client_uid, "u" * 129) == scan_input.LENGTH


def test_code_lists():
    assert scan_input.clean_codes(["A", " ", None, " B "]) == ["A", "B"]
    assert scan_input.clean_codes(("A",)) == ["A"]
    assert reason(scan_input.clean_codes, "A") == scan_input.NOT_A_LIST
    assert reason(scan_input.clean_codes, None) == scan_input.NOT_A_LIST
    assert reason(scan_input.clean_codes, ["A", "B\x00"]) == scan_input.CONTROL
    assert reason(scan_input.clean_codes, ["A", 3]) == scan_input.TYPE
    too_many = ["A"] * (scan_input.MAX_CODE_COUNT + 1)
    assert reason(scan_input.clean_codes, too_many) == scan_input.COUNT


def test_code_lines():
    assert scan_input.split_codes("A\r\n\nB \n") == ["A", "B"]
    assert scan_input.split_codes(False) == []
    assert reason(scan_input.split_codes, "A\nB\x00\n") == scan_input.CONTROL
    assert reason(scan_input.split_codes, ["A"]) == scan_input.TYPE


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0.0), (2, 2.0), (1.5, 1.5), ("3", 3.0), (" 2.5 ", 2.5), (1e9, 1e9), ("-0", 0.0)],
)
def test_quantities_kept(value, expected):
    assert scan_input.clean_quantity(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (math.nan, scan_input.NOT_FINITE),
        ("nan", scan_input.NOT_FINITE),
        (math.inf, scan_input.NOT_FINITE),
        ("-inf", scan_input.NOT_FINITE),
        ("Infinity", scan_input.NOT_FINITE),
        (1e308, scan_input.TOO_LARGE),
        ("1e308", scan_input.TOO_LARGE),
        (10**400, scan_input.TOO_LARGE),
        (1e9 + 1, scan_input.TOO_LARGE),
        (-1, scan_input.NEGATIVE),
        ("-0.5", scan_input.NEGATIVE),
        (True, scan_input.NOT_A_NUMBER),
        (None, scan_input.NOT_A_NUMBER),
        ("abc", scan_input.NOT_A_NUMBER),
        ("", scan_input.NOT_A_NUMBER),
        ("2\x00", scan_input.NOT_A_NUMBER),
        ("1" * 50, scan_input.NOT_A_NUMBER),
        ([2], scan_input.NOT_A_NUMBER),
    ],
)
def test_quantities_refused(value, expected):
    assert reason(scan_input.clean_quantity, value) == expected


def test_record_ids():
    assert scan_input.clean_record_id(7) == 7
    assert scan_input.clean_record_id(False, required=False) is False
    assert scan_input.clean_record_id(None, required=False) is False
    assert scan_input.clean_record_id(0, required=False) is False
    for value in ("7", 7.0, True, None, 0, -3, 2**31, [7]):
        assert reason(scan_input.clean_record_id, value) == scan_input.NOT_AN_ID, value


def test_flags():
    assert scan_input.clean_flag(True) is True
    assert scan_input.clean_flag(False) is False
    for value in ("yes", 1, None):
        assert reason(scan_input.clean_flag, value) == scan_input.TYPE, value


def test_preview_names_the_value_printably():
    assert scan_input.preview("AB\x00C") == "AB\\x00C"
    assert scan_input.preview(f"A{GS}B") == "A\\x1dB"
    assert scan_input.preview(42) == "42"
    assert scan_input.preview(math.nan) == "nan"
    shortened = scan_input.preview("X" * 100)
    assert len(shortened) == scan_input.PREVIEW_LENGTH
    assert shortened.endswith("…")
    error = ScanInputError(scan_input.CONTROL, "AB\x00C")
    assert error.preview == "AB\\x00C"
    assert "\x00" not in str(error)


def test_format_quantity():
    assert [scan_input.format_quantity(q) for q in (2.0, 0.5, 1e9)] == ["2", "0.5", "1e+09"]
