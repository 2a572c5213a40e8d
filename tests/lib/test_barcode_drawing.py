"""Barcode drawings decoded back with a real decoder (zxing-cpp), and SVG == PNG == symbol."""

import io
import random
import re
import string
import xml.etree.ElementTree as ElementTree

import pytest
import zxingcpp
from PIL import Image

from serial_inventory_labels.lib import barcode_drawing

GS = "\x1d"
SVG_NS = "{http://www.w3.org/2000/svg}"

CODE128_VALUES = [
    "SN-2611-ABC-00001Z",
    "0123456789",
    "00001",
    "1234567",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "sn-lower-case-serial",
    "A12345B6789C",
    "SN-2026-11-WAREHOUSE-A-0000123456789-XYZ",
    "a<b&c\"d'e>f",
    "x^y~z_w`{|}\\",
    "SN 42 / 7",
    "7",
]

GS1_VALUES = [
    # variable field before fixed ones, variable field last
    "0109506000134352" + "21ABC123" + GS + "17261231" + "10B1",
    # fixed, fixed, variable
    "0109506000134352" + "17261231" + "10LOT42",
    # variable fields first, fixed field last
    "21SERIAL-1" + GS + "10B-7" + GS + "0109506000134352",
    # an odd run of digits just before a separator, then a 4-digit AI
    "10123" + GS + "3103000125" + "21ABC",
    # SSCC alone
    "00106141411234567897",
    # lower case and symbols allowed by GS1
    "0109506000134352" + "21a-b/c.d_e%f" + GS + "10x",
]

EAN_CASES = [
    ("ean13", "590123412345", "5901234123457"),
    ("ean13", "5901234123457", "5901234123457"),
    ("ean13", "4006381333931", "4006381333931"),
    ("ean13", "123456789012", "1234567890128"),
    ("ean8", "9638507", "96385074"),
    ("ean8", "96385074", "96385074"),
    ("ean8", "5512345", "55123457"),
    ("upca", "03600029145", "036000291452"),
    ("upca", "036000291452", "036000291452"),
    ("upca", "12345678901", "123456789012"),
]

QR_VALUES = [
    "SN-2611-ABC-00001Z",
    "https://example.com/serial/SN-2611-ABC-00001Z?x=1&y=<2>",
    "0123456789" * 5,
    "quote \" apostrophe ' less < amp &",
    "lower case and UPPER CASE 42",
]

DATAMATRIX_VALUES = [
    "SN-2611-ABC-00001Z",
    "1",
    "AB",
    "0123456789",
    "a<b&c\"d'e>f ^~_`",
    "SN-2026-11-WAREHOUSE-A-0000123456789-XYZ" * 3,  # several data regions
    "1234567890" * 40,  # 200 codewords: two interleaved Reed-Solomon blocks
]

GS1_DATAMATRIX_VALUES = [
    *GS1_VALUES,
    "0109506000134352" + "21" + "S" * 20 + GS + "17261231" + "10" + "L" * 20,
]


def decode(kind, value, **options):
    image = Image.open(io.BytesIO(barcode_drawing.png(kind, value, **options)))
    return zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)


def decode_one(kind, value, **options):
    results = decode(kind, value, **options)
    assert len(results) == 1, f"{kind} {value!r}: decoder found {len(results)} symbols"
    return results[0]


@pytest.mark.parametrize("value", CODE128_VALUES)
def test_code128_png_decodes_to_the_serial(value):
    result = decode_one("code128", value)
    assert result.format == zxingcpp.BarcodeFormat.Code128
    assert result.text == value
    assert result.symbology_identifier == "]C0"


@pytest.mark.parametrize("value", GS1_VALUES)
def test_gs1_128_decodes_with_fnc1_where_the_separators_were(value):
    result = decode_one("gs1_128", value)
    assert result.format == zxingcpp.BarcodeFormat.Code128
    assert result.symbology_identifier == "]C1"  # FNC1 in first position: GS1-128
    assert result.content_type == zxingcpp.ContentType.GS1
    assert result.text == value  # separators come back as \x1d exactly where they were


@pytest.mark.parametrize("value", GS1_VALUES)
def test_gs1_human_readable_matches_the_decoder_interpretation(value):
    image = Image.open(io.BytesIO(barcode_drawing.png("gs1_128", value)))
    (result,) = zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.HRI)
    assert barcode_drawing.gs1_human_readable(value) == result.text
    assert barcode_drawing.encode("gs1_128", value).text == result.text


