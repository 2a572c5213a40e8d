"""Text from anyone: control characters and overlong input are named, GS1 scans pass."""

import pytest

from serial_inventory.lib.untrusted_text import (
    first_invisible,
    printable,
    serial_query_problem,
)


@pytest.mark.parametrize("text", ["PUB-1", "ÄBC 12", "01095060001343521" + "\x1d" + "21ABC",
                                  "x" * 128, ""])
def test_serials_and_gs1_scans_pass(text):
    assert serial_query_problem(text, 128) is None


@pytest.mark.parametrize(
    ("text", "code", "part", "position"),
    [
        ("\x00", "characters", "\\x00", 1),
        ("AB\x00C", "characters", "\\x00", 3),
        ("AB\nC", "characters", "\\x0a", 3),
        ("AB\x7fC", "characters", "\\x7f", 3),
        ("AB\x85C", "characters", "\\x85", 3),
        ("A\u202eB", "characters", "\\u202e", 2),
        ("A\ufeffB", "characters", "\\ufeff", 2),
        ("x" * 129, "too_long", "129", 0),
        ("\x00" * 500, "too_long", "500", 0),
    ],
)
def test_bad_serials_are_named(text, code, part, position):
    assert tuple(serial_query_problem(text, 128)) == (code, part, position)


def test_printable_escapes_what_cannot_be_seen():
    assert printable("A\x00B\tC D\u00a0E") == "A\\x00B\\x09C D\\xa0E"
    assert first_invisible("plain text") is None
    assert first_invisible("a\x1db", allowed="\x1d") is None
    assert first_invisible("a\x1db") == (2, "\\x1d")
