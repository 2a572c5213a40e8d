"""Label positions on sheets and thermal rolls."""

import itertools

import pytest

from serial_inventory_labels.lib import label_geometry
from serial_inventory_labels.lib.label_geometry import LabelFormat, layout

EPSILON = 1e-6
FORMATS = list(label_geometry.PREDEFINED_FORMATS.values())


def overlaps(first, second):
    x1, y1, w1, h1 = first
    x2, y2, w2, h2 = second
    return (
        x1 < x2 + w2 - EPSILON
        and x2 < x1 + w1 - EPSILON
        and (y1 < y2 + h2 - EPSILON and y2 < y1 + h1 - EPSILON)
    )


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda fmt: fmt.code)
def test_every_label_is_inside_the_page_and_no_two_overlap(fmt):
    page_width, page_height = fmt.page_dimensions_mm
    per_page = fmt.rows * fmt.columns
    count = per_page * 2 + 3
    pages = layout(fmt, count)
    assert sum(len(page) for page in pages) == count
    assert all(len(page) == per_page for page in pages[:-1])
    for page in pages:
        for x, y, width, height in page:
            assert (width, height) == (fmt.label_width_mm, fmt.label_height_mm)
            assert x >= fmt.margin_left_mm - EPSILON and y >= fmt.margin_top_mm - EPSILON
            assert x + width <= page_width - fmt.margin_right_mm + 0.01
            assert y + height <= page_height - fmt.margin_bottom_mm + 0.01
        for first, second in itertools.combinations(page, 2):
            assert not overlaps(first, second), (first, second)


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda fmt: fmt.code)
def test_full_pages_hold_rows_times_columns(fmt):
    per_page = fmt.labels_per_page
    assert [len(page) for page in layout(fmt, per_page * 3)] == [per_page] * 3
    assert layout(fmt, 0) == []


def test_avery_5160_positions_follow_the_template():
    fmt = label_geometry.PREDEFINED_FORMATS["letter_3x10_5160"]
    assert fmt.page_dimensions_mm == (215.9, 279.4)
    (page,) = layout(fmt, 30)
    assert page[0] == pytest.approx((4.7625, 12.7, 66.675, 25.4))
    assert page[1][0] == pytest.approx(4.7625 + 66.675 + 3.175)
    assert page[2][0] == pytest.approx(4.7625 + 2 * (66.675 + 3.175))
    assert page[-1][:2] == pytest.approx((4.7625 + 2 * (66.675 + 3.175), 12.7 + 9 * 25.4))
    # the right edge of the last column lands on the right margin
    assert page[2][0] + page[2][2] == pytest.approx(215.9 - 4.7625)


def test_labels_fill_rows_left_to_right_then_top_to_bottom():
    fmt = label_geometry.PREDEFINED_FORMATS["a4_3x8_70x37"]
    (page,) = layout(fmt, 4)
    assert [(x, y) for x, y, _w, _h in page] == [(0, 0.5), (70, 0.5), (140, 0.5), (0, 37.5)]


def test_start_position_skips_used_labels_on_the_first_page_only():
    fmt = label_geometry.PREDEFINED_FORMATS["a4_3x8_70x37"]
    slots = label_geometry.slot_positions(fmt)
    assert layout(fmt, 5, start_position=4) == [slots[3:8]]
    pages = layout(fmt, 5, start_position=23)
    assert pages == [slots[22:24], slots[0:3]]
    pages = layout(fmt, 24, start_position=24)
    assert [len(page) for page in pages] == [1, 23]


@pytest.mark.parametrize("start_position", [0, 25, -1, 1.5, True])
def test_start_position_outside_the_sheet_is_an_error(start_position):
    fmt = label_geometry.PREDEFINED_FORMATS["a4_3x8_70x37"]
    with pytest.raises(label_geometry.LabelFormatError, match="Start position"):
        layout(fmt, 3, start_position=start_position)


def test_negative_count_is_an_error():
    with pytest.raises(label_geometry.LabelFormatError, match="count"):
        layout(label_geometry.PREDEFINED_FORMATS["a4_3x8_70x37"], -1)


