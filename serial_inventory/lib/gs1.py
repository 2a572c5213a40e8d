"""GS1 helpers in plain Python: GTIN check digits and element strings (AIs such as (01), (21)).

Element strings are accepted in two forms and always produced in the canonical FNC1 form:

- human-readable: ``(01)09506000134352(21)ABC123(17)261231(10)B1``;
- FNC1, as a scanner sends it: an optional GS1 symbology identifier (``]C1``, ``]d2``,
  ``]Q3``, ``]e0``, ``]J1``), then the fields, with a group separator (GS, ``\\x1d``) after a
  variable-length field that is not the last one.

:func:`split_symbology_identifier` recognises the AIM identifier of any common symbology
(``]E0`` EAN-13, ``]C0`` plain Code 128...) so that a caller can strip it; :func:`parse`
takes the GS1 ones only. :func:`gtin_forms` gives the lengths a GTIN may be stored in.

Canonical FNC1 form: no symbology identifier, GS only after variable-length fields that are
not last. When reading, a GS right after a fixed-length field, one leading GS and one trailing
GS are tolerated (common encoder habits); anything else unexpected raises. In the
human-readable form a variable-length value ends at the next ``(`` + digits + ``)``, so values
containing such text can only be given in FNC1 form.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

GS = "\x1d"
# AIM symbology identifiers (ISO/IEC 15424) a scanner may put before the data: "]", the
# symbology's code character, a modifier. These announce a GS1 element string: GS1-128,
# GS1 DataMatrix, GS1 QR Code, GS1 DataBar, GS1 DotCode.
GS1_SYMBOLOGY_IDENTIFIERS = ("]C1", "]d2", "]Q3", "]e0", "]J1")
# Code characters of the symbologies whose identifiers are recognised and stripped (Code 39,
# Telepen, Code 128, Code One, EAN/UPC, Codabar, Code 93, Code 11, ITF, Code 16K, PDF417,
# MSI, Anker, Codablock, Plessey, QR Code, 2 of 5, Code 49, MaxiCode, other, DataMatrix,
# DataBar, Aztec, DotCode, Han Xin).
AIM_SYMBOLOGY_CODES = frozenset("ABCDEFGHIKLMNOPQRSTUXdezJh")
# GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1).
CSET82 = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
GTIN_KINDS = {8: "EAN-8", 12: "UPC-A", 13: "EAN-13", 14: "GTIN-14"}

# [0-9] rather than \d, which also matches other scripts' digits: no AI has those.
_BRACKETED_AI = re.compile(r"\(([0-9]{2,4})\)")
# Text quoted in error messages is cut after this many characters.
_SHOWN_LENGTH = 80


class Gs1Error(ValueError):
    """Base error; ``template`` and ``params`` let the Odoo layer translate the message."""

    def __init__(self, template: str, **params):
        self.template = template
        # A garbled scan can be thousands of characters long: messages show its start.
        self.params = {
            name: value[:_SHOWN_LENGTH] + "\u2026"
            if isinstance(value, str) and len(value) > _SHOWN_LENGTH
            else value
            for name, value in params.items()
        }
        super().__init__(template % self.params)


class InvalidGtinError(Gs1Error):
    """A GTIN (or SSCC) with a wrong length, a non-digit or a wrong check digit."""


class UnknownApplicationIdentifierError(Gs1Error):
    """An AI this module does not know."""


class InvalidElementError(Gs1Error):
    """A value that breaks its AI's rules (length, characters, date, check digit)."""


class MalformedElementStringError(Gs1Error):
    """Text that is not a well-formed element string (garbled, truncated, stray characters)."""


@dataclass(frozen=True)
class ApplicationIdentifier:
    """Rules of one AI: ``length`` for fixed-length AIs, else ``max_length``."""

    ai: str
    title: str
    content: str  # "numeric", "cset82" or "date"
    length: int | None = None
    max_length: int | None = None
    check_digit: bool = False

    @property
    def is_fixed_length(self) -> bool:
        return self.length is not None