def test_gs1_human_readable_form_of_the_canonical_example():
    value = "0109506000134352" + "21ABC123" + GS + "17261231" + "10B1"
    assert (
        barcode_drawing.gs1_human_readable(value) == "(01)09506000134352(21)ABC123(17)261231(10)B1"
    )
    assert "(01)09506000134352(21)ABC123(17)261231(10)B1" in barcode_drawing.svg("gs1_128", value)


def test_gs1_128_starts_in_code_set_c_and_keeps_it_across_fnc1():
    values = barcode_drawing.code128_values("0109506000134352" + "17261231" + "10B1", gs1=True)
    assert values[:2] == (barcode_drawing.CODE128_START_C, barcode_drawing.CODE128_FNC1)
    values = barcode_drawing.code128_values("10ABCD1234" + GS + "0109506000134352", gs1=True)
    # "34" FNC1 "01" all in code set C: no code-set switch around the separator
    fnc1_index = values.index(barcode_drawing.CODE128_FNC1, 2)
    assert values[fnc1_index - 1 : fnc1_index + 2] == (34, barcode_drawing.CODE128_FNC1, 1)


@pytest.mark.parametrize(("kind", "value", "full"), EAN_CASES)
def test_ean_upc_decode_to_the_digits_with_check_digit(kind, value, full):
    result = decode_one(kind, value)
    assert result.text == full
    assert barcode_drawing.encode(kind, value).value == full


@pytest.mark.parametrize(
    ("kind", "value"),
    [("ean13", "5901234123458"), ("ean8", "96385075"), ("upca", "036000291453")],
)
def test_wrong_check_digit_is_an_error_not_fixed(kind, value):
    with pytest.raises(barcode_drawing.CheckDigitError, match=value):
        barcode_drawing.svg(kind, value)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("ean13", "59012341234"),
        ("ean13", "59012341234A"),
        ("ean8", "963850741"),
        ("upca", " 3600029145"),
    ],
)
def test_ean_upc_reject_wrong_lengths_and_non_digits(kind, value):
    with pytest.raises(barcode_drawing.InvalidBarcodeValueError):
        barcode_drawing.encode(kind, value)


@pytest.mark.parametrize("value", QR_VALUES)
def test_qr_decodes(value):
    result = decode_one("qr", value)
    assert result.format == zxingcpp.BarcodeFormat.QRCode
    assert result.text == value
    assert result.ec_level == "M"


@pytest.mark.parametrize("value", DATAMATRIX_VALUES)
def test_datamatrix_decodes(value):
    result = decode_one("datamatrix", value)
    assert result.format == zxingcpp.BarcodeFormat.DataMatrix
    assert result.text == value
    assert result.symbology_identifier == "]d1"


@pytest.mark.parametrize("value", GS1_DATAMATRIX_VALUES)
def test_gs1_datamatrix_decodes_as_gs1(value):
    result = decode_one("gs1_datamatrix", value)
    assert result.symbology_identifier == "]d2"
    assert result.content_type == zxingcpp.ContentType.GS1
    assert result.text == value


def test_datamatrix_sizes_grow_with_the_data():
    assert barcode_drawing.datamatrix_size("1") == 10
    assert barcode_drawing.datamatrix_size("123456") == 10  # three digit pairs
    assert barcode_drawing.datamatrix_size("1234567") == 12
    assert barcode_drawing.datamatrix_size("1234567890" * 40) == 52
    assert barcode_drawing.encode("datamatrix", "1234567890" * 40).width_modules == 52


@pytest.mark.parametrize("kind", barcode_drawing.KINDS)
def test_empty_value_is_an_error(kind):
    with pytest.raises(barcode_drawing.InvalidBarcodeValueError, match="empty"):
        barcode_drawing.svg(kind, "")


@pytest.mark.parametrize("value", ["Größe-1", "SN\x1d1", "tab\there", "\x7f"])
def test_code128_rejects_non_ascii_and_control_characters(value):
    with pytest.raises(barcode_drawing.InvalidBarcodeValueError, match="printable ASCII"):
        barcode_drawing.svg("code128", value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (GS + "0109506000134352", "separator"),
        ("0109506000134352" + "10AB" + GS, "separator"),
        ("0109506000134352" + GS + GS + "10AB", "expected an application identifier"),
        ("01095060001343", "needs 14"),
        ("2612345", "unknown application identifier"),
        ("10", "has no value"),
        ("10Größe", "cannot carry"),
    ],
)
def test_malformed_gs1_strings_are_errors(value, message):
    with pytest.raises(barcode_drawing.InvalidGs1ElementStringError, match=message):
        barcode_drawing.svg("gs1_128", value)


