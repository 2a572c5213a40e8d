"""scanned_code.clean: what a scanner sends, stripped, or refused naming what is wrong."""

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from serial_inventory.lib import scanned_code
from serial_inventory.lib.scanned_code import GS, ScannedCodeError


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("SN-1", "SN-1"),
        ("  SN-1\r\n", "SN-1"),
        ("\tSN 1\u00a0", "SN 1"),  # inner space kept, no-break space stripped
        (GS + "0109506000134352", GS + "0109506000134352"),  # FNC1 kept
        ("0109506000134352" + GS + " ", "0109506000134352" + GS),
        ("\u2003]C1" + GS + "01", "]C1" + GS + "01"),
    ],
)
def test_whitespace_stripped_group_separator_kept(raw, code):
    assert scanned_code.clean(raw) == code


@pytest.mark.parametrize(
    ("raw", "fragments"),
    [
        ("SN\x00-1", ["U+0000 NUL", "position 3", "SN<NUL>-1"]),
        ("\x1c", ["U+001C FS"]),  # a separator str.strip() would have dropped
        ("A\x1eB", ["U+001E RS", "position 2"]),
        ("A\x85B", ["U+0085"]),
        ("A\ud800", ["U+D800", "A<U+D800>"]),
        ("A" * 501, ["501 characters", "more than 500", "\u2026"]),
        ("", ["empty"]),
        (" \r\n\t", ["empty"]),
        (None, ["empty"]),
        (False, ["empty"]),
        (42, ["not int 42"]),
        (["x"], ["not list ['x']"]),
        (b"x", ["not bytes b'x'"]),
    ],
)
def test_refused_naming_what_is_wrong(raw, fragments):
    with pytest.raises(ScannedCodeError) as caught:
        scanned_code.clean(raw)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message
    assert caught.value.template % caught.value.params == message
    assert "\x00" not in message and len(message) < 300


def test_longest_code_accepted():
    assert scanned_code.clean("A" * 500) == "A" * 500


@settings(max_examples=500)
@given(st.one_of(st.text(), st.text(st.characters(codec="utf-8")).map(lambda t: t * 3),
                 st.none(), st.integers(), st.binary(), st.lists(st.text())))
@example("\x00" * 10000)
def test_clean_codes_can_be_stored_and_errors_are_the_only_failure(raw):
    try:
        code = scanned_code.clean(raw)
    except ScannedCodeError as error:
        assert "\x00" not in str(error)
        str(error).encode("utf-8")  # a message PostgreSQL and a browser can take
        return
    assert code and len(code) <= scanned_code.MAX_LENGTH
    assert code == code.strip(" \t\r\n")
    code.encode("utf-8")
    assert "\x00" not in code
    assert all(char == GS or unicodedata.category(char) not in ("Cc", "Cs") for char in code)


@given(st.text())
def test_shown_is_short_and_has_no_control_character(text):
    shown = scanned_code.shown(text)
    assert len(shown) <= scanned_code.SHOWN_LENGTH * 8 + 1
    assert not any(ord(char) < 0x20 for char in shown)
    shown.encode("utf-8")