APPLICATION_IDENTIFIERS = {
    spec.ai: spec
    for spec in (
        ApplicationIdentifier("00", "SSCC", "numeric", length=18, check_digit=True),
        ApplicationIdentifier("01", "GTIN", "numeric", length=14, check_digit=True),
        ApplicationIdentifier("02", "CONTENT", "numeric", length=14, check_digit=True),
        ApplicationIdentifier("10", "BATCH/LOT", "cset82", max_length=20),
        ApplicationIdentifier("11", "PROD DATE", "date", length=6),
        ApplicationIdentifier("12", "DUE DATE", "date", length=6),
        ApplicationIdentifier("13", "PACK DATE", "date", length=6),
        ApplicationIdentifier("15", "BEST BEFORE", "date", length=6),
        ApplicationIdentifier("16", "SELL BY", "date", length=6),
        ApplicationIdentifier("17", "USE BY OR EXPIRY", "date", length=6),
        ApplicationIdentifier("21", "SERIAL", "cset82", max_length=20),
        ApplicationIdentifier("240", "ADDITIONAL ID", "cset82", max_length=30),
        ApplicationIdentifier("30", "VAR. COUNT", "numeric", max_length=8),
        ApplicationIdentifier("37", "COUNT", "numeric", max_length=8),
    )
}


def _is_digits(text: str) -> bool:
    return isinstance(text, str) and text.isascii() and text.isdigit()


# GTIN


def gtin_check_digit(digits: str) -> str:
    """Return the GS1 mod-10 check digit for ``digits`` (a GTIN or SSCC without its last digit)."""
    if not _is_digits(digits) or len(digits) > 17:
        raise InvalidGtinError(
            "Cannot compute a GS1 check digit for %(value)r: give 1 to 17 digits.", value=digits
        )
    # Weights 3, 1, 3, ... starting from the rightmost digit.
    total = sum(
        int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(digits))
    )
    return str(-total % 10)


def validate_gtin(code: str) -> str:
    """Return the kind of GTIN ``code`` is ('EAN-8', 'UPC-A', 'EAN-13', 'GTIN-14') or raise."""
    if not _is_digits(code):
        raise InvalidGtinError("GTIN %(value)r must contain digits only.", value=code)
    kind = GTIN_KINDS.get(len(code))
    if kind is None:
        raise InvalidGtinError(
            "GTIN %(value)r has %(length)s digits; a GTIN has 8 (EAN-8), 12 (UPC-A),"
            " 13 (EAN-13) or 14 (GTIN-14).",
            value=code,
            length=len(code),
        )
    expected = gtin_check_digit(code[:-1])
    if code[-1] != expected:
        raise InvalidGtinError(
            "GTIN %(value)r has the wrong check digit %(found)s; expected %(expected)s.",
            value=code,
            found=code[-1],
            expected=expected,
        )
    return kind


# Dates


def expiry_date(yymmdd: str, today: date | None = None) -> date:
    """Return the date of a GS1 YYMMDD field (AIs 11-17).

    The century is the one putting the year within -49..+50 years of ``today``'s year
    (GS1 General Specifications 7.12); day 00 means the last day of the month.
    """
    if not _is_digits(yymmdd) or len(yymmdd) != 6:
        raise InvalidElementError("GS1 date %(value)r must be 6 digits, YYMMDD.", value=yymmdd)
    two_digit_year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    current_year = (today or date.today()).year
    year = current_year - current_year % 100 + two_digit_year
    difference = two_digit_year - current_year % 100
    if difference > 50:
        year -= 100
    elif difference < -49:
        year += 100
    if not 1 <= month <= 12:
        raise InvalidElementError(
            "GS1 date %(value)r has month %(month)s; expected 01 to 12.",
            value=yymmdd,
            month=yymmdd[2:4],
        )
    last_day = calendar.monthrange(year, month)[1]
    if day == 0:
        return date(year, month, last_day)
    if day > last_day:
        raise InvalidElementError(
            "GS1 date %(value)r has day %(day)s, but %(year)s-%(month)s has %(last_day)s days.",
            value=yymmdd,
            day=yymmdd[4:],
            year=year,
            month=yymmdd[2:4],
            last_day=last_day,
        )
    return date(year, month, day)


