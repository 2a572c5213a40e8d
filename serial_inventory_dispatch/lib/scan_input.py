"""Checks of the values a scanning client sends to the scan APIs, before any database access.

A scan API receives JSON from a browser, a scanner app or a script: anything may arrive. A
NUL byte in a text makes PostgreSQL refuse the query (a server error, a logged "bad query"),
a number where text is expected breaks ``.strip()``, ``nan`` or ``1e308`` breaks rounding.
Each check returns the cleaned value or raises :class:`ScanInputError`, whose ``reason`` tells
the caller which translated message to show; no Odoo import here.
"""

import math

# Longer than any serial, GS1 element string (at most 48 data characters plus identifiers)
# or product barcode; a longer "code" is a wedge scanner typing into the wrong field.
MAX_CODE_LENGTH = 256
# The dialog's ids are about 50 characters (time, counter, UUID).
MAX_CLIENT_UID_LENGTH = 128
# One scan list of a wizard or an API call.
MAX_CODE_COUNT = 10000
# Far above any real quantity, far below where float rounding loses units.
MAX_QUANTITY = 1e9
# What a preview of an offending value keeps.
PREVIEW_LENGTH = 40

# GS1 element strings in FNC1 form carry the group separator (GS, 0x1D) between fields, and
# some scanners send a leading one for FNC1; a scanner may also end a read with a tab or a
# line feed, which are stripped.
GS = "\x1d"
ALLOWED_CONTROLS = frozenset(GS)
# str.strip() counts the ASCII separators FS, GS, RS and US as whitespace: they are kept.
_SEPARATORS = "\x1c\x1d\x1e\x1f"

TYPE = "type"
NOT_A_LIST = "not_a_list"
CONTROL = "control"
LENGTH = "length"
EMPTY = "empty"
COUNT = "count"
NOT_A_NUMBER = "not_a_number"
NOT_FINITE = "not_finite"
TOO_LARGE = "too_large"
NEGATIVE = "negative"
NOT_AN_ID = "not_an_id"


class ScanInputError(ValueError):
    """A value a scan API refuses: ``reason`` is one of this module's reason constants,
    ``preview`` a printable, shortened form of the value to name in the message."""

    def __init__(self, reason, value, limit=None):
        self.reason = reason
        self.value = value
        self.limit = limit
        self.preview = preview(value)
        super().__init__(f"{reason}: {self.preview}")


def preview(value, length=PREVIEW_LENGTH):
    """A printable, shortened form of ``value``: control characters escaped (``\\x00``),
    cut at ``length`` characters with an ellipsis."""
    if not isinstance(value, str):
        value = repr(value)
    text = "".join(
        char if char.isprintable() else repr(char)[1:-1] for char in value
    )
    return text if len(text) <= length else text[: length - 1] + "…"


def is_control(char):
    """Control and other non-printable characters (NUL, tab, line breaks, format and
    unassigned characters, spaces other than the plain space) but the GS1 group separator."""
    return char not in ALLOWED_CONTROLS and not char.isprintable()


def strip(text):
    """``text`` without the whitespace around it, the ASCII separators (GS...) kept."""
    start, end = 0, len(text)
    while start < end and text[start].isspace() and text[start] not in _SEPARATORS:
        start += 1
    while end > start and text[end - 1].isspace() and text[end - 1] not in _SEPARATORS:
        end -= 1
    return text[start:end]


def clean_text(value, max_length, allow_empty=False):
    """``value`` stripped: a str without control characters, at most ``max_length`` long."""
    if not isinstance(value, str):
        if value is None or value is False:  # JSON null, Odoo's empty field
            value = ""
        else:
            raise ScanInputError(TYPE, value)
    text = strip(value)
    if any(is_control(char) for char in text):
        raise ScanInputError(CONTROL, text)
    if len(text) > max_length:
        raise ScanInputError(LENGTH, text, max_length)
    if not text and not allow_empty:
        raise ScanInputError(EMPTY, value)
    return text


def clean_code(value, allow_empty=False):
    """A scanned code: text of at most ``MAX_CODE_LENGTH`` characters."""
    return clean_text(value, MAX_CODE_LENGTH, allow_empty=allow_empty)


def clean_client_uid(value):
    """A client scan id: non-empty text of at most ``MAX_CLIENT_UID_LENGTH`` characters."""
    return clean_text(value, MAX_CLIENT_UID_LENGTH)


def clean_codes(values):
    """A list of scanned codes (a JSON array): each a code; blank entries are dropped."""
    if not isinstance(values, list | tuple):
        raise ScanInputError(NOT_A_LIST, values)
    if len(values) > MAX_CODE_COUNT:
        raise ScanInputError(COUNT, f"{len(values)} codes", MAX_CODE_COUNT)
    codes = (clean_code(value, allow_empty=True) for value in values)
    return [code for code in codes if code]


def split_codes(text):
    """The codes of a text with one code per line (a wizard's field), checked."""
    if text is None or text is False:
        return []
    if not isinstance(text, str):
        raise ScanInputError(TYPE, text)
    return clean_codes(text.splitlines())


def clean_quantity(value, maximum=MAX_QUANTITY):
    """A quantity: a finite number (or its text) from 0 to ``maximum``."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ScanInputError(NOT_A_NUMBER, value)
    if isinstance(value, str):
        text = value.strip()
        if any(is_control(char) for char in text) or len(text) > PREVIEW_LENGTH:
            raise ScanInputError(NOT_A_NUMBER, value)
        try:
            number = float(text)
        except ValueError as error:
            raise ScanInputError(NOT_A_NUMBER, value) from error
    else:
        try:
            number = float(value)
        except OverflowError as error:  # an int beyond the float range
            raise ScanInputError(TOO_LARGE, value, maximum) from error
    if not math.isfinite(number):
        raise ScanInputError(NOT_FINITE, value)
    if number < 0:
        raise ScanInputError(NEGATIVE, value)
    if number > maximum:
        raise ScanInputError(TOO_LARGE, value, maximum)
    return number


def clean_record_id(value, required=True):
    """A record id: a positive int (``False``/``None``/0 for none when not ``required``)."""
    if not required and (value is None or value is False or value == 0):
        return False
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0 or value > 2**31 - 1:
        raise ScanInputError(NOT_AN_ID, value)
    return value


def clean_flag(value):
    """A JSON boolean."""
    if not isinstance(value, bool):
        raise ScanInputError(TYPE, value)
    return value


def format_quantity(quantity):
    """A quantity as messages show it: ``2``, ``0.5``, ``1e+09``."""
    return f"{quantity:g}"
