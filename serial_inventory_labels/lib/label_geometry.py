"""Where each label sits on a printed page: label sheets (A4, US Letter, custom) and thermal rolls.

A format is a ``LabelFormat`` (or a plain dict with the same keys, as read from an Odoo
record). ``layout()`` turns a label count into pages of label rectangles in mm, measured from
the page's top-left corner, filled row by row (left to right, then top to bottom), which is
how sheet labels are numbered on their packaging and how users count "start at label N".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

MM_PER_INCH = 25.4

PAGE_SIZES_MM = {
    "A4": (210.0, 297.0),
    "Letter": (215.9, 279.4),
}
ORIENTATIONS = ("portrait", "landscape")

# Printing tolerance: sheet specifications are rounded to 0.1 mm, so sums of inch-based
# dimensions may exceed the page by a rounding hair without the labels really overflowing.
_FIT_TOLERANCE_MM = 0.01


class LabelFormatError(ValueError):
    """A label format is incomplete or inconsistent."""


class LabelOverflowError(LabelFormatError):
    """The labels of a format do not fit on its page."""


@dataclass(frozen=True)
class LabelFormat:
    """One label stock: the page and the grid of labels on it (all lengths in mm).

    ``page_size`` is 'A4', 'Letter' or 'custom' (then ``page_width_mm``/``page_height_mm``
    are the portrait page). ``orientation`` 'landscape' turns the page; rows, columns,
    margins and gaps then describe the turned page. ``gap_horizontal_mm`` is the space
    between two columns, ``gap_vertical_mm`` between two rows. A thermal format is one label
    per page with the page the size of the label.
    """

    code: str
    name: str
    label_width_mm: float
    label_height_mm: float
    rows: int = 1
    columns: int = 1
    page_size: str = "custom"
    page_width_mm: float = 0.0
    page_height_mm: float = 0.0
    orientation: str = "portrait"
    margin_top_mm: float = 0.0
    margin_bottom_mm: float = 0.0
    margin_left_mm: float = 0.0
    margin_right_mm: float = 0.0
    gap_horizontal_mm: float = 0.0
    gap_vertical_mm: float = 0.0
    thermal: bool = False

    @classmethod
    def from_dict(cls, values: dict) -> LabelFormat:
        """Build a format from a dict; unknown keys are ignored, missing ones take defaults."""
        known = {field.name for field in fields(cls)}
        data = {key: value for key, value in values.items() if key in known}
        data.setdefault("code", "custom")
        data.setdefault("name", data["code"])
        missing = [key for key in ("label_width_mm", "label_height_mm") if data.get(key) is None]
        if missing:
            raise LabelFormatError(f"Label format {data['name']!r} lacks {', '.join(missing)}.")
        return cls(**data)

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def labels_per_page(self) -> int:
        return self.rows * self.columns

    @property
    def page_dimensions_mm(self) -> tuple[float, float]:
        """(width, height) of the page as printed, orientation applied."""
        if self.thermal:
            width, height = self.label_width_mm, self.label_height_mm
            if self.page_size == "custom" and self.page_width_mm and self.page_height_mm:
                width, height = self.page_width_mm, self.page_height_mm
        elif self.page_size in PAGE_SIZES_MM:
            width, height = PAGE_SIZES_MM[self.page_size]
        elif self.page_size == "custom":
            width, height = self.page_width_mm, self.page_height_mm
        else:
            raise LabelFormatError(
                f"Label format {self.name!r}: page size {self.page_size!r} is not one of "
                f"{', '.join([*PAGE_SIZES_MM, 'custom'])}."
            )
        if self.orientation == "landscape":
            width, height = height, width
        return width, height


def _as_format(fmt: LabelFormat | dict) -> LabelFormat:
    if isinstance(fmt, LabelFormat):
        return fmt
    if isinstance(fmt, dict):
        return LabelFormat.from_dict(fmt)
    raise LabelFormatError(f"Expected a LabelFormat or a dict, got {type(fmt).__name__}.")


def _mm(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def validate(fmt: LabelFormat | dict) -> LabelFormat:
    """Check a format and return it as a ``LabelFormat``; raise ``LabelFormatError`` if wrong.

    The overflow message names the dimension and by how many mm the labels overflow it.
    """
    fmt = _as_format(fmt)
    name = fmt.name
    if fmt.orientation not in ORIENTATIONS:
        raise LabelFormatError(
            f"Label format {name!r}: orientation {fmt.orientation!r} is not 'portrait' or "
            f"'landscape'."
        )
    for attribute in ("rows", "columns"):
        count = getattr(fmt, attribute)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise LabelFormatError(
                f"Label format {name!r}: {attribute} must be a whole number of at least 1, "
                f"not {count!r}."
            )
    if fmt.thermal and fmt.labels_per_page != 1:
        raise LabelFormatError(
            f"Label format {name!r}: a thermal format prints one label per page, not "
            f"{fmt.rows} x {fmt.columns}."
        )
    for attribute in ("label_width_mm", "label_height_mm"):
        if not getattr(fmt, attribute) > 0:
            raise LabelFormatError(
                f"Label format {name!r}: {attribute} must be above 0, not "
                f"{getattr(fmt, attribute)!r}."
            )
    for attribute in (
        "margin_top_mm",
        "margin_bottom_mm",
        "margin_left_mm",
        "margin_right_mm",
        "gap_horizontal_mm",
        "gap_vertical_mm",
    ):
        if getattr(fmt, attribute) < 0:
            raise LabelFormatError(
                f"Label format {name!r}: {attribute} must not be negative, not "
                f"{getattr(fmt, attribute)!r}."
            )
    page_width, page_height = fmt.page_dimensions_mm
    if not (page_width > 0 and page_height > 0):
        raise LabelFormatError(
            f"Label format {name!r}: a custom page needs a width and a height above 0 mm."
        )
    needed_width = (
        fmt.margin_left_mm
        + fmt.columns * fmt.label_width_mm
        + (fmt.columns - 1) * fmt.gap_horizontal_mm
        + fmt.margin_right_mm
    )
    needed_height = (
        fmt.margin_top_mm
        + fmt.rows * fmt.label_height_mm
        + (fmt.rows - 1) * fmt.gap_vertical_mm
        + fmt.margin_bottom_mm
    )
    if needed_width - page_width > _FIT_TOLERANCE_MM:
        raise LabelOverflowError(
            f"Label format {name!r}: labels overflow the page width by "
            f"{_mm(needed_width - page_width)} mm (margins {_mm(fmt.margin_left_mm)} + "
            f"{_mm(fmt.margin_right_mm)} mm, {fmt.columns} columns of "
            f"{_mm(fmt.label_width_mm)} mm, {fmt.columns - 1} gaps of "
            f"{_mm(fmt.gap_horizontal_mm)} mm = {_mm(needed_width)} mm; page width "
            f"{_mm(page_width)} mm)."
        )
    if needed_height - page_height > _FIT_TOLERANCE_MM:
        raise LabelOverflowError(
            f"Label format {name!r}: labels overflow the page height by "
            f"{_mm(needed_height - page_height)} mm (margins {_mm(fmt.margin_top_mm)} + "
            f"{_mm(fmt.margin_bottom_mm)} mm, {fmt.rows} rows of "
            f"{_mm(fmt.label_height_mm)} mm, {fmt.rows - 1} gaps of "
            f"{_mm(fmt.gap_vertical_mm)} mm = {_mm(needed_height)} mm; page height "
            f"{_mm(page_height)} mm)."
        )
    return fmt


def slot_positions(fmt: LabelFormat | dict) -> list[tuple[float, float, float, float]]:
    """Every label rectangle (x, y, width, height) of one page, in printing order."""
    fmt = validate(fmt)
    step_x = fmt.label_width_mm + fmt.gap_horizontal_mm
    step_y = fmt.label_height_mm + fmt.gap_vertical_mm
    return [
        (
            round(fmt.margin_left_mm + column * step_x, 4),
            round(fmt.margin_top_mm + row * step_y, 4),
            fmt.label_width_mm,
            fmt.label_height_mm,
        )
        for row in range(fmt.rows)
        for column in range(fmt.columns)
    ]


def layout(
    fmt: LabelFormat | dict, count: int, start_position: int = 1
) -> list[list[tuple[float, float, float, float]]]:
    """Pages of label rectangles ``(x_mm, y_mm, w_mm, h_mm)`` for ``count`` labels.

    ``start_position`` (1-based, row by row) is the first free label of a partly used first
    sheet: the slots before it stay empty and are not listed. Later pages start at slot 1.
    """
    slots = slot_positions(fmt)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise LabelFormatError(f"Label count must be a whole number of at least 0, not {count!r}.")
    if (
        isinstance(start_position, bool)
        or not isinstance(start_position, int)
        or not 1 <= start_position <= len(slots)
    ):
        raise LabelFormatError(
            f"Start position {start_position!r} is not a label of this format (1 to {len(slots)})."
        )
    pages: list[list[tuple[float, float, float, float]]] = []
    next_slot = start_position - 1
    remaining = count
    while remaining > 0:
        page = slots[next_slot : next_slot + remaining]
        pages.append(page)
        remaining -= len(page)
        next_slot = 0
    return pages


def thermal_format(code: str, name: str, width_mm: float, height_mm: float) -> LabelFormat:
    """A thermal roll format: one label per page, the page being the label."""
    return validate(
        LabelFormat(
            code=code,
            name=name,
            label_width_mm=width_mm,
            label_height_mm=height_mm,
            page_size="custom",
            page_width_mm=width_mm,
            page_height_mm=height_mm,
            thermal=True,
        )
    )


def _inches(value: float) -> float:
    return round(value * MM_PER_INCH, 4)


# Ready-made stock, used to seed the label format records. Sheet margins follow the
# manufacturers' templates; formats whose sheet leaves no gap between labels have none.
PREDEFINED_FORMATS: dict[str, LabelFormat] = {
    fmt.code: validate(fmt)
    for fmt in (
        # 3 x 8 labels of 70 x 37 mm (e.g. Avery 3474): full width, 0.5 mm top and bottom.
        LabelFormat(
            code="a4_3x8_70x37",
            name="A4 - 3 x 8 labels, 70 x 37 mm",
            page_size="A4",
            rows=8,
            columns=3,
            label_width_mm=70.0,
            label_height_mm=37.0,
            margin_top_mm=0.5,
            margin_bottom_mm=0.5,
        ),
        # 4 x 10 labels of 48.5 x 25.4 mm (e.g. Avery 3657): 8 mm sides, 21.5 mm top/bottom.
        LabelFormat(
            code="a4_4x10_48x25",
            name="A4 - 4 x 10 labels, 48.5 x 25.4 mm",
            page_size="A4",
            rows=10,
            columns=4,
            label_width_mm=48.5,
            label_height_mm=25.4,
            margin_top_mm=21.5,
            margin_bottom_mm=21.5,
            margin_left_mm=8.0,
            margin_right_mm=8.0,
        ),
        # Avery 5160: 3 x 10 labels of 2 5/8 x 1 in, 1/2 in top, 3/16 in sides, 1/8 in gaps.
        LabelFormat(
            code="letter_3x10_5160",
            name="US Letter - 3 x 10 labels, 2 5/8 x 1 in (Avery 5160)",
            page_size="Letter",
            rows=10,
            columns=3,
            label_width_mm=_inches(2.625),
            label_height_mm=_inches(1.0),
            margin_top_mm=_inches(0.5),
            margin_bottom_mm=_inches(0.5),
            margin_left_mm=_inches(0.1875),
            margin_right_mm=_inches(0.1875),
            gap_horizontal_mm=_inches(0.125),
        ),
    )
}
PREDEFINED_FORMATS.update(
    {
        fmt.code: fmt
        for fmt in (
            thermal_format("thermal_2x1in", "Thermal 2 x 1 in", _inches(2), _inches(1)),
            thermal_format("thermal_4x6in", "Thermal 4 x 6 in", _inches(4), _inches(6)),
            thermal_format("thermal_57x32", "Thermal 57 x 32 mm", 57.0, 32.0),
        )
    }
)


def with_changes(fmt: LabelFormat | dict, **changes) -> LabelFormat:
    """A validated copy of ``fmt`` with some values changed (e.g. a user's margin tweak)."""
    return validate(replace(_as_format(fmt), **changes))
