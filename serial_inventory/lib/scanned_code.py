"""What a scanner or a keyboard sends, made into a code that can be looked up, or refused.

A scan arrives with whitespace around it (the scanner's Enter key, a typed space) and may be
garbage: NUL bytes or other control characters from a misconfigured scanner, a stuck key,
pasted text, something that is not text at all. :func:`clean` strips the whitespace and
refuses what can be no code, naming the offending character, before anything reaches the
database (PostgreSQL refuses NUL in text, UTF-8 cannot encode a lone surrogate).

The group separator GS (``\\x1d``) is kept wherever it is: it is FNC1, the separator of a
GS1 element string, and a leading one announces such a string. ``str.strip()`` would drop
it, since Python counts the ASCII separators FS, GS, RS and US as whitespace.

Errors carry ``template`` and ``params`` so that the Odoo layer can translate them.
"""

from __future__ import annotations

import unicodedata

from .serial_name import describe_character

GS = "\x1d"
# Longer than any label carries (a GS1 DataMatrix of a unit holds well under 200
# characters): longer input is a stuck key or pasted text, not a scan.
MAX_LENGTH = 500
# Characters of a code quoted in a message.
SHOWN_LENGTH = 60
_SEPARATOR_CONTROLS = frozenset("\x1c\x1d\x1e\x1f")


class ScannedCodeError(ValueError):
    """Input that is no code; ``template`` and ``params`` for translation."""

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params
        super().__init__(template % params)


def _is_blank(char: str) -> bool:
    return char.isspace() and char not in _SEPARATOR_CONTROLS


def _is_forbidden(char: str) -> bool:
    # Control characters (NUL included) cannot be typed into a code, lone surrogates cannot
    # be stored; GS is FNC1.
    return char != GS and unicodedata.category(char) in ("Cc", "Cs")


def _visible(char: str) -> str:
    if not (_is_forbidden(char) or char == GS):
        return char
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return f"<{describe_character(char).split()[1]}>"  # <NUL>, <GS>...
    return f"<U+{ord(char):04X}>"


def shown(code: str) -> str:
    """``code`` as a message quotes it: control characters by name, long codes cut."""
    text = "".join(_visible(char) for char in code[:SHOWN_LENGTH])
    return text + ("\u2026" if len(code) > SHOWN_LENGTH else "")


def clean(code) -> str:
    """``code`` without the whitespace around it, or :class:`ScannedCodeError`."""
    if code is None or code is False:
        raise ScannedCodeError("The scanned code is empty.")
    if not isinstance(code, str):
        raise ScannedCodeError(
            "A scanned code is text, not %(type)s %(value)s.",
            type=type(code).__name__,
            value=shown(repr(code)),
        )
    start, end = 0, len(code)
    while start < end and _is_blank(code[start]):
        start += 1
    while end > start and _is_blank(code[end - 1]):
        end -= 1
    text = code[start:end]
    if not text:
        raise ScannedCodeError("The scanned code is empty.")
    if len(text) > MAX_LENGTH:
        raise ScannedCodeError(
            "The scanned code %(code)s has %(length)s characters: no label carries more"
            " than %(max)s.",
            code=shown(text),
            length=len(text),
            max=MAX_LENGTH,
        )
    for position, char in enumerate(text, start=1):
        if _is_forbidden(char):
            raise ScannedCodeError(
                "The scanned code %(code)s contains the control character %(character)s at"
                " position %(position)s.",
                code=shown(text),
                character=describe_character(char),
                position=position,
            )
    return text
