"""Checks of text typed or sent by anyone (the public page, settings) before it is used.

PostgreSQL refuses NUL characters outright, and other control characters have no place in a
serial or an address: they are refused with a message naming them, rather than failing
deeper down. Standard library only.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

# The GS1 group separator (FNC1) ends variable-length fields of a scanned GS1 code.
GS1_SEPARATOR = "\x1d"


class TextProblem(NamedTuple):
    """What is wrong with a text: ``code``, ``part`` (the piece concerned, printable) and
    ``position`` (from 1, of that piece; 0 when the whole text is concerned)."""

    code: str
    part: str
    position: int = 0


def is_invisible(char: str) -> bool:
    """Control, format, separator or other unassigned character, or whitespace other than
    the plain space: what a person cannot see or type on purpose."""
    return char != " " and (char.isspace() or unicodedata.category(char)[0] in "CZ")


def escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with invisible characters shown as ``\\xNN`` or ``\\uNNNN``, so that a message
    quoting it shows what was sent and stays on one line."""
    return "".join(escaped(char) if is_invisible(char) else char for char in text)


def first_invisible(text: str, allowed: str = "") -> tuple[int, str] | None:
    """(position from 1, escaped character) of the first invisible character of ``text``
    that is not in ``allowed``; None when there is none."""
    for position, char in enumerate(text, start=1):
        if is_invisible(char) and char not in allowed:
            return position, escaped(char)
    return None


def serial_query_problem(text: str, max_length: int) -> TextProblem | None:
    """None when ``text`` (already stripped) may be looked up as a serial or scanned code.

    Codes: ``too_long`` (part: the length); ``characters`` (part: the first control or
    invisible character, escaped, at ``position``). The GS1 group separator is allowed: it
    is part of scanned GS1 codes.
    """
    if len(text) > max_length:
        return TextProblem("too_long", str(len(text)))
    found = first_invisible(text, allowed=GS1_SEPARATOR)
    if found:
        position, char = found
        return TextProblem("characters", char, position)
    return None
