"""Serial names: the one rule deciding what a serial number is and when two are the same.

A serial ends up on a Code 128 / DataMatrix / GS1 (AI 21) label, which carry ASCII only, and
is typed again by people reading that label. The rule:

- :func:`clean` gives the stored and displayed form. Unicode NFKC first (ligatures become
  letters, full-width forms become ASCII, a no-break space becomes a space), then leading and
  trailing whitespace, control and format characters are dropped (space, tab, CR/LF, NBSP,
  the GS1 group separator ``\\x1d``, a byte order mark...). What is left must be printable
  ASCII (``!`` to ``~``) with at most single spaces between characters: a control character
  (NUL included), two spaces in a row or any other character inside is refused, naming it
  and its Unicode name, so look-alikes such as U+0131 LATIN SMALL LETTER DOTLESS I or U+0410
  CYRILLIC CAPITAL LETTER A never pass for ``I`` or ``A``. Case and separators are kept as
  typed.

  A single inner space is kept because suppliers' serials carry some ("SN 1234"); it counts
  as a separator, so "AB 1" and "AB1" are one serial. Serials of a pattern never have one
  (patterns' check characters refuse it), and GS1 AI 21 cannot carry one: the labels'
  GS1 encoding refuses such serials.
- :func:`key` gives the comparison key: the clean form upper-cased without the separators
  space ``-`` ``/`` ``.`` ``_``. That is the payload the check character is computed over
  (see :func:`.serial_pattern.strip_separators`), so the check character and uniqueness
  agree: ``ph-x200-00002b``, ``PHX20000002B`` and ``PH/X200/00002B`` are one serial.
- :func:`loose_key` is the key of a name stored before this rule existed: the same
  normalisation without refusing anything, so old names can still be compared and found.

Errors carry ``template`` and ``params`` so that the Odoo layer can translate them.
"""

from __future__ import annotations

import unicodedata

SEPARATORS = " -/._"

_ASCII_CONTROL_NAMES = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI "
    "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
).split()
# Characters shown in a message are cut after this many, with an ellipsis.
_SHOWN_LENGTH = 40


def _(template: str) -> str:
    """Marks a message template for Odoo's term extraction; the Odoo layer translates it
    (``_(error.template, **error.params)``)."""
    return template


class SerialNameError(ValueError):
    """Base error; ``template`` and ``params`` let the Odoo layer translate the message."""

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params
        super().__init__(template % params)


class NotTextError(SerialNameError):
    """The value is not a str."""


class EmptySerialNameError(SerialNameError):
    """Nothing but whitespace, control characters or separators."""


class ControlCharacterError(SerialNameError):
    """A control character (NUL, tab, GS...) between the serial's characters."""


class ForbiddenCharacterError(SerialNameError):
    """A character a barcode cannot carry (not printable ASCII), or two spaces in a row."""


class SerialNameTooLongError(SerialNameError):
    """Longer than the configured maximum."""


def describe_character(char: str) -> str:
    """``U+0131 LATIN SMALL LETTER DOTLESS I``; control characters by their ASCII name."""
    code = ord(char)
    if code < 0x20:
        name = f"{_ASCII_CONTROL_NAMES[code]} (control character)"
    elif code == 0x7F:
        name = "DEL (control character)"
    else:
        name = unicodedata.name(char, "") or f"{unicodedata.category(char)} character"
    return f"U+{code:04X} {name}"


def shorten(text: str, length: int = _SHOWN_LENGTH) -> str:
    """``text`` cut to ``length`` characters for a message."""
    return text if len(text) <= length else text[:length] + "\u2026"


def _is_edge_junk(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


def normalise(text: str) -> str:
    """NFKC, then the edges stripped of whitespace, control and format characters: the
    clean form of ``text`` if :func:`clean` accepts it; never raises for a str."""
    if text.isascii():  # NFKC leaves ASCII as it is
        if text.isprintable() and text[:1] != " " and text[-1:] != " ":
            return text  # the common case, kept cheap: nothing to strip
    else:
        text = unicodedata.normalize("NFKC", text)
    start, end = 0, len(text)
    while start < end and _is_edge_junk(text[start]):
        start += 1
    while end > start and _is_edge_junk(text[end - 1]):
        end -= 1
    return text[start:end]


def clean(text: str, max_length: int | None = None) -> str:
    """Return the stored form of the serial ``text``, or raise a :class:`SerialNameError`.

    ``max_length``: the longest clean form accepted (None: no limit).
    """
    if not isinstance(text, str):
        raise NotTextError(_("A serial number must be text, not %(value)r."), value=text)
    name = normalise(text)
    if not name:
        raise EmptySerialNameError(
            _("A serial number cannot be empty or only spaces (got %(value)r)."),
            value=shorten(text))
    if max_length and len(name) > max_length:
        raise SerialNameTooLongError(
            _("Serial number %(value)r has %(length)s characters; serial numbers have at "
              "most %(max_length)s (see Inventory settings: Serial number length)."),
            value=shorten(name), length=len(name), max_length=max_length)
    # Printable ASCII: space to '~' (str.isprintable refuses every control character).
    if not (name.isascii() and name.isprintable()) or "  " in name:
        _refuse_characters(name)
    if not _drop_separators(name):
        raise EmptySerialNameError(
            _("Serial number %(value)r has only separators (space - / . _): it needs a "
              "letter, a digit or another character."), value=shorten(name))
    return name


def _refuse_characters(name: str) -> None:
    for position, char in enumerate(name, start=1):
        code = ord(char)
        if code < 0x20 or 0x7F <= code <= 0x9F:
            raise ControlCharacterError(
                _("Serial number %(value)r contains the control character %(character)s "
                  "at position %(position)s."),
                value=shorten(name), character=describe_character(char), position=position)
        if code > 0x7E:
            raise ForbiddenCharacterError(
                _("Serial number %(value)r contains %(char)r (%(character)s) at position "
                  "%(position)s: serial numbers are printed on barcodes, which carry ASCII "
                  "letters, digits and punctuation only."),
                value=shorten(name), char=char, character=describe_character(char),
                position=position)
        if char == " " and name[position - 2] == " ":
            raise ForbiddenCharacterError(
                _("Serial number %(value)r has two spaces in a row at position "
                  "%(position)s: a serial number may contain single spaces only."),
                value=shorten(name), position=position - 1)


def _drop_separators(text: str) -> str:
    # Chained replace() beats str.translate() on short strings (100,000 serials at once).
    return (text.replace("-", "").replace("/", "").replace(".", "").replace("_", "")
            .replace(" ", ""))


def key(text: str) -> str:
    """The comparison key of the serial ``text``: its clean form upper-cased, without the
    separators space - / . _. Raises :class:`SerialNameError` like :func:`clean`."""
    return _drop_separators(clean(text).upper())


def loose_key(text: str) -> str:
    """The key of a name stored before the rule (possibly one :func:`clean` refuses).

    Equal to :func:`key` whenever :func:`key` accepts ``text``; never raises for a str.
    """
    return _drop_separators(normalise(text).upper())