def test_unknown_kind_and_bad_options_are_errors():
    with pytest.raises(barcode_drawing.UnknownBarcodeKindError, match="'pdf417'"):
        barcode_drawing.svg("pdf417", "x")
    with pytest.raises(barcode_drawing.InvalidDrawingOptionError, match="Module width 0"):
        barcode_drawing.svg("code128", "x", module_width_mm=0)
    with pytest.raises(barcode_drawing.InvalidDrawingOptionError, match="Quiet zone"):
        barcode_drawing.svg("code128", "x", quiet_zone_modules=-1)
    with pytest.raises(barcode_drawing.InvalidDrawingOptionError, match="Resolution"):
        barcode_drawing.png("code128", "x", dpi=10)
    assert all(issubclass(error, ValueError) for error in (barcode_drawing.BarcodeError,))


# --- SVG structure --------------------------------------------------------------------------


def parse_svg(markup):
    assert markup.startswith("<svg ") and not markup.startswith("<?xml")
    return ElementTree.fromstring(markup)


@pytest.mark.parametrize("kind", barcode_drawing.KINDS)
def test_svg_is_sized_in_mm_with_a_viewbox(kind):
    value = {
        "ean13": "590123412345",
        "ean8": "9638507",
        "upca": "03600029145",
        "gs1_128": GS1_VALUES[0],
        "gs1_datamatrix": GS1_VALUES[0],
    }.get(kind, "SN-2611-ABC-00001Z")
    root = parse_svg(barcode_drawing.svg(kind, value))
    assert root.get("width").endswith("mm") and root.get("height").endswith("mm")
    view_box = [float(number) for number in root.get("viewBox").split()]
    width_mm = float(root.get("width")[:-2])
    # the viewBox counts modules: its width times the module width is the width in mm
    module_mm = barcode_drawing._DEFAULT_MODULE_WIDTH_MM[kind]
    assert view_box[2] * module_mm == pytest.approx(width_mm)


@pytest.mark.parametrize("value", ['<script>alert("x")</script>', "a&b", "q\"u'o<t>e&s"])
def test_svg_text_is_escaped(value):
    markup = barcode_drawing.svg("code128", value)
    assert "<script" not in markup
    root = parse_svg(markup)  # well-formed despite the markup characters
    (text,) = root.iter(f"{SVG_NS}text")
    assert text.text == value
    assert root.get("aria-label") == value
    assert parse_svg(barcode_drawing.svg("qr", value)).get("aria-label") == value


def test_svg_without_human_readable_has_no_text():
    root = parse_svg(barcode_drawing.svg("code128", "SN-1", human_readable=False))
    assert list(root.iter(f"{SVG_NS}text")) == []


def svg_linear_modules(markup):
    """Module string rebuilt from the SVG bar rectangles (quiet zones included)."""
    root = parse_svg(markup)
    width = int(float(root.get("viewBox").split()[2]))
    modules = ["0"] * width
    for rect in root.iter(f"{SVG_NS}rect"):
        if rect.get("fill") == "#fff":
            continue
        x, bar_width = int(rect.get("x")), int(rect.get("width"))
        assert float(rect.get("y")) == 0
        modules[x : x + bar_width] = "1" * bar_width
    return "".join(modules)


def png_linear_modules(png_bytes, module_px):
    """Module string read off the top pixel row of the PNG (quiet zones included)."""
    image = Image.open(io.BytesIO(png_bytes)).convert("L")
    row = [image.getpixel((x, 0)) for x in range(image.width)]
    assert image.width % module_px == 0
    modules = []
    for start in range(0, image.width, module_px):
        pixels = row[start : start + module_px]
        assert len(set(pixels)) == 1, "a module straddles a bar edge"
        modules.append("1" if pixels[0] < 128 else "0")
    return "".join(modules)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("code128", "SN-2611-ABC-00001Z"),
        ("code128", 'a<b&c"d>e'),
        ("gs1_128", GS1_VALUES[0]),
        ("ean13", "590123412345"),
        ("ean8", "9638507"),
        ("upca", "03600029145"),
    ],
)
@pytest.mark.parametrize("dpi", [203, 300, 600])
def test_svg_and_png_show_the_same_bars_as_the_symbol(kind, value, dpi):
    symbol = barcode_drawing.encode(kind, value)
    markup = barcode_drawing.svg(kind, value)
    png_bytes = barcode_drawing.png(kind, value, dpi=dpi)
    module_mm = barcode_drawing._DEFAULT_MODULE_WIDTH_MM[kind]
    module_px = max(1, round(module_mm * dpi / 25.4))
    from_svg = svg_linear_modules(markup)
    from_png = png_linear_modules(png_bytes, module_px)
    assert from_svg == from_png
    assert symbol.rows[0] in from_svg
    stripped = from_svg.strip("0")
    assert stripped == symbol.rows[0].strip("0")
    # quiet zones: at least the kind's minimum on both sides
    quiet = barcode_drawing._DEFAULT_QUIET_ZONE_MODULES[kind]
    assert from_svg.startswith("0" * quiet) and from_svg.endswith("0" * quiet)