# Element strings


def application_identifier(ai: str) -> ApplicationIdentifier:
    """Return the rules of ``ai`` or raise naming it."""
    spec = APPLICATION_IDENTIFIERS.get(ai) if isinstance(ai, str) else None
    if spec is None:
        raise UnknownApplicationIdentifierError(
            "Unknown or unsupported GS1 application identifier %(ai)r (supported: %(known)s).",
            ai=ai,
            known=", ".join(APPLICATION_IDENTIFIERS),
        )
    return spec


def validate_element(ai: str, value: str, today: date | None = None) -> None:
    """Raise :class:`InvalidElementError` naming ``ai`` and ``value`` if they break the rules."""
    spec = application_identifier(ai)
    if not isinstance(value, str):
        raise InvalidElementError(
            "GS1 AI (%(ai)s) needs a text value, not %(value)r.", ai=ai, value=value
        )
    if spec.is_fixed_length and len(value) != spec.length:
        raise InvalidElementError(
            "GS1 AI (%(ai)s) %(title)s must be exactly %(length)s characters: %(value)r has"
            " %(actual)s.",
            ai=ai,
            title=spec.title,
            length=spec.length,
            value=value,
            actual=len(value),
        )
    if not spec.is_fixed_length and not 1 <= len(value) <= spec.max_length:
        raise InvalidElementError(
            "GS1 AI (%(ai)s) %(title)s must have 1 to %(max_length)s characters: %(value)r has"
            " %(actual)s.",
            ai=ai,
            title=spec.title,
            max_length=spec.max_length,
            value=value,
            actual=len(value),
        )
    if spec.content in ("numeric", "date") and not _is_digits(value):
        raise InvalidElementError(
            "GS1 AI (%(ai)s) %(title)s must contain digits only: %(value)r.",
            ai=ai,
            title=spec.title,
            value=value,
        )
    if spec.content == "cset82":
        for char in value:
            if char not in CSET82:
                raise InvalidElementError(
                    "GS1 AI (%(ai)s) %(title)s %(value)r contains %(char)r, which GS1 does not"
                    " allow.",
                    ai=ai,
                    title=spec.title,
                    value=value,
                    char=char,
                )
    if spec.content == "date":
        try:
            expiry_date(value, today)
        except InvalidElementError as error:
            raise InvalidElementError(
                "GS1 AI (%(ai)s) %(title)s: %(reason)s",
                ai=ai,
                title=spec.title,
                reason=str(error),
            ) from error
    if spec.check_digit:
        expected = gtin_check_digit(value[:-1])
        if value[-1] != expected:
            raise InvalidElementError(
                "GS1 AI (%(ai)s) %(title)s %(value)r has the wrong check digit %(found)s;"
                " expected %(expected)s.",
                ai=ai,
                title=spec.title,
                value=value,
                found=value[-1],
                expected=expected,
            )


