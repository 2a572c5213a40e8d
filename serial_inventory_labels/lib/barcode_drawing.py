"""Barcode symbols for serial labels, drawn as inline SVG (paper sheets) or PNG.

Every kind is first reduced to a *symbol*: the exact dark/light module pattern (one row of
modules for linear kinds, a module matrix for 2D kinds). The SVG writer and the PNG writer
both draw from that same pattern, so a test that decodes the PNG with a real decoder also
vouches for the SVG that goes into the QWeb report.

Kinds:

- ``code128``: any printable ASCII serial (python-barcode's Code 128 encoder).
- ``gs1_128``: a GS1 element string in canonical FNC1 form (AIs and values concatenated,
  ``\\x1d`` after a variable-length field that is not last). Encoded with FNC1 first and FNC1
  in place of every ``\\x1d``; the human-readable line shows the ``(01)...(21)...`` form.
- ``ean13`` / ``ean8`` / ``upca``: digits with or without the check digit; a check digit that
  is given must be right (it is never silently replaced).
- ``qr``: any text, error correction level M (``qrcode`` package).
- ``datamatrix`` / ``gs1_datamatrix``: ECC 200 Data Matrix from the small encoder in this
  module (ASCII encodation, Reed-Solomon, ISO/IEC 16022 module placement); the GS1 variant
  takes the same FNC1-form element string as ``gs1_128``.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from functools import cache, lru_cache

import qrcode
from barcode.charsets import code128 as _code128_tables
from barcode.codex import Code128 as _PythonBarcodeCode128
from barcode.ean import EuropeanArticleNumber8, EuropeanArticleNumber13
from barcode.upc import UniversalProductCodeA
from PIL import Image, ImageDraw, ImageFont
from qrcode.exceptions import DataOverflowError

KINDS = ("code128", "gs1_128", "ean13", "ean8", "upca", "qr", "datamatrix", "gs1_datamatrix")
LINEAR_KINDS = frozenset({"code128", "gs1_128", "ean13", "ean8", "upca"})
MATRIX_KINDS = frozenset({"qr", "datamatrix", "gs1_datamatrix"})
GS1_KINDS = frozenset({"gs1_128", "gs1_datamatrix"})

GROUP_SEPARATOR = "\x1d"

# Code 128 symbol character values that are not data (ISO/IEC 15417).
CODE128_START_A = 103
CODE128_START_B = 104
CODE128_START_C = 105
CODE128_FNC1 = 102

# python-barcode marks FNC1 inside the text it encodes with this private character.
_PYTHON_BARCODE_FNC1 = "\xf1"

# Per-kind defaults: module (X) width in mm, bar height in mm, quiet zone in modules. The
# quiet zones are the symbology minimums (EAN-13 uses its larger left zone on both sides).
_DEFAULT_MODULE_WIDTH_MM = {
    "code128": 0.25,
    "gs1_128": 0.25,
    "ean13": 0.33,
    "ean8": 0.33,
    "upca": 0.33,
    "qr": 0.5,
    "datamatrix": 0.5,
    "gs1_datamatrix": 0.5,
}
_DEFAULT_BAR_HEIGHT_MM = 10.0
_DEFAULT_EAN_BAR_HEIGHT_MM = 15.0
_DEFAULT_QUIET_ZONE_MODULES = {
    "code128": 10,
    "gs1_128": 10,
    "ean13": 11,
    "ean8": 7,
    "upca": 9,
    "qr": 4,
    "datamatrix": 2,
    "gs1_datamatrix": 2,
}

_SVG_FONT_FAMILY = "DejaVu Sans Mono, Liberation Mono, monospace"
# Advance width of one monospace glyph relative to the font size (DejaVu Sans Mono: 0.602);
# used to keep the human-readable line inside the symbol width.
_MONOSPACE_ADVANCE = 0.62
_PNG_FONT_FILES = ("DejaVuSansMono.ttf", "LiberationMono-Regular.ttf", "DejaVuSans.ttf")


class BarcodeError(ValueError):
    """Base class of the errors raised while building a barcode."""


class UnknownBarcodeKindError(BarcodeError):
    """The barcode kind is not one of ``KINDS``."""


class InvalidBarcodeValueError(BarcodeError):
    """The value cannot be encoded in the requested kind."""


class CheckDigitError(InvalidBarcodeValueError):
    """An EAN/UPC value carries a check digit that does not match its other digits."""


class InvalidGs1ElementStringError(InvalidBarcodeValueError):
    """A GS1 element string is not in the canonical FNC1 form."""


class InvalidDrawingOptionError(BarcodeError):
    """A size or resolution option is out of range."""


@dataclass(frozen=True)
class Symbol:
    """The module pattern of one barcode, independent of any output format.

    ``rows`` holds '1' for a dark module and '0' for a light one, without quiet zone; linear
    symbols have a single row. ``guard_mask`` (linear only) marks with '1' the modules of the
    bars that EAN/UPC draws longer. ``digit_slots`` places the EAN/UPC digits: (centre in
    modules from the symbol start, digit, relative font size). ``code128_values`` are the Code
    128 symbol characters (start character and data, without check character and stop).
    """

    kind: str
    value: str
    rows: tuple[str, ...]
    text: str = ""
    guard_mask: str = ""
    digit_slots: tuple[tuple[float, str, float], ...] = ()
    code128_values: tuple[int, ...] = ()

    @property
    def is_matrix(self) -> bool:
        return self.kind in MATRIX_KINDS

    @property
    def width_modules(self) -> int:
        return len(self.rows[0])

    @property
    def height_modules(self) -> int:
        return len(self.rows)


# ---------------------------------------------------------------------------------------------
# GS1 element strings
# ---------------------------------------------------------------------------------------------

# Data length of the AIs whose element string has a predefined length (GS1 General
# Specifications, "element strings with predefined length"), keyed by the first two digits.
_PREDEFINED_DATA_LENGTH_BY_PREFIX = {
    "00": 18, "01": 14, "02": 14, "03": 14, "04": 16,
    "11": 6, "12": 6, "13": 6, "14": 6, "15": 6, "16": 6, "17": 6, "18": 6, "19": 6,
    "20": 2,
    "31": 6, "32": 6, "33": 6, "34": 6, "35": 6, "36": 6,
    "41": 13,
}  # fmt: skip
# Fixed-length AIs outside that table. A separator after them is optional for the sender, so
# the parser knows their length instead of waiting for a \x1d.
_FIXED_DATA_LENGTH_BY_AI = {
    "394": 4, "395": 6, "402": 17, "422": 3, "424": 3, "426": 3,
    "4307": 2, "4309": 20, "4317": 2, "4321": 1, "4322": 1, "4323": 1, "4324": 10,
    "4325": 10, "4326": 6, "7001": 13, "7003": 10, "7006": 6, "7040": 4, "7241": 2,
    "7250": 8, "7251": 12, "7252": 1, "7258": 3, "8001": 14, "8005": 6, "8006": 18,
    "8017": 18, "8018": 18, "8026": 18, "8111": 4,
}  # fmt: skip


def _ai_length(first_two_digits: str) -> int:
    """Length of an application identifier, which GS1 fixes by its first two digits."""
    prefix = int(first_two_digits)
    if prefix in (23, 24, 25, 40, 41, 42, 71):
        return 3
    if 31 <= prefix <= 36 or prefix in (39, 43, 70, 72) or 80 <= prefix <= 82:
        return 4
    if prefix <= 22 or prefix in (30, 37) or prefix >= 90:
        return 2
    raise InvalidGs1ElementStringError(
        f"GS1 element string uses an unknown application identifier prefix {first_two_digits!r}."
    )


def _fixed_data_length(ai: str) -> int | None:
    for key in (ai, ai[:3]):
        if key in _FIXED_DATA_LENGTH_BY_AI:
            return _FIXED_DATA_LENGTH_BY_AI[key]
    return _PREDEFINED_DATA_LENGTH_BY_PREFIX.get(ai[:2])


def gs1_elements(element_string: str) -> list[tuple[str, str]]:
    """Split a GS1 element string in FNC1 form into ``(ai, value)`` pairs.

    Raises ``InvalidGs1ElementStringError`` when the string does not follow the canonical
    form (empty, leading/trailing/doubled separator, unknown AI, short fixed-length field).
    """
    if not isinstance(element_string, str) or not element_string:
        raise InvalidGs1ElementStringError("GS1 element string is empty.")
    if element_string[0] == GROUP_SEPARATOR or element_string[-1] == GROUP_SEPARATOR:
        raise InvalidGs1ElementStringError(
            f"GS1 element string {_printable(element_string)!r} starts or ends with a group "
            f"separator; separators only go between fields."
        )
    for char in element_string:
        if char != GROUP_SEPARATOR and not " " <= char <= "~":
            raise InvalidGs1ElementStringError(
                f"GS1 element string {_printable(element_string)!r} contains the character "
                f"{char!r}, which GS1 barcodes cannot carry."
            )
    elements: list[tuple[str, str]] = []
    position = 0
    length = len(element_string)
    while position < length:
        head = element_string[position : position + 2]
        if len(head) < 2 or not head.isdigit():
            raise InvalidGs1ElementStringError(
                f"GS1 element string {_printable(element_string)!r}: expected an application "
                f"identifier at position {position + 1}, found {_printable(head)!r}."
            )
        ai_length = _ai_length(head)
        ai = element_string[position : position + ai_length]
        if len(ai) < ai_length or not ai.isdigit():
            raise InvalidGs1ElementStringError(
                f"GS1 element string {_printable(element_string)!r}: application identifier "
                f"{_printable(ai)!r} should have {ai_length} digits."
            )
        position += ai_length
        fixed_length = _fixed_data_length(ai)
        if fixed_length is not None:
            data = element_string[position : position + fixed_length]
            if len(data) < fixed_length or GROUP_SEPARATOR in data:
                raise InvalidGs1ElementStringError(
                    f"GS1 element string {_printable(element_string)!r}: AI ({ai}) needs "
                    f"{fixed_length} characters, found {_printable(data)!r}."
                )
            position += fixed_length
            # GS1 tolerates a separator after a fixed-length field; it carries no data.
            if position < length and element_string[position] == GROUP_SEPARATOR:
                position += 1
        else:
            end = element_string.find(GROUP_SEPARATOR, position)
            if end < 0:
                end = length
            data = element_string[position:end]
            if not data:
                raise InvalidGs1ElementStringError(
                    f"GS1 element string {_printable(element_string)!r}: AI ({ai}) has no value."
                )
            position = end + 1
        elements.append((ai, data))
    return elements


def gs1_human_readable(element_string: str) -> str:
    """The ``(01)09506000134352(21)ABC123`` form printed under a GS1 barcode."""
    return "".join(f"({ai}){data}" for ai, data in gs1_elements(element_string))


def _printable(text: str) -> str:
    return text.replace(GROUP_SEPARATOR, "<GS>")


# ---------------------------------------------------------------------------------------------
# Linear symbols
# ---------------------------------------------------------------------------------------------


class _Code128Encoder(_PythonBarcodeCode128):
    """python-barcode's Code 128 encoder, kept in code set C across FNC1.

    Upstream leaves code set C for every non-digit, FNC1 included, although FNC1 exists in
    all three code sets; GS1 strings then pay a code-set switch before and after each
    separator. Upstream also starts a GS1 string in code set B. Both only cost width, the
    symbol stays valid, but labels are narrow.
    """

    def __init__(self, code: str) -> None:
        # Any truthy writer stops python-barcode from building an SVG writer we never use.
        super().__init__(code, writer=_UNUSED_WRITER)
        if code[:1] == _PYTHON_BARCODE_FNC1 and _is_ascii_digits(code[1:5]) and len(code) >= 5:
            self._charset = "C"

    def _maybe_switch_charset(self, pos):
        if self._charset == "C" and self.code[pos] == _PYTHON_BARCODE_FNC1 and not self._buffer:
            return []
        return super()._maybe_switch_charset(pos)


_UNUSED_WRITER = object()


def _is_ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def code128_values(data: str, *, gs1: bool = False) -> tuple[int, ...]:
    """Code 128 symbol characters for ``data``: start character and data, no check character.

    With ``gs1`` the data is a GS1 element string in FNC1 form: FNC1 goes first and replaces
    every group separator.
    """
    if gs1:
        gs1_elements(data)  # validates the canonical form
        text = _PYTHON_BARCODE_FNC1 + data.replace(GROUP_SEPARATOR, _PYTHON_BARCODE_FNC1)
    else:
        _check_code128_text(data)
        text = data
    return tuple(_Code128Encoder(text)._build())


def _check_code128_text(data: str) -> None:
    if not isinstance(data, str) or not data:
        raise InvalidBarcodeValueError("Code 128 value is empty.")
    for char in data:
        if not " " <= char <= "~":
            raise InvalidBarcodeValueError(
                f"Code 128 value {_printable(data)!r} contains {char!r}; only printable ASCII "
                f"characters (space to '~') can be encoded."
            )


def code128_modules(values: tuple[int, ...]) -> str:
    """Module pattern ('1' bar, '0' space) of Code 128 symbol characters, check and stop added."""
    checksum = values[0]
    for weight, value in enumerate(values[1:], start=1):
        checksum += weight * value
    patterns = _code128_tables.CODES
    # The stop pattern is 13 modules; python-barcode keeps its final 2-module bar apart.
    return (
        "".join(patterns[value] for value in values)
        + patterns[checksum % 103]
        + _code128_tables.STOP
        + "11"
    )


def ean_check_digit(digits: str) -> int:
    """GS1 mod-10 check digit of ``digits`` (the digits before the check digit)."""
    total = 0
    for index, digit in enumerate(reversed(digits)):
        total += int(digit) * (3 if index % 2 == 0 else 1)
    return (10 - total % 10) % 10


def _checked_digits(kind: str, value: str, length: int) -> str:
    """The full digit string (check digit included) of an EAN/UPC value."""
    label = {"ean13": "EAN-13", "ean8": "EAN-8", "upca": "UPC-A"}[kind]
    if not isinstance(value, str) or not value:
        raise InvalidBarcodeValueError(f"{label} value is empty.")
    if not _is_ascii_digits(value) or len(value) not in (length - 1, length):
        raise InvalidBarcodeValueError(
            f"{label} value {value!r} must be {length - 1} digits, or {length} digits with the "
            f"check digit."
        )
    expected = ean_check_digit(value[: length - 1])
    if len(value) == length and int(value[-1]) != expected:
        raise CheckDigitError(
            f"{label} value {value!r} ends with check digit {value[-1]}, but its digits "
            f"give {expected}."
        )
    return value[: length - 1] + str(expected)


def _mask(length: int, guard_ranges: tuple[tuple[int, int], ...]) -> str:
    mask = ["0"] * length
    for start, end in guard_ranges:
        for index in range(start, end):
            mask[index] = "1"
    return "".join(mask)


def _digit_centres(first_module: int, count: int) -> list[float]:
    return [first_module + 7 * index + 3.5 for index in range(count)]


def _ean13_symbol(value: str) -> Symbol:
    digits = _checked_digits("ean13", value, 13)
    # python-barcode recomputes the check digit from the first 12; ours is already checked.
    modules = EuropeanArticleNumber13(digits[:12], writer=_UNUSED_WRITER).build()[0]
    slots = [(-4.5, digits[0], 1.0)]
    slots += zip(_digit_centres(3, 6), digits[1:7], [1.0] * 6, strict=True)
    slots += zip(_digit_centres(50, 6), digits[7:], [1.0] * 6, strict=True)
    return Symbol(
        kind="ean13",
        value=digits,
        rows=(modules,),
        text=digits,
        guard_mask=_mask(95, ((0, 3), (45, 50), (92, 95))),
        digit_slots=tuple(slots),
    )


def _ean8_symbol(value: str) -> Symbol:
    digits = _checked_digits("ean8", value, 8)
    modules = EuropeanArticleNumber8(digits[:7], writer=_UNUSED_WRITER).build()[0]
    slots = list(zip(_digit_centres(3, 4), digits[:4], [1.0] * 4, strict=True))
    slots += zip(_digit_centres(36, 4), digits[4:], [1.0] * 4, strict=True)
    return Symbol(
        kind="ean8",
        value=digits,
        rows=(modules,),
        text=digits,
        guard_mask=_mask(67, ((0, 3), (31, 36), (64, 67))),
        digit_slots=tuple(slots),
    )


def _upca_symbol(value: str) -> Symbol:
    digits = _checked_digits("upca", value, 12)
    modules = UniversalProductCodeA(digits[:11], writer=_UNUSED_WRITER).build()[0]
    # UPC-A prints the number-system and check digits outside, smaller, and draws their bars
    # as long as the guards.
    slots = [(-4.5, digits[0], 0.75)]
    slots += zip(_digit_centres(10, 5), digits[1:6], [1.0] * 5, strict=True)
    slots += zip(_digit_centres(50, 5), digits[6:11], [1.0] * 5, strict=True)
    slots.append((99.5, digits[11], 0.75))
    return Symbol(
        kind="upca",
        value=digits,
        rows=(modules,),
        text=digits,
        guard_mask=_mask(95, ((0, 10), (45, 50), (85, 95))),
        digit_slots=tuple(slots),
    )


# ---------------------------------------------------------------------------------------------
# QR Code
# ---------------------------------------------------------------------------------------------


def _qr_symbol(value: str) -> Symbol:
    if not isinstance(value, str) or not value:
        raise InvalidBarcodeValueError("QR Code value is empty.")
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(value)
    try:
        code.make(fit=True)
    except DataOverflowError as error:
        raise InvalidBarcodeValueError(
            f"QR Code value of {len(value)} characters is too long for a QR Code."
        ) from error
    rows = tuple("".join("1" if dark else "0" for dark in row) for row in code.modules)
    return Symbol(kind="qr", value=value, rows=rows, text=value)


# ---------------------------------------------------------------------------------------------
# Data Matrix ECC 200 (ISO/IEC 16022)
# ---------------------------------------------------------------------------------------------

# Square symbols: (modules per side, data-region side, data codewords, error-correction
# codewords, interleaved blocks). 144x144 is left out: its blocks are not all the same size.
_DATAMATRIX_SIZES = (
    (10, 8, 3, 5, 1), (12, 10, 5, 7, 1), (14, 12, 8, 10, 1), (16, 14, 12, 12, 1),
    (18, 16, 18, 14, 1), (20, 18, 22, 18, 1), (22, 20, 30, 20, 1), (24, 22, 36, 24, 1),
    (26, 24, 44, 28, 1), (32, 14, 62, 36, 1), (36, 16, 86, 42, 1), (40, 18, 114, 48, 1),
    (44, 20, 144, 56, 1), (48, 22, 174, 68, 1), (52, 24, 204, 84, 2), (64, 14, 280, 112, 2),
    (72, 16, 368, 144, 4), (80, 18, 456, 192, 4), (88, 20, 576, 224, 4),
    (96, 22, 696, 272, 4), (104, 24, 816, 336, 6), (120, 18, 1050, 408, 6),
    (132, 20, 1304, 496, 8),
)  # fmt: skip
_DATAMATRIX_FNC1 = 232
_DATAMATRIX_PAD = 129


def datamatrix_codewords(data: str, *, gs1: bool = False) -> list[int]:
    """ASCII-encodation codewords (digit pairs packed) of ``data``, before padding."""
    codewords = [_DATAMATRIX_FNC1] if gs1 else []
    index = 0
    length = len(data)
    while index < length:
        char = data[index]
        if "0" <= char <= "9" and index + 1 < length and "0" <= data[index + 1] <= "9":
            codewords.append(130 + int(data[index : index + 2]))
            index += 2
            continue
        if gs1 and char == GROUP_SEPARATOR:
            codewords.append(_DATAMATRIX_FNC1)
        elif ord(char) < 128:
            codewords.append(ord(char) + 1)
        else:
            raise InvalidBarcodeValueError(
                f"Data Matrix value {_printable(data)!r} contains {char!r}; only ASCII "
                f"characters can be encoded."
            )
        index += 1
    return codewords


def datamatrix_size(data: str, *, gs1: bool = False, spare_sizes: int = 0) -> int:
    """Modules per side of the smallest square ECC 200 symbol that holds ``data``.

    ``spare_sizes`` steps that many sizes up (capped at the largest), for layouts that must
    leave room for another encoder's choice.
    """
    entry = _datamatrix_size_entry(len(datamatrix_codewords(data, gs1=gs1)), data)
    index = min(_DATAMATRIX_SIZES.index(entry) + spare_sizes, len(_DATAMATRIX_SIZES) - 1)
    return _DATAMATRIX_SIZES[index][0]


def _datamatrix_size_entry(codeword_count: int, data: str) -> tuple[int, int, int, int, int]:
    for entry in _DATAMATRIX_SIZES:
        if entry[2] >= codeword_count:
            return entry
    raise InvalidBarcodeValueError(
        f"Data Matrix value of {len(data)} characters needs {codeword_count} codewords; "
        f"the largest supported symbol holds {_DATAMATRIX_SIZES[-1][2]}."
    )


@lru_cache(maxsize=1)
def _galois_tables() -> tuple[list[int], list[int]]:
    exp = [0] * 510
    log = [0] * 256
    value = 1
    for power in range(255):
        exp[power] = value
        log[value] = power
        value <<= 1
        if value & 0x100:
            value ^= 0x12D  # Data Matrix field polynomial x^8 + x^5 + x^3 + x^2 + 1
    for power in range(255, 510):
        exp[power] = exp[power - 255]
    return exp, log


@cache
def _reed_solomon_generator(degree: int) -> tuple[int, ...]:
    exp, log = _galois_tables()
    generator = [1]
    for root in range(1, degree + 1):
        product = [0] * (len(generator) + 1)
        for index, coefficient in enumerate(generator):
            product[index] ^= coefficient
            if coefficient:
                product[index + 1] ^= exp[log[coefficient] + root]
        generator = product
    return tuple(generator[1:])


def _reed_solomon(data: list[int], degree: int) -> list[int]:
    exp, log = _galois_tables()
    generator = _reed_solomon_generator(degree)
    remainder = [0] * degree
    for codeword in data:
        factor = codeword ^ remainder[0]
        remainder = [*remainder[1:], 0]
        if factor:
            log_factor = log[factor]
            for index, coefficient in enumerate(generator):
                if coefficient:
                    remainder[index] ^= exp[log_factor + log[coefficient]]
    return remainder


def _datamatrix_placement(codewords: list[int], size: int) -> list[list[int]]:
    """ISO/IEC 16022 annex F: where each codeword bit goes in the mapping matrix."""
    nrow = ncol = size
    grid = [[-1] * ncol for _ in range(nrow)]

    def module(row: int, col: int, index: int, bit: int) -> None:
        if row < 0:
            row += nrow
            col += 4 - ((nrow + 4) % 8)
        if col < 0:
            col += ncol
            row += 4 - ((ncol + 4) % 8)
        grid[row][col] = (codewords[index] >> (8 - bit)) & 1

    def utah(row: int, col: int, index: int) -> None:
        module(row - 2, col - 2, index, 1)
        module(row - 2, col - 1, index, 2)
        module(row - 1, col - 2, index, 3)
        module(row - 1, col - 1, index, 4)
        module(row - 1, col, index, 5)
        module(row, col - 2, index, 6)
        module(row, col - 1, index, 7)
        module(row, col, index, 8)

    def corner(index: int, positions: tuple[tuple[int, int], ...]) -> None:
        for bit, (row, col) in enumerate(positions, start=1):
            module(row, col, index, bit)

    corner1 = ((nrow - 1, 0), (nrow - 1, 1), (nrow - 1, 2), (0, ncol - 2), (0, ncol - 1),
               (1, ncol - 1), (2, ncol - 1), (3, ncol - 1))  # fmt: skip
    corner2 = ((nrow - 3, 0), (nrow - 2, 0), (nrow - 1, 0), (0, ncol - 4), (0, ncol - 3),
               (0, ncol - 2), (0, ncol - 1), (1, ncol - 1))  # fmt: skip
    corner3 = ((nrow - 3, 0), (nrow - 2, 0), (nrow - 1, 0), (0, ncol - 2), (0, ncol - 1),
               (1, ncol - 1), (2, ncol - 1), (3, ncol - 1))  # fmt: skip
    corner4 = ((nrow - 1, 0), (nrow - 1, ncol - 1), (0, ncol - 3), (0, ncol - 2), (0, ncol - 1),
               (1, ncol - 3), (1, ncol - 2), (1, ncol - 1))  # fmt: skip

    index = 0
    row, col = 4, 0
    while True:
        if row == nrow and col == 0:
            corner(index, corner1)
            index += 1
        if row == nrow - 2 and col == 0 and ncol % 4:
            corner(index, corner2)
            index += 1
        if row == nrow - 2 and col == 0 and ncol % 8 == 4:
            corner(index, corner3)
            index += 1
        if row == nrow + 4 and col == 2 and not ncol % 8:
            corner(index, corner4)
            index += 1
        while True:  # sweep up and right
            if row < nrow and col >= 0 and grid[row][col] < 0:
                utah(row, col, index)
                index += 1
            row -= 2
            col += 2
            if not (row >= 0 and col < ncol):
                break
        row += 1
        col += 3
        while True:  # sweep down and left
            if row >= 0 and col < ncol and grid[row][col] < 0:
                utah(row, col, index)
                index += 1
            row += 2
            col -= 2
            if not (row < nrow and col >= 0):
                break
        row += 3
        col += 1
        if not (row < nrow or col < ncol):
            break
    if grid[nrow - 1][ncol - 1] < 0:
        # Sizes whose mapping matrix leaves the bottom-right 2x2 unused fill it in a fixed way.
        grid[nrow - 1][ncol - 1] = grid[nrow - 2][ncol - 2] = 1
        grid[nrow - 1][ncol - 2] = grid[nrow - 2][ncol - 1] = 0
    return grid


def _datamatrix_symbol(kind: str, value: str) -> Symbol:
    gs1 = kind == "gs1_datamatrix"
    if not isinstance(value, str) or not value:
        raise InvalidBarcodeValueError("Data Matrix value is empty.")
    text = gs1_human_readable(value) if gs1 else value
    codewords = datamatrix_codewords(value, gs1=gs1)
    size, region, data_capacity, ecc_count, blocks = _datamatrix_size_entry(len(codewords), value)
    if len(codewords) < data_capacity:
        codewords.append(_DATAMATRIX_PAD)
        # Later pads are scrambled so that long pad runs do not form patterns (253-state).
        while len(codewords) < data_capacity:
            position = len(codewords) + 1
            pad = _DATAMATRIX_PAD + (149 * position) % 253 + 1
            codewords.append(pad - 254 if pad > 254 else pad)
    ecc_per_block = ecc_count // blocks
    block_ecc = [_reed_solomon(codewords[block::blocks], ecc_per_block) for block in range(blocks)]
    interleaved_ecc = [0] * ecc_count
    for block, ecc in enumerate(block_ecc):
        for index, codeword in enumerate(ecc):
            interleaved_ecc[index * blocks + block] = codeword
    regions_per_side = size // (region + 2)
    mapping = _datamatrix_placement(codewords + interleaved_ecc, regions_per_side * region)
    rows = []
    for y in range(size):
        region_row, local_y = divmod(y, region + 2)
        line = []
        for x in range(size):
            region_col, local_x = divmod(x, region + 2)
            if local_x == 0 or local_y == region + 1:
                dark = 1  # solid finder edges: left and bottom of every region
            elif local_y == 0:
                dark = 1 - local_x % 2  # clock track along the top
            elif local_x == region + 1:
                dark = local_y % 2  # clock track down the right side
            else:
                dark = mapping[region_row * region + local_y - 1][region_col * region + local_x - 1]
            line.append("1" if dark else "0")
        rows.append("".join(line))
    return Symbol(kind=kind, value=value, rows=tuple(rows), text=text)


# ---------------------------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------------------------


def encode(kind: str, value: str) -> Symbol:
    """The module pattern of ``value`` in ``kind``; raises a ``BarcodeError`` if impossible."""
    if kind == "code128":
        values = code128_values(value)
        return Symbol(
            kind=kind,
            value=value,
            rows=(code128_modules(values),),
            text=value,
            code128_values=values,
        )
    if kind == "gs1_128":
        values = code128_values(value, gs1=True)
        return Symbol(
            kind=kind,
            value=value,
            rows=(code128_modules(values),),
            text=gs1_human_readable(value),
            code128_values=values,
        )
    if kind == "ean13":
        return _ean13_symbol(value)
    if kind == "ean8":
        return _ean8_symbol(value)
    if kind == "upca":
        return _upca_symbol(value)
    if kind == "qr":
        return _qr_symbol(value)
    if kind in ("datamatrix", "gs1_datamatrix"):
        return _datamatrix_symbol(kind, value)
    raise UnknownBarcodeKindError(
        f"Unknown barcode kind {kind!r}; expected one of {', '.join(KINDS)}."
    )


@dataclass(frozen=True)
class _Drawing:
    """A symbol laid out in module units: what both the SVG and the PNG writer paint."""

    width: int
    height: float
    module_mm: float
    # Dark rectangles (x, y, width, height); x and width are whole modules.
    bars: tuple[tuple[int, float, int, float], ...]
    # Text (centre x, baseline y, text, font size).
    texts: tuple[tuple[float, float, str, float], ...]
    is_matrix: bool


def _check_options(
    kind: str,
    module_width_mm: float | None,
    bar_height_mm: float | None,
    quiet_zone_modules: int | None,
) -> tuple[float, float, int]:
    if kind not in _DEFAULT_MODULE_WIDTH_MM:
        raise UnknownBarcodeKindError(
            f"Unknown barcode kind {kind!r}; expected one of {', '.join(KINDS)}."
        )
    if module_width_mm is None:
        module_width_mm = _DEFAULT_MODULE_WIDTH_MM[kind]
    if bar_height_mm is None:
        is_retail = kind in ("ean13", "ean8", "upca")
        bar_height_mm = _DEFAULT_EAN_BAR_HEIGHT_MM if is_retail else _DEFAULT_BAR_HEIGHT_MM
    if quiet_zone_modules is None:
        quiet_zone_modules = _DEFAULT_QUIET_ZONE_MODULES[kind]
    if not 0 < module_width_mm <= 10:
        raise InvalidDrawingOptionError(
            f"Module width {module_width_mm} mm is out of range (above 0, at most 10 mm)."
        )
    if not 0 < bar_height_mm <= 500:
        raise InvalidDrawingOptionError(
            f"Bar height {bar_height_mm} mm is out of range (above 0, at most 500 mm)."
        )
    if isinstance(quiet_zone_modules, bool) or not isinstance(quiet_zone_modules, int):
        raise InvalidDrawingOptionError(
            f"Quiet zone {quiet_zone_modules!r} must be a whole number of modules."
        )
    if not 0 <= quiet_zone_modules <= 100:
        raise InvalidDrawingOptionError(
            f"Quiet zone of {quiet_zone_modules} modules is out of range (0 to 100)."
        )
    return float(module_width_mm), float(bar_height_mm), quiet_zone_modules


def _layout(
    kind: str,
    value: str,
    module_width_mm: float | None,
    bar_height_mm: float | None,
    quiet_zone_modules: int | None,
    human_readable: bool,
) -> tuple[Symbol, _Drawing]:
    module_mm, bar_mm, quiet = _check_options(
        kind, module_width_mm, bar_height_mm, quiet_zone_modules
    )
    symbol = encode(kind, value)
    if symbol.is_matrix:
        bars = []
        for y, row in enumerate(symbol.rows):
            for run in _DARK_RUN.finditer(row):
                bars.append((quiet + run.start(), float(quiet + y), run.end() - run.start(), 1.0))
        side = symbol.width_modules + 2 * quiet
        return symbol, _Drawing(side, float(side), module_mm, tuple(bars), (), True)

    modules = symbol.rows[0]
    bar_height = bar_mm / module_mm
    # Text size follows the module width (about 9 modules, 1.6 to 3 mm) like printed symbols.
    font = min(max(module_mm * 9, 1.6), 3.0) / module_mm
    left = right = quiet
    texts: list[tuple[float, float, str, float]] = []
    guard_extension = 0.0
    height = bar_height
    if human_readable and symbol.digit_slots:
        # EAN/UPC: digits under the bars between the guards, which reach down into the text.
        guard_extension = font * 0.5
        font = min(font, 7 / _MONOSPACE_ADVANCE)
        outside_left = any(centre < 0 for centre, _digit, _scale in symbol.digit_slots)
        outside_right = any(centre > len(modules) for centre, _digit, _scale in symbol.digit_slots)
        if outside_left:
            left = max(left, 9)
        if outside_right:
            right = max(right, 9)
        baseline = bar_height + font * 0.95
        for centre, digit, scale in symbol.digit_slots:
            texts.append((left + centre, baseline, digit, font * scale))
        height = baseline + font * 0.2
    elif human_readable and symbol.text:
        symbol_width = len(modules) + left + right
        font = min(font, symbol_width / (_MONOSPACE_ADVANCE * len(symbol.text)))
        baseline = bar_height + font * 1.05
        texts.append((symbol_width / 2, baseline, symbol.text, font))
        height = baseline + font * 0.3
    bars = []
    for run in _DARK_RUN.finditer(modules):
        start = run.start()
        is_guard = symbol.guard_mask and symbol.guard_mask[start] == "1"
        bars.append(
            (
                left + start,
                0.0,
                run.end() - start,
                bar_height + guard_extension if is_guard else bar_height,
            )
        )
    width = len(modules) + left + right
    return symbol, _Drawing(width, height, module_mm, tuple(bars), tuple(texts), False)


_DARK_RUN = re.compile("1+")


def _number(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _xml_text(text: str) -> str:
    # XML 1.0 forbids most control characters even when escaped; a group separator can only
    # reach here from a plain QR/Data Matrix value, whose text is not printed anyway.
    cleaned = "".join(char if char >= " " or char in "\t\n" else " " for char in text)
    return html.escape(cleaned, quote=True)


def svg(
    kind: str,
    value: str,
    *,
    module_width_mm: float | None = None,
    bar_height_mm: float | None = None,
    quiet_zone_modules: int | None = None,
    human_readable: bool = True,
) -> str:
    """Inline SVG (no XML declaration) of ``value`` as a ``kind`` barcode.

    The viewBox counts modules, so bars sit on whole units and stay sharp at any zoom; width
    and height are in mm. Unset options take the kind's defaults (module width 0.25 mm for
    Code 128, 0.33 mm for EAN/UPC, 0.5 mm for 2D; bar height 10 mm, 15 mm for EAN/UPC; the
    symbology's minimum quiet zone). ``bar_height_mm`` and ``human_readable`` do not apply to
    2D kinds, whose text the label prints as a field of its own.
    """
    symbol, drawing = _layout(
        kind, value, module_width_mm, bar_height_mm, quiet_zone_modules, human_readable
    )
    width_mm = drawing.width * drawing.module_mm
    height_mm = drawing.height * drawing.module_mm
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{_number(width_mm)}mm" '
        f'height="{_number(height_mm)}mm" viewBox="0 0 {drawing.width} {_number(drawing.height)}" '
        f'preserveAspectRatio="none" role="img" aria-label="{_xml_text(symbol.text)}" '
        f'data-barcode-kind="{kind}">',
        # An explicit white ground keeps the quiet zone light on coloured label stock.
        f'<rect x="0" y="0" width="{drawing.width}" height="{_number(drawing.height)}" '
        f'fill="#fff"/>',
    ]
    if drawing.is_matrix:
        path = "".join(f"M{x} {_number(y)}h{w}v1h-{w}z" for x, y, w, _h in drawing.bars)
        parts.append(f'<path fill="#000" shape-rendering="crispEdges" d="{path}"/>')
    else:
        parts.append('<g fill="#000" shape-rendering="crispEdges">')
        parts.extend(
            f'<rect x="{x}" y="{_number(y)}" width="{w}" height="{_number(h)}"/>'
            for x, y, w, h in drawing.bars
        )
        parts.append("</g>")
    for x, baseline, text, size in drawing.texts:
        parts.append(
            f'<text x="{_number(x)}" y="{_number(baseline)}" font-family="{_SVG_FONT_FAMILY}" '
            f'font-size="{_number(size)}" text-anchor="middle" fill="#000">'
            f"{_xml_text(text)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


@lru_cache(maxsize=32)
def _png_font(size_px: int):
    for name in _PNG_FONT_FILES:
        try:
            return ImageFont.truetype(name, size_px)
        except OSError:
            continue
    return ImageFont.load_default()


def png(
    kind: str,
    value: str,
    *,
    dpi: int = 300,
    module_width_mm: float | None = None,
    bar_height_mm: float | None = None,
    quiet_zone_modules: int | None = None,
    human_readable: bool = True,
) -> bytes:
    """PNG of the same drawing as ``svg()`` (same modules, quiet zone and text layout).

    A module becomes a whole number of pixels (``module_width_mm`` at ``dpi``, rounded, at
    least one) so that no bar edge is blurred; the PNG records ``dpi``.
    """
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 72 <= dpi <= 2400:
        raise InvalidDrawingOptionError(f"Resolution {dpi!r} dpi is out of range (72 to 2400).")
    _symbol, drawing = _layout(
        kind, value, module_width_mm, bar_height_mm, quiet_zone_modules, human_readable
    )
    scale = max(1, round(drawing.module_mm * dpi / 25.4))
    width_px = drawing.width * scale
    height_px = max(1, round(drawing.height * scale))
    image = Image.new("L", (width_px, height_px), 255)
    pen = ImageDraw.Draw(image)
    for x, y, w, h in drawing.bars:
        top = round(y * scale)
        bottom = round((y + h) * scale)
        pen.rectangle((x * scale, top, (x + w) * scale - 1, bottom - 1), fill=0)
    for x, baseline, text, size in drawing.texts:
        font = _png_font(max(6, round(size * scale)))
        if isinstance(font, ImageFont.FreeTypeFont):  # only TrueType fonts take an anchor
            pen.text((x * scale, baseline * scale), text, font=font, fill=0, anchor="ms")
        else:
            left, top, right, bottom = pen.textbbox((0, 0), text, font=font)
            pen.text(
                (x * scale - (right - left) / 2, baseline * scale - bottom),
                text,
                font=font,
                fill=0,
            )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi), optimize=False)
    return buffer.getvalue()
