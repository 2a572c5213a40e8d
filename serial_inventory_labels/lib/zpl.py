"""ZPL II for Zebra thermal printers: one ``^XA ... ^XZ`` label per serial.

The layout is computed here, in printer dots, so that every field lies inside the label
(``^PW`` x ``^LL``) and every barcode keeps its quiet zone:

- top left: product name (``^A0`` scalable font), cut to the width left for it;
- a Code 128 (serial) or GS1-128 (element string) barcode, centred, as wide as fits;
- under it the human-readable line (the serial, or the ``(01)...`` GS1 form);
- a line with lot and expiry;
- optionally a QR Code or (GS1) Data Matrix on the right, the full content height.

How field data is written (ZPL II Programming Guide):

- ``^BC`` runs in mode N and the symbol characters are spelled out with invocation codes:
  ``>9``/``>:``/``>;`` start in code set A/B/C, ``>5``/``>6``/``>7`` switch to C/B/A, ``>8``
  is FNC1, and the characters ZPL reserves are written ``>0`` ('>'), ``><`` ('^') and
  ``>=`` ('~'). The code sets are those chosen by ``barcode_drawing`` for the SVG, so the
  printed symbol has exactly the computed width (the layout relies on it).
- ``^BX`` (ECC 200) is given '`' as its escape character (parameter g): GS1 data never
  contains it (unlike the default '_' or '~'), FNC1 is then written `` `1 `` (a GS1 Data
  Matrix starts with it) and a literal '`' is doubled, as the manual documents for '_'.
- ``^BQ`` data is ``MA,`` (error correction M, automatic input) followed by the text.
- A field whose final data still holds '^', '~' or a control character gets ``^FH`` and
  those characters (and '_', the ``^FH`` indicator) as ``_XX`` hex escapes.
- ``^CI28`` makes the printer read the data as UTF-8: the returned text is to be sent as
  UTF-8 bytes. Font 0 prints Latin text; other scripts need a font loaded on the printer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from qrcode import constants as qr_constants
from qrcode import util as qr_util

from . import barcode_drawing
from .label_geometry import LabelFormat

MM_PER_INCH = 25.4
SUPPORTED_DPI = (152, 203, 300, 600)
LINEAR_SYMBOLOGIES = ("code128", "gs1_128")
MATRIX_SYMBOLOGIES = ("qr", "datamatrix", "gs1_datamatrix")
# Escape character given to ^BX; outside the GS1 character set, so GS1 data never doubles it.
DATAMATRIX_ESCAPE = "`"

# Layout constants in mm; converted to dots for the printer's resolution.
_MARGIN_MM = 1.5
_GAP_MM = 0.6
_NAME_FONT_MM = (2.0, 4.0)  # (minimum, maximum) character height
_HUMAN_READABLE_FONT_MM = (1.6, 3.2)
_INFO_FONT_MM = (1.6, 3.0)
_MIN_BAR_HEIGHT_MM = 4.0
_MAX_BAR_HEIGHT_MM = 15.0
_MAX_LINEAR_MODULE_MM = 0.5
# A Code 128 bar narrower than about 0.12 mm is not reliably printed or scanned.
_MIN_LINEAR_MODULE_MM = 0.12
_MAX_MATRIX_MODULE_MM = 0.75
_MIN_MATRIX_MODULE_MM = 0.25
# Text beside a 2D symbol needs some width to say anything.
_MIN_TEXT_WIDTH_MM = 10.0
_CODE128_QUIET_ZONE_MODULES = 10
_MATRIX_QUIET_ZONE_MODULES = 2
# Font 0 (CG Triumvirate Bold Condensed) glyphs are at most about 0.6 of their height wide;
# text is cut (never overprinted) using that width.
_FONT0_ADVANCE = 0.6
# Some firmware draws a ^BQ symbol a few dots below its ^FO; the layout keeps room for it.
_QR_TOP_OFFSET_DOTS = 10

_ZPL_INVOCATION_B = {62: "><", 30: ">0", 94: ">="}  # '^', '>', '~' in code set B
_INVOCATION_BY_VALUE = {95: ">1", 96: ">2", 97: ">3", 98: ">4", 99: ">5", 100: ">6", 101: ">7"}
_START_INVOCATION = {
    barcode_drawing.CODE128_START_A: (">9", "A"),
    barcode_drawing.CODE128_START_B: (">:", "B"),
    barcode_drawing.CODE128_START_C: (">;", "C"),
}


class ZplError(ValueError):
    """Base class of the errors raised while writing ZPL."""


class ZplLayoutError(ZplError):
    """The label is too small for what it has to carry."""


class ZplFieldError(ZplError):
    """A label field is missing or cannot be printed."""


@dataclass(frozen=True)
class LabelFields:
    """What one label prints. Empty strings leave the field out.

    ``gs1`` is a GS1 element string in FNC1 form, needed by the ``gs1_128`` and
    ``gs1_datamatrix`` symbologies. ``matrix_value`` replaces the serial as the content of
    a QR Code or plain Data Matrix (e.g. a URL). ``lot_caption``/``expiry_caption`` are the
    (translated) words put before lot and expiry.
    """

    serial: str
    product_name: str = ""
    product_code: str = ""
    lot: str = ""
    expiry: str = ""
    gs1: str = ""
    matrix_value: str = ""
    lot_caption: str = "Lot"
    expiry_caption: str = "Exp"

    @classmethod
    def from_value(cls, value: LabelFields | dict) -> LabelFields:
        if isinstance(value, LabelFields):
            return value
        if isinstance(value, dict):
            if not value.get("serial"):
                raise ZplFieldError("Every label needs a serial.")
            known = cls.__dataclass_fields__
            return cls(**{key: item for key, item in value.items() if key in known and item})
        raise ZplFieldError(f"Expected label fields as a dict, got {type(value).__name__}.")


@dataclass(frozen=True)
class _Page:
    """Label size and options in dots, shared by all labels of one print job."""

    width: int
    height: int
    dpi: int
    linear: str | None
    matrix: str | None
    human_readable: bool
    margin: int
    gap: int
    header: str = field(repr=False, default="")


def _dots(mm: float, dpi: int) -> int:
    return round(mm * dpi / MM_PER_INCH)


def _label_size_mm(fmt: LabelFormat | dict | tuple) -> tuple[float, float]:
    if isinstance(fmt, LabelFormat):
        return fmt.label_width_mm, fmt.label_height_mm
    if isinstance(fmt, dict):
        try:
            return float(fmt["label_width_mm"]), float(fmt["label_height_mm"])
        except (KeyError, TypeError, ValueError) as error:
            raise ZplLayoutError(
                "Label format needs numeric label_width_mm and label_height_mm."
            ) from error
    if isinstance(fmt, tuple) and len(fmt) == 2:
        return float(fmt[0]), float(fmt[1])
    raise ZplLayoutError(f"Expected a label format, got {type(fmt).__name__}.")


def _page(
    fmt: LabelFormat | dict | tuple,
    dpi: int,
    linear: str | None,
    matrix: str | None,
    human_readable: bool,
) -> _Page:
    if dpi not in SUPPORTED_DPI:
        raise ZplLayoutError(
            f"Printer resolution {dpi!r} dpi is not one of {', '.join(map(str, SUPPORTED_DPI))}."
        )
    if linear is not None and linear not in LINEAR_SYMBOLOGIES:
        raise ZplLayoutError(
            f"Linear barcode {linear!r} is not one of {', '.join(LINEAR_SYMBOLOGIES)}."
        )
    if matrix is not None and matrix not in MATRIX_SYMBOLOGIES:
        raise ZplLayoutError(f"2D symbol {matrix!r} is not one of {', '.join(MATRIX_SYMBOLOGIES)}.")
    width_mm, height_mm = _label_size_mm(fmt)
    if not (width_mm > 0 and height_mm > 0):
        raise ZplLayoutError(f"Label size {width_mm} x {height_mm} mm must be above 0.")
    width, height = _dots(width_mm, dpi), _dots(height_mm, dpi)
    header = f"^XA\n^CI28\n^PW{width}\n^LL{height}\n^LH0,0\n"
    return _Page(
        width=width,
        height=height,
        dpi=dpi,
        linear=linear,
        matrix=matrix,
        human_readable=human_readable,
        margin=_dots(_MARGIN_MM, dpi),
        gap=max(1, _dots(_GAP_MM, dpi)),
        header=header,
    )


# ---------------------------------------------------------------------------------------------
# Field data encoding
# ---------------------------------------------------------------------------------------------


def code128_field_data(values: tuple[int, ...]) -> str:
    """``^BC`` mode N field data that reproduces the Code 128 symbol characters ``values``."""
    start = values[0]
    if start not in _START_INVOCATION:
        raise ZplFieldError(f"Code 128 symbol must begin with a start character, not {start}.")
    invocation, code_set = _START_INVOCATION[start]
    parts = [invocation]
    for value in values[1:]:
        if value == barcode_drawing.CODE128_FNC1:
            parts.append(">8")
        elif code_set == "C":
            if value < 100:
                parts.append(f"{value:02d}")
            else:  # 100: code B, 101: code A
                parts.append(">6" if value == 100 else ">7")
                code_set = "B" if value == 100 else "A"
        elif value < 95 and code_set == "B":
            parts.append(_ZPL_INVOCATION_B.get(value) or chr(value + 32))
        elif value < 96 and code_set == "A":
            # ZPL spells every code set A character as its two-digit value.
            parts.append(f"{value:02d}")
        else:
            parts.append(_INVOCATION_BY_VALUE[value])
            if value == 99:
                code_set = "C"
            elif value == 100 and code_set == "A":
                code_set = "B"
            elif value == 101 and code_set == "B":
                code_set = "A"
    return "".join(parts)


def datamatrix_field_data(value: str, *, gs1: bool) -> str:
    """``^BX`` quality 200 field data with ``DATAMATRIX_ESCAPE`` as escape character."""
    data = value.replace(DATAMATRIX_ESCAPE, DATAMATRIX_ESCAPE * 2)
    if gs1:
        fnc1 = DATAMATRIX_ESCAPE + "1"
        return fnc1 + data.replace(barcode_drawing.GROUP_SEPARATOR, fnc1)
    return data


def _needs_hex(data: str) -> bool:
    return any(char in "^~" or char < " " or char == "\x7f" for char in data)


def _hex_escaped(data: str) -> str:
    escaped = []
    for char in data:
        if char in "^~_" or char < " " or char == "\x7f":
            escaped.append(f"_{ord(char):02X}")
        else:
            escaped.append(char)
    return "".join(escaped)


def _field_data(data: str) -> str:
    """``^FD...^FS`` with ``^FH`` hex escapes when the data holds characters ZPL reserves."""
    if _needs_hex(data):
        return f"^FH^FD{_hex_escaped(data)}^FS"
    return f"^FD{data}^FS"


def _clean_text(text: str) -> str:
    # Line breaks and other control characters would be printed as boxes or eaten.
    return " ".join(
        "".join(char if char >= " " and char != "\x7f" else " " for char in text).split()
    )


def _fit_text(text: str, width: int, font: int) -> str:
    capacity = int(width / (_FONT0_ADVANCE * font))
    if len(text) <= capacity:
        return text
    if capacity <= 3:
        return text[: max(capacity, 0)]
    return text[: capacity - 3].rstrip() + "..."


def _text(x: int, y: int, height: int, width: int, text: str) -> str:
    return f"^FO{x},{y}^A0N,{height},{width}{_field_data(text)}\n"


# ---------------------------------------------------------------------------------------------
# 2D symbol sizes
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _qr_byte_capacities() -> tuple[int, ...]:
    """Bytes a QR Code of each version (index) holds at level M in byte mode."""
    capacities = [0]
    for version in range(1, 41):
        count_bits = 8 if version < 10 else 16
        bits = qr_util.BIT_LIMIT_TABLE[qr_constants.ERROR_CORRECT_M][version] - 4 - count_bits
        capacities.append(bits // 8)
    return tuple(capacities)


def _matrix_modules(kind: str, value: str) -> int:
    """Modules per side of the 2D symbol the printer will draw (an upper bound).

    QR: byte mode at level M, which is what the printer's automatic mode needs at most.
    Data Matrix: one size above what ASCII encodation needs, as slack in case the printer's
    encoder chooses differently; a symbol that outgrew its room would be cut off.
    """
    if kind == "qr":
        length = len(value.encode("utf-8"))
        for version, capacity in enumerate(_qr_byte_capacities()):
            if version and capacity >= length:
                return 17 + 4 * version
        raise ZplFieldError(f"QR Code value of {length} bytes is too long for a QR Code.")
    return barcode_drawing.datamatrix_size(value, gs1=kind == "gs1_datamatrix", spare_sizes=1)


def _matrix_value(page: _Page, fields: LabelFields) -> str:
    if page.matrix == "gs1_datamatrix":
        if not fields.gs1:
            raise ZplFieldError(
                f"Serial {fields.serial!r}: a GS1 Data Matrix needs a GS1 element string."
            )
        barcode_drawing.gs1_elements(fields.gs1)
        return fields.gs1
    value = fields.matrix_value or fields.serial
    if page.matrix == "datamatrix":
        barcode_drawing.datamatrix_codewords(value)  # rejects non-ASCII with a clear message
    return value


def _matrix_field(kind: str, value: str, x: int, y: int, module: int) -> str:
    if kind == "qr":
        return f"^FO{x},{y}^BQN,2,{module}{_field_data('MA,' + value)}\n"
    data = datamatrix_field_data(value, gs1=kind == "gs1_datamatrix")
    return f"^FO{x},{y}^BXN,{module},200,,,,{DATAMATRIX_ESCAPE}{_field_data(data)}\n"


# ---------------------------------------------------------------------------------------------
# Label layout
# ---------------------------------------------------------------------------------------------


def _label(page: _Page, fields: LabelFields) -> str:
    if not isinstance(fields.serial, str) or not fields.serial.strip():
        raise ZplFieldError("Every label needs a serial.")
    dpi = page.dpi
    margin, gap = page.margin, page.gap
    width, height = page.width, page.height
    content_height = height - 2 * margin
    parts = [page.header]

    # Linear symbol: exact module count from the encoder used for the SVG labels.
    values: tuple[int, ...] = ()
    human_readable = ""
    if page.linear == "code128":
        values = barcode_drawing.code128_values(fields.serial)
        human_readable = fields.serial
    elif page.linear == "gs1_128":
        if not fields.gs1:
            raise ZplFieldError(
                f"Serial {fields.serial!r}: a GS1-128 barcode needs a GS1 element string."
            )
        values = barcode_drawing.code128_values(fields.gs1, gs1=True)
        human_readable = barcode_drawing.gs1_human_readable(fields.gs1)
    else:
        human_readable = fields.serial
    linear_modules = len(values) * 11 + 11 + 13 if values else 0  # + check character + stop
    min_linear_module = max(1, math.ceil(_MIN_LINEAR_MODULE_MM * dpi / MM_PER_INCH))
    max_linear_module = max(min_linear_module, _dots(_MAX_LINEAR_MODULE_MM, dpi))
    linear_room = (linear_modules + 2 * _CODE128_QUIET_ZONE_MODULES) * min_linear_module
    min_text_width = _dots(_MIN_TEXT_WIDTH_MM, dpi)

    # 2D symbol on the right, as large as the height and the linear barcode allow.
    text_right = width - margin
    linear_right = width  # the label edge beyond the margin still counts as quiet zone
    matrix_part = ""
    if page.matrix:
        value = _matrix_value(page, fields)
        modules = _matrix_modules(page.matrix, value)
        top_offset = _QR_TOP_OFFSET_DOTS if page.matrix == "qr" else 0
        smallest = max(1, _dots(_MIN_MATRIX_MODULE_MM, dpi))
        module = min(
            max(smallest, _dots(_MAX_MATRIX_MODULE_MM, dpi)),
            (content_height - top_offset) // modules,
        )
        if module < smallest:
            raise ZplLayoutError(
                f"Serial {fields.serial!r}: the {modules} x {modules} {page.matrix} symbol "
                f"needs {modules * smallest + top_offset} dots of height, the label has "
                f"{content_height} inside its margins at {dpi} dpi."
            )
        if page.matrix == "qr":
            module = min(module, 10)  # ^BQ magnification stops at 10
        while module >= smallest:
            side = modules * module
            matrix_quiet = _MATRIX_QUIET_ZONE_MODULES * module
            matrix_x = width - max(margin, matrix_quiet) - side
            if matrix_x - max(gap, matrix_quiet) >= max(linear_room, margin + min_text_width):
                break
            module -= 1
        if module < smallest:
            raise ZplLayoutError(
                f"Serial {fields.serial!r}: the {modules} x {modules} {page.matrix} symbol and "
                f"the barcode ({linear_room} dots) need more than the label width of {width} "
                f"dots at {dpi} dpi."
            )
        matrix_y = margin + (content_height - top_offset - side) // 2
        matrix_part = _matrix_field(page.matrix, value, matrix_x, matrix_y, module)
        text_right = linear_right = matrix_x - max(gap, matrix_quiet)

    text_width = text_right - margin
    if text_width <= 0:
        raise ZplLayoutError(f"Label of {width} dots at {dpi} dpi leaves no room for text.")

    def font_size(bounds: tuple[float, float], share: float) -> int:
        low, high = (_dots(bound, dpi) for bound in bounds)
        return max(low, min(high, round(content_height * share)))

    name = _clean_text(
        " ".join(part for part in (fields.product_code, fields.product_name) if part)
    )
    captioned = ((fields.lot_caption, fields.lot), (fields.expiry_caption, fields.expiry))
    info = "   ".join(
        f"{_clean_text(caption)}: {_clean_text(value)}" for caption, value in captioned if value
    )
    name_font = font_size(_NAME_FONT_MM, 0.14) if name else 0
    info_font = font_size(_INFO_FONT_MM, 0.11) if info else 0
    human_font = font_size(_HUMAN_READABLE_FONT_MM, 0.12) if page.human_readable else 0

    # The human-readable line is never cut: it narrows its glyphs until it fits.
    human_text = _clean_text(human_readable)
    human_width = human_font
    if human_font and len(human_text) * _FONT0_ADVANCE * human_font > text_width:
        human_width = max(1, int(text_width / (_FONT0_ADVANCE * len(human_text))))

    fixed = sum(size + gap for size in (name_font, human_font, info_font) if size)
    bar_height = 0
    if values:
        bar_height = min(content_height - fixed, _dots(_MAX_BAR_HEIGHT_MM, dpi))
        if bar_height < _dots(_MIN_BAR_HEIGHT_MM, dpi):
            raise ZplLayoutError(
                f"Serial {fields.serial!r}: label height of {height} dots at {dpi} dpi leaves "
                f"{max(bar_height, 0)} dots for the barcode, at least "
                f"{_dots(_MIN_BAR_HEIGHT_MM, dpi)} are needed."
            )
    elif fixed > content_height:
        raise ZplLayoutError(f"Label height of {height} dots at {dpi} dpi is too small for text.")

    y = margin
    if name_font:
        parts.append(_text(margin, y, name_font, name_font, _fit_text(name, text_width, name_font)))
        y += name_font + gap
    if values:
        # Widest module that keeps both quiet zones inside the space left of the 2D symbol.
        module = max_linear_module
        total_modules = linear_modules + 2 * _CODE128_QUIET_ZONE_MODULES
        while module > min_linear_module and total_modules * module > linear_right:
            module -= 1
        bar_width = linear_modules * module
        quiet = _CODE128_QUIET_ZONE_MODULES * module
        if quiet + bar_width + quiet > linear_right:
            raise ZplLayoutError(
                f"Serial {fields.serial!r}: the barcode needs {bar_width + 2 * quiet} dots "
                f"({linear_modules} modules and quiet zones at {module} dot(s) each), the label "
                f"has {linear_right} dots at {dpi} dpi."
            )
        bar_x = (linear_right - bar_width) // 2
        parts.append(
            f"^FO{bar_x},{y}^BY{module},3,{bar_height}^BCN,{bar_height},N,N,N,N"
            f"{_field_data(code128_field_data(values))}\n"
        )
        y += bar_height + gap
    if human_font:
        parts.append(_text(margin, y, human_font, human_width, human_text))
        y += human_font + gap
    if info_font:
        parts.append(_text(margin, y, info_font, info_font, _fit_text(info, text_width, info_font)))
    parts.append(matrix_part)
    parts.append("^XZ\n")
    return "".join(parts)


def label(
    fields: LabelFields | dict,
    fmt: LabelFormat | dict | tuple,
    *,
    dpi: int = 203,
    linear: str | None = "code128",
    matrix: str | None = None,
    human_readable: bool = True,
) -> str:
    """ZPL of one label (``^XA`` ... ``^XZ``).

    ``fmt`` gives the label size: a ``LabelFormat``, a dict with ``label_width_mm`` and
    ``label_height_mm``, or a ``(width_mm, height_mm)`` tuple. ``linear`` is 'code128' (the
    serial), 'gs1_128' (``fields.gs1``) or None; ``matrix`` is None, 'qr', 'datamatrix' or
    'gs1_datamatrix'. Raises a ``ZplError`` when a field cannot be encoded or does not fit.
    """
    page = _page(fmt, dpi, linear, matrix, human_readable)
    return _label(page, LabelFields.from_value(fields))


def labels(
    list_of_fields: list[LabelFields | dict],
    fmt: LabelFormat | dict | tuple,
    *,
    dpi: int = 203,
    linear: str | None = "code128",
    matrix: str | None = None,
    human_readable: bool = True,
) -> str:
    """ZPL of many labels, one ``^XA ... ^XZ`` block each, in the order given."""
    page = _page(fmt, dpi, linear, matrix, human_readable)
    return "".join(_label(page, LabelFields.from_value(fields)) for fields in list_of_fields)