def test_width_overflow_names_the_dimension_and_the_excess():
    fmt = {
        "name": "Too wide",
        "page_size": "A4",
        "rows": 8,
        "columns": 3,
        "label_width_mm": 71,
        "label_height_mm": 37,
    }
    with pytest.raises(label_geometry.LabelOverflowError, match=r"page width by 3 mm"):
        layout(fmt, 1)


def test_height_overflow_names_the_dimension_and_the_excess():
    fmt = {
        "name": "Too tall",
        "page_size": "Letter",
        "rows": 10,
        "columns": 3,
        "label_width_mm": 66.675,
        "label_height_mm": 25.4,
        "margin_top_mm": 12.7,
        "margin_bottom_mm": 12.7,
        "gap_vertical_mm": 0.5,
    }
    with pytest.raises(label_geometry.LabelOverflowError, match=r"page height by 4\.5 mm"):
        label_geometry.validate(fmt)


def test_gaps_count_between_labels_only():
    fmt = {
        "page_size": "custom",
        "page_width_mm": 100,
        "page_height_mm": 50,
        "rows": 2,
        "columns": 2,
        "label_width_mm": 45,
        "label_height_mm": 20,
        "margin_left_mm": 2,
        "margin_right_mm": 2,
        "gap_horizontal_mm": 6,
        "margin_top_mm": 5,
        "gap_vertical_mm": 5,
    }
    (page,) = layout(fmt, 4)
    assert page == [(2, 5, 45, 20), (53, 5, 45, 20), (2, 30, 45, 20), (53, 30, 45, 20)]
    with pytest.raises(label_geometry.LabelOverflowError, match="page width by 1 mm"):
        layout({**fmt, "gap_horizontal_mm": 7}, 1)


def test_landscape_turns_the_page():
    fmt = LabelFormat(
        code="a4_landscape",
        name="A4 landscape 4 x 2",
        page_size="A4",
        orientation="landscape",
        rows=2,
        columns=4,
        label_width_mm=70,
        label_height_mm=100,
    )
    assert fmt.page_dimensions_mm == (297.0, 210.0)
    assert len(layout(fmt, 8)) == 1
    with pytest.raises(label_geometry.LabelOverflowError, match="page width by 70 mm"):
        label_geometry.with_changes(fmt, orientation="portrait")


@pytest.mark.parametrize(
    ("code", "size"),
    [
        ("thermal_2x1in", (50.8, 25.4)),
        ("thermal_4x6in", (101.6, 152.4)),
        ("thermal_57x32", (57.0, 32.0)),
    ],
)
def test_thermal_formats_print_one_label_per_page_the_size_of_the_label(code, size):
    fmt = label_geometry.PREDEFINED_FORMATS[code]
    assert fmt.thermal and fmt.page_dimensions_mm == size
    pages = layout(fmt, 3)
    assert pages == [[(0, 0, *size)]] * 3


def test_thermal_format_with_a_grid_is_an_error():
    fmt = label_geometry.PREDEFINED_FORMATS["thermal_57x32"]
    with pytest.raises(label_geometry.LabelFormatError, match="one label per page"):
        label_geometry.with_changes(fmt, rows=2)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rows": 0}, "rows"),
        ({"columns": 2.5}, "columns"),
        ({"label_width_mm": 0}, "label_width_mm"),
        ({"margin_left_mm": -1}, "margin_left_mm"),
        ({"orientation": "sideways"}, "orientation"),
        ({"page_size": "A5"}, "page size"),
        ({"page_size": "custom"}, "custom page"),
    ],
)
def test_inconsistent_formats_are_errors(changes, message):
    fmt = label_geometry.PREDEFINED_FORMATS["a4_3x8_70x37"]
    with pytest.raises(label_geometry.LabelFormatError, match=message):
        label_geometry.with_changes(fmt, **changes)


def test_dict_without_label_size_is_an_error():
    with pytest.raises(label_geometry.LabelFormatError, match="label_height_mm"):
        layout({"name": "Half", "page_size": "A4", "label_width_mm": 70}, 1)


def test_predefined_formats_round_trip_through_dicts():
    for fmt in FORMATS:
        data = fmt.as_dict()
        assert LabelFormat.from_dict({**data, "id": 7, "active": True}) == fmt
        assert layout(data, fmt.labels_per_page) == layout(fmt, fmt.labels_per_page)