def svg_matrix(markup):
    root = parse_svg(markup)
    size = int(root.get("viewBox").split()[2])
    grid = [["0"] * size for _ in range(size)]
    (path,) = root.iter(f"{SVG_NS}path")
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", path.get("d")):
        for column in range(int(x), int(x) + int(width)):
            grid[int(y)][column] = "1"
    return ["".join(row) for row in grid]


def png_matrix(png_bytes, module_px):
    image = Image.open(io.BytesIO(png_bytes)).convert("L")
    size = image.width // module_px
    return [
        "".join(
            "1"
            if image.getpixel((x * module_px + module_px // 2, y * module_px + module_px // 2))
            < 128
            else "0"
            for x in range(size)
        )
        for y in range(size)
    ]


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("qr", "SN-2611-ABC-00001Z"),
        ("datamatrix", "SN-2611-ABC-00001Z"),
        ("gs1_datamatrix", GS1_VALUES[0]),
    ],
)
def test_svg_and_png_show_the_same_matrix_as_the_symbol(kind, value):
    symbol = barcode_drawing.encode(kind, value)
    quiet = barcode_drawing._DEFAULT_QUIET_ZONE_MODULES[kind]
    module_px = max(1, round(barcode_drawing._DEFAULT_MODULE_WIDTH_MM[kind] * 300 / 25.4))
    from_svg = svg_matrix(barcode_drawing.svg(kind, value))
    from_png = png_matrix(barcode_drawing.png(kind, value, dpi=300), module_px)
    assert from_svg == from_png
    inner = [row[quiet:-quiet] for row in from_svg[quiet:-quiet]]
    assert inner == list(symbol.rows)
    assert all(set(row) == {"0"} for row in from_svg[:quiet] + from_svg[-quiet:])


def test_png_records_its_resolution_and_module_pixels():
    image = Image.open(io.BytesIO(barcode_drawing.png("code128", "SN-1", dpi=600)))
    assert round(image.info["dpi"][0]) == 600
    symbol = barcode_drawing.encode("code128", "SN-1")
    assert image.width == (symbol.width_modules + 20) * 6  # 0.25 mm at 600 dpi = 6 px


def test_thousand_code128_svgs_are_distinct():
    # Timed in setup/bench.sh labels, not here: tests assert no timings.
    svgs = {barcode_drawing.svg("code128", f"SN-2611-ABC-{number:05d}Z")
            for number in range(1000)}
    assert len(svgs) == 1000


def test_random_serials_round_trip_through_the_decoder():
    # python-barcode picks code sets with a look-ahead; random mixes of digit runs, letters
    # and symbols exercise every switch (B->C with odd digit counts, C->B mid-run).
    randomizer = random.Random(20261128)
    alphabet = string.digits * 4 + string.ascii_letters + "-_./ #<>&^~"
    for _ in range(60):
        value = "".join(randomizer.choices(alphabet, k=randomizer.randint(1, 40)))
        assert decode_one("code128", value).text == value
        assert decode_one("datamatrix", value).text == value


def test_random_gs1_strings_round_trip_through_the_decoder():
    randomizer = random.Random(42)
    fixed = [("01", 14), ("17", 6), ("11", 6), ("3103", 6), ("00", 18)]
    variable = ["10", "21", "240", "400", "7002", "91"]
    for _ in range(40):
        parts = []
        for _field in range(randomizer.randint(1, 4)):
            if randomizer.random() < 0.5:
                ai, length = randomizer.choice(fixed)
                parts.append(ai + "".join(randomizer.choices(string.digits, k=length)))
            else:
                ai = randomizer.choice(variable)
                alphabet = string.digits * 3 + string.ascii_uppercase + "-/"
                data = "".join(randomizer.choices(alphabet, k=randomizer.randint(1, 12)))
                parts.append(ai + data + GS)
        value = "".join(parts).rstrip(GS)
        result = decode_one("gs1_128", value)
        assert (result.text, result.symbology_identifier) == (value, "]C1")
        assert decode_one("gs1_datamatrix", value).text == value