def parse(text: str, *, today: date | None = None) -> list[tuple[str, str]]:
    """Return the (AI, value) pairs of an element string in either form, or raise.

    Every value is validated; a duplicated AI raises too. Nothing partial is ever returned.
    """
    if not isinstance(text, str) or not text:
        raise MalformedElementStringError("The GS1 element string %(text)r is empty.", text=text)
    body = text
    if body.startswith("]"):
        if body[:3] not in GS1_SYMBOLOGY_IDENTIFIERS:
            raise MalformedElementStringError(
                "%(text)r starts with the symbology identifier %(identifier)r, which is not a"
                " GS1 one (%(known)s).",
                text=text,
                identifier=body[:3],
                known=", ".join(GS1_SYMBOLOGY_IDENTIFIERS),
            )
        body = body[3:]
    if body.startswith(GS):  # a leading FNC1 some scanners transmit as GS
        body = body[1:]
    if not body:
        raise MalformedElementStringError("The GS1 element string %(text)r has no data.", text=text)
    pairs = _split_bracketed(body, text) if body.startswith("(") else _split_fnc1(body, text)
    seen = set()
    for ai, value in pairs:
        if ai in seen:
            raise MalformedElementStringError(
                "GS1 AI (%(ai)s) appears more than once in %(text)r.", ai=ai, text=text
            )
        seen.add(ai)
        validate_element(ai, value, today)
    return pairs


def _split_fnc1(body: str, text: str) -> list[tuple[str, str]]:
    pairs = []
    position = 0
    while position < len(body):
        spec = _identifier_at(body, position, text)
        position += len(spec.ai)
        if spec.is_fixed_length:
            value = body[position : position + spec.length]
            if len(value) < spec.length or GS in value:
                raise MalformedElementStringError(
                    "GS1 AI (%(ai)s) %(title)s is cut short in %(text)r: it needs %(length)s"
                    " characters, got %(value)r.",
                    ai=spec.ai,
                    title=spec.title,
                    text=text,
                    length=spec.length,
                    value=value.split(GS)[0],
                )
            position += spec.length
            if body.startswith(GS, position):
                position += 1
        else:
            end = body.find(GS, position)
            if end == -1:
                end = len(body)
            value = body[position:end]
            if len(value) > spec.max_length:
                raise MalformedElementStringError(
                    "GS1 AI (%(ai)s) %(title)s %(value)r in %(text)r is longer than %(max_length)s"
                    " characters (is a group separator missing?).",
                    ai=spec.ai,
                    title=spec.title,
                    value=value,
                    text=text,
                    max_length=spec.max_length,
                )
            position = end + 1
        pairs.append((spec.ai, value))
    return pairs


def _identifier_at(body: str, position: int, text: str) -> ApplicationIdentifier:
    if body[position] == GS:
        raise MalformedElementStringError(
            "Unexpected group separator at position %(position)s of %(text)r.",
            position=position + 1,
            text=text,
        )
    # The supported AIs form a prefix-free set, so the first match is the only one.
    for length in (2, 3, 4):
        spec = APPLICATION_IDENTIFIERS.get(body[position : position + length])
        if spec is not None:
            return spec
    raise UnknownApplicationIdentifierError(
        "Unknown or unsupported GS1 application identifier at %(rest)r in %(text)r"
        " (supported: %(known)s).",
        rest=body[position : position + 4],
        text=text,
        known=", ".join(APPLICATION_IDENTIFIERS),
    )


def _split_bracketed(body: str, text: str) -> list[tuple[str, str]]:
    pairs = []
    position = 0
    while position < len(body):
        match = _BRACKETED_AI.match(body, position)
        if match is None:
            raise MalformedElementStringError(
                "Expected an AI in parentheses such as (01) at position %(position)s of"
                " %(text)r, found %(found)r.",
                position=position + 1,
                text=text,
                found=body[position : position + 6],
            )
        spec = application_identifier(match.group(1))
        next_match = _BRACKETED_AI.search(body, match.end())
        end = next_match.start() if next_match else len(body)
        pairs.append((spec.ai, body[match.end() : end]))
        position = end
    return pairs


