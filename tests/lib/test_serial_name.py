"""Serial names: the clean form, the comparison key, and what is refused (lib.serial_name)."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from serial_inventory.lib import serial_name
from serial_inventory.lib.check_characters import ALPHANUMERIC
from serial_inventory.lib.serial_name import (
    ControlCharacterError,
    EmptySerialNameError,
    ForbiddenCharacterError,
    NotTextError,
    SerialNameError,
    SerialNameTooLongError,
    clean,
    key,
    loose_key,
)
from serial_inventory.lib.serial_pattern import SEPARATORS, strip_separators


@pytest.mark.parametrize("typed", ["AB1", " AB1", "AB1 ", "AB1\t", "AB1\xa0", "\r\nAB1\r\n",
                                   "\x1dAB1\x1d", "\ufeffAB1", "AB1\x00", "\u3000AB1"])
def test_edges_are_stripped(typed):
    assert clean(typed) == "AB1"
    assert key(typed) == "AB1"


@pytest.mark.parametrize("typed", ["", "   ", "\t\xa0\r\n", "\x1d", "\u200b"])
def test_empty_is_refused(typed):
    with pytest.raises(EmptySerialNameError, match="cannot be empty"):
        clean(typed)


@pytest.mark.parametrize("typed", ["-", " - / . _ ", "___"])
def test_only_separators_is_refused(typed):
    with pytest.raises(EmptySerialNameError, match="only separators"):
        clean(typed)


def test_case_and_separators_are_kept_in_the_clean_form():
    assert clean(" ph-x200-00002b ") == "ph-x200-00002b"
    assert clean("PH/X200/00002B") == "PH/X200/00002B"


def test_retyped_labels_share_one_key():
    keys = {key(text) for text in ("PH-X200-00002B", "ph-x200-00002b", "PHX20000002B",
                                   "PH/X200/00002B", "PH.X200_00002B", "PH X200 00002B")}
    assert keys == {"PHX20000002B"}


def test_key_is_the_check_character_payload():
    """Uniqueness and the check character compare the same thing."""
    assert set(SEPARATORS) <= set(serial_name.SEPARATORS)
    assert key("ph-x200.0000_2b") == strip_separators("ph-x200.0000_2b".upper())


def test_nfkc_ligatures_and_full_width():
    assert clean("\ufb01ve-1") == "five-1"  # the fi ligature
    assert clean("\uff30\uff28\uff0d\uff18") == "PH-8"  # full-width PH-8
    assert clean("AB\xa01") == "AB 1"  # an inner no-break space is a space


@pytest.mark.parametrize(("typed", "shown"), [
    ("PH\u0131X", "U+0131 LATIN SMALL LETTER DOTLESS I"),
    ("\u0410B1", "U+0410 CYRILLIC CAPITAL LETTER A"),
    ("AB\u00e91", "U+00E9 LATIN SMALL LETTER E WITH ACUTE"),
    ("AB\u200b1", "U+200B ZERO WIDTH SPACE"),
])
def test_non_ascii_is_refused_by_name(typed, shown):
    with pytest.raises(ForbiddenCharacterError) as caught:
        clean(typed)
    assert shown in str(caught.value)
    assert "ASCII" in str(caught.value)


@pytest.mark.parametrize(("typed", "shown"), [
    ("AB\x001", "U+0000 NUL"), ("AB\t1", "U+0009 HT"), ("AB\x1d1", "U+001D GS"),
    ("AB\x7f1", "U+007F DEL"), ("AB\x851", "U+0085"),
])
def test_inner_control_characters_are_refused(typed, shown):
    with pytest.raises(ControlCharacterError, match="control character") as caught:
        clean(typed)
    assert shown in str(caught.value)
    assert "position 3" in str(caught.value)


def test_single_inner_spaces_only():
    assert clean("SN 12 34") == "SN 12 34"
    assert key("SN 12 34") == key("sn-1234") == "SN1234"
    for typed in ("AB  1", "AB \xa01"):
        with pytest.raises(ForbiddenCharacterError, match="two spaces in a row at position 3"):
            clean(typed)
    assert loose_key("AB  1") == "AB1"  # legacy names compare alike


def test_max_length():
    assert clean("A" * 64, max_length=64) == "A" * 64
    with pytest.raises(SerialNameTooLongError, match="3000 characters.*at most 64"):
        clean("A" * 3000, max_length=64)
    # The message shows the beginning of the serial, not all of it.
    with pytest.raises(SerialNameTooLongError) as caught:
        clean("A" * 3000, max_length=64)
    assert len(str(caught.value)) < 300
    assert clean(" " + "A" * 64 + " ", max_length=64) == "A" * 64  # stripped first


@pytest.mark.parametrize("value", [None, 12, b"AB1", ["AB1"]])
def test_not_text(value):
    with pytest.raises(NotTextError):
        clean(value)


def test_errors_carry_template_and_params():
    with pytest.raises(SerialNameError) as caught:
        clean("AB\u04101")
    error = caught.value
    assert error.template % error.params == str(error)
    assert error.params["character"] == "U+0410 CYRILLIC CAPITAL LETTER A"


def test_loose_key_of_legacy_names():
    assert loose_key(" ab-1\xa0") == "AB1"
    assert loose_key("\u0410B1") == "\u0410B1"  # never raises, keeps what it cannot fix
    assert loose_key("   ") == ""


printable_ascii = st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E),
                          min_size=1)


@given(st.text())
def test_arbitrary_text_raises_only_serial_name_errors(text):
    try:
        cleaned = clean(text, max_length=64)
    except SerialNameError:
        return
    assert cleaned == clean(cleaned)  # idempotent
    assert cleaned.isascii() and cleaned.isprintable() and "  " not in cleaned
    assert serial_name.normalise(text) == cleaned
    assert 0 < len(cleaned) <= 64


@given(st.text())
def test_key_of_clean_is_key(text):
    try:
        expected = key(text)
    except SerialNameError:
        return
    assert key(clean(text)) == expected
    assert loose_key(text) == expected
    assert key(expected) == expected
    assert expected and not set(expected) & set(serial_name.SEPARATORS)


@given(printable_ascii, st.lists(st.sampled_from(serial_name.SEPARATORS.strip())))
def test_separators_and_case_never_matter(serial, separators):
    """A label retyped with other separators or another case is the same serial."""
    if not strip_separators(serial):
        return
    mangled = "".join(separators) + serial.swapcase() + "".join(separators)
    assert key(mangled) == key(serial)


@given(st.text(alphabet=ALPHANUMERIC + "-", min_size=1, max_size=30))
def test_pattern_serials_are_their_own_clean_form(serial):
    if serial.strip("-"):
        assert clean(serial) == serial


@given(st.text())
@example(" ph x-1 ")
def test_key_is_the_check_character_payload_of_the_clean_form(text):
    """What the check character is computed over, without the spaces (which no check
    character alphabet has: a serial with a space never passes a check character)."""
    try:
        cleaned = clean(text)
    except SerialNameError:
        return
    assert key(text) == strip_separators(cleaned.upper()).replace(" ", "")