def _checked_pairs(pairs: Iterable[tuple[str, str]], today: date | None) -> list[tuple[str, str]]:
    checked = []
    seen = set()
    for pair in pairs:
        try:
            ai, value = pair
        except (TypeError, ValueError):
            raise MalformedElementStringError(
                "Expected an (AI, value) pair, not %(pair)r.", pair=pair
            ) from None
        if ai in seen:
            raise MalformedElementStringError("GS1 AI (%(ai)s) is given more than once.", ai=ai)
        seen.add(ai)
        validate_element(ai, value, today)
        checked.append((ai, value))
    if not checked:
        raise MalformedElementStringError("No GS1 element to encode.")
    return checked


def build(pairs: Iterable[tuple[str, str]], *, today: date | None = None) -> str:
    """Return the canonical FNC1 element string of the validated (AI, value) ``pairs``."""
    checked = _checked_pairs(pairs, today)
    pieces = []
    for index, (ai, value) in enumerate(checked):
        pieces.append(ai + value)
        is_last = index == len(checked) - 1
        if not APPLICATION_IDENTIFIERS[ai].is_fixed_length and not is_last:
            pieces.append(GS)
    return "".join(pieces)


def to_human(pairs: Iterable[tuple[str, str]], *, today: date | None = None) -> str:
    """Return the human-readable form ``(01)...(21)...`` of the validated ``pairs``."""
    return "".join(f"({ai}){value}" for ai, value in _checked_pairs(pairs, today))


def to_fnc1(text: str, *, today: date | None = None) -> str:
    """Normalise an element string in either form to the canonical FNC1 form."""
    return build(parse(text, today=today), today=today)


def split_symbology_identifier(code: str) -> tuple[str, str]:
    """Return ``(identifier, data)``: the AIM symbology identifier a scanner put before
    ``code`` (``"]C1"``, ``"]E0"``...; ``""`` when there is none) and the data after it.

    Only identifiers of known symbologies (:data:`AIM_SYMBOLOGY_CODES`) with a letter or
    digit as modifier are taken, so a serial that happens to start with ``]`` stays whole.
    """
    if (
        isinstance(code, str)
        and len(code) >= 3
        and code[0] == "]"
        and code[1] in AIM_SYMBOLOGY_CODES
        and code[2].isascii()
        and code[2].isalnum()
    ):
        return code[:3], code[3:]
    return "", code


def announces_element_string(identifier: str) -> bool:
    """Whether the symbology identifier says the data is a GS1 element string."""
    return identifier in GS1_SYMBOLOGY_IDENTIFIERS


def looks_like_element_string(code: str) -> bool:
    """Whether ``code`` says outright that it is a GS1 element string.

    A GS1 symbology identifier, a group separator (FNC1) anywhere or a first AI in
    parentheses say so. A bare run of AIs and values such as ``010950600013435221A1`` does
    not: it may as well be a serial or a product barcode, which the caller looks up first.
    """
    if not isinstance(code, str):
        return False
    return bool(
        announces_element_string(split_symbology_identifier(code)[0])
        or GS in code
        or _BRACKETED_AI.match(code)
    )


# GTINs in product barcodes


def gtin14(code: str) -> str | None:
    """The 14-digit form of the GTIN ``code`` (GTIN-8, UPC-A, EAN-13 or GTIN-14 with a right
    check digit), padded with leading zeros as in AI (01); None when ``code`` is none."""
    try:
        validate_gtin(code)
    except InvalidGtinError:
        return None
    return code.zfill(14)


def gtin_forms(code: str) -> list[str]:
    """Every form a product barcode of the GTIN ``code`` may be stored in, ``code`` first.

    A GTIN is one number whatever its length: EAN-13 ``4006381333931`` is GTIN-14
    ``04006381333931``, UPC-A ``036000291452`` is EAN-13 ``0036000291452``. A code that is
    not a valid GTIN has only itself as form.
    """
    full = gtin14(code)
    if full is None:
        return [code]
    forms = [code]
    for length in (14, 13, 12, 8):
        padding = full[: 14 - length]
        if padding.strip("0") == "" and full[14 - length :] not in forms:
            forms.append(full[14 - length :])
    return forms
