"""ZPL output read back by a small ZPL parser written here (not in the library)."""

import re
from dataclasses import dataclass, field

import pytest

from serial_inventory_labels.lib import barcode_drawing, label_geometry, zpl

GS = "\x1d"
GS1_EXAMPLE = "0109506000134352" + "21ABC123" + GS + "17261231" + "10B1"
FORMATS = {
    code: label_geometry.PREDEFINED_FORMATS[code]
    for code in ("thermal_2x1in", "thermal_57x32", "thermal_4x6in")
}
SERIALS = [
    "SN-2611-ABC-00001Z",
    "SN-2611-ABC-00002Z",
    "0000123456",
    "lower-case-7",
    "A>B^C~D_E",
    'Q"U<O>T&E',
    "SN 42",
    "X",
]


# --- the parser -----------------------------------------------------------------------------


@dataclass
class Field:
    origin: tuple[int, int]
    kind: str  # "text", "code128", "qr", "datamatrix"
    parameters: list[str]
    data: str  # after ^FH hex decoding
    module: int = 0
    font: tuple[int, int] = (0, 0)


@dataclass
class Label:
    width: int = 0
    length: int = 0
    fields: list[Field] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)


def parse_labels(text):
    """Split ^XA...^XZ blocks and read ^PW, ^LL, ^FO, ^A0, ^BY, ^BC/^BQ/^BX, ^FH and ^FD."""
    blocks = re.findall(r"\^XA(.*?)\^XZ", text, flags=re.S)
    assert re.sub(r"\^XA.*?\^XZ", "", text, flags=re.S).strip() == "", "text outside a label"
    labels = []
    for body in blocks:
        label = Label()
        # CR/LF between commands are ignored by the printer; field data never holds a raw '^'.
        commands = [command for command in body.replace("\n", "").split("^") if command]
        origin, kind, parameters, hex_indicator, module, font = None, None, [], None, 0, (0, 0)
        for command in commands:
            name, argument = command[:2], command[2:]
            label.commands.append(name)
            if name == "PW":
                label.width = int(argument)
            elif name == "LL":
                label.length = int(argument)
            elif name == "FO":
                origin = tuple(int(number) for number in argument.split(",")[:2])
            elif name == "A0":
                kind = "text"
                _orientation, height, width = argument.split(",")
                font = (int(height), int(width))
            elif name == "BY":
                module = int(argument.split(",")[0])
            elif name in ("BC", "BQ", "BX"):
                kind = {"BC": "code128", "BQ": "qr", "BX": "datamatrix"}[name]
                parameters = argument.split(",")
            elif name == "FH":
                hex_indicator = argument or "_"
            elif name == "FD":
                data = argument
                if hex_indicator:
                    data = re.sub(
                        re.escape(hex_indicator) + r"([0-9A-Fa-f]{2})",
                        lambda match: chr(int(match.group(1), 16)),
                        data,
                    )
                assert origin is not None, f"field without ^FO: {command}"
                label.fields.append(Field(origin, kind, parameters, data, module, font))
            elif name == "FS":
                origin, kind, parameters, hex_indicator = None, None, [], None
        labels.append(label)
    return labels


def decode_code128_field(data):
    """Symbol characters of ^BC mode N data (start and data values, as the printer reads it)."""
    starts = {">9": ("A", 103), ">:": ("B", 104), ">;": ("C", 105)}
    code_set, start = starts.get(data[:2], ("B", 104))
    position = 2 if data[:2] in starts else 0
    values = [start]
    while position < len(data):
        pair = data[position : position + 2]
        if data[position] == ">":
            code = pair[1]
            position += 2
            if code == "8":
                values.append(102)
            elif code == "0":
                values.append(30)
            elif code == "<":
                values.append(62)
            elif code == "=":
                values.append(94)
            elif code == "5":
                values.append(99)
                code_set = "C"
            elif code == "6":
                values.append(100)  # code B, or FNC4 when already in code set B
                code_set = "B"
            elif code == "7":
                values.append(101)  # code A, or FNC4 when already in code set A
                code_set = "A"
            else:
                pytest.fail(f"unexpected invocation code >{code} in {data!r}")
        elif code_set in "AC":
            assert pair.isdigit() and len(pair) == 2, f"digit pair expected in {data!r}"
            values.append(int(pair))
            position += 2
        else:
            values.append(ord(data[position]) - 32)
            position += 1
    return tuple(values)


def code128_text(values):
    """Data carried by Code 128 symbol characters: FNC1 first means GS1, later FNC1 is \\x1d."""
    text, code_set = [], {103: "A", 104: "B", 105: "C"}[values[0]]
    gs1 = len(values) > 1 and values[1] == 102
    for value in values[2 if gs1 else 1 :]:
        if value == 102:
            text.append(GS)
        elif code_set == "C" and value < 100:
            text.append(f"{value:02d}")
        elif code_set in "AB" and value < 95:
            text.append(chr(value + 32))
        elif value == 99:
            code_set = "C"
        elif value == 100:
            code_set = "B"
        elif value == 101:
            code_set = "A"
    return "".join(text), gs1


def unescape_datamatrix(data, escape="`"):
    text, gs1, index = [], False, 0
    while index < len(data):
        if data[index] == escape:
            follower = data[index + 1]
            if follower == "1":
                if index == 0:
                    gs1 = True
                else:
                    text.append(GS)
            else:
                assert follower == escape
                text.append(escape)
            index += 2
        else:
            text.append(data[index])
            index += 1
    return "".join(text), gs1


def barcode_fields(label, kind):
    return [item for item in label.fields if item.kind == kind]


def text_fields(label):
    return [item for item in label.fields if item.kind == "text"]


def assert_inside(label, fmt, dpi):
    assert label.width == round(fmt.label_width_mm * dpi / 25.4)
    assert label.length == round(fmt.label_height_mm * dpi / 25.4)
    for item in label.fields:
        x, y = item.origin
        assert 0 <= x < label.width and 0 <= y < label.length, item
        if item.kind == "text":
            height, width = item.font
            assert y + height <= label.length
            assert x + len(item.data) * 0.6 * width <= label.width, item
        if item.kind == "code128":
            values = decode_code128_field(item.data)
            modules = len(barcode_drawing.code128_modules(values))
            height = int(item.parameters[1])
            quiet = 10 * item.module
            assert x >= quiet and x + modules * item.module + quiet <= label.width, item
            assert y + height <= label.length


# --- tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("code", FORMATS)
def test_one_label_per_serial_with_the_serial_in_the_barcode(code, dpi):
    fmt = FORMATS[code]
    fields = [
        {"serial": serial, "product_name": "Widget ^Pro~", "lot": "L_1", "expiry": "2026-12-31"}
        for serial in SERIALS
    ]
    labels = parse_labels(zpl.labels(fields, fmt, dpi=dpi))
    assert len(labels) == len(SERIALS)
    for label, serial in zip(labels, SERIALS, strict=True):
        assert label.commands[:5] == ["CI", "PW", "LL", "LH", "FO"]
        assert_inside(label, fmt, dpi)
        (barcode,) = barcode_fields(label, "code128")
        assert barcode.parameters[0] == "N" and barcode.parameters[-1] == "N"  # mode N
        values = decode_code128_field(barcode.data)
        assert code128_text(values) == (serial, False)
        # the printer draws the very symbol the SVG shows
        assert (
            barcode_drawing.code128_modules(values)
            == barcode_drawing.encode("code128", serial).rows[0]
        )
        texts = [item.data for item in text_fields(label)]
        assert serial in texts
        assert any(text.startswith("Widget ^Pro~") for text in texts)
        assert "Lot: L_1   Exp: 2026-12-31" in texts


def test_barcode_field_data_never_holds_characters_zpl_reserves():
    output = zpl.label({"serial": "A>B^C~D_E"}, FORMATS["thermal_57x32"])
    (label,) = parse_labels(output)
    (barcode,) = barcode_fields(label, "code128")
    assert barcode.data == ">:A>0B><C>=D_E"
    assert output.count("^") == len(label.commands) + 2  # ^XA ^XZ
    assert "~" not in output


def test_text_with_reserved_characters_uses_hex_escapes():
    output = zpl.label(
        {"serial": "SN-1", "product_name": "caret^tilde~under_score"}, FORMATS["thermal_4x6in"]
    )
    assert "^FH^FDcaret_5Etilde_7Eunder_5Fscore^FS" in output
    (label,) = parse_labels(output)
    assert text_fields(label)[0].data == "caret^tilde~under_score"


def test_gs1_128_field_data_uses_fnc1_invocations():
    output = zpl.label(
        {"serial": "ABC123", "gs1": GS1_EXAMPLE}, FORMATS["thermal_57x32"], linear="gs1_128"
    )
    (label,) = parse_labels(output)
    (barcode,) = barcode_fields(label, "code128")
    assert barcode.data == ">;>8010950600013435221>6ABC123>8>51726123110>6B1"
    assert code128_text(decode_code128_field(barcode.data)) == (GS1_EXAMPLE, True)
    texts = [item.data for item in text_fields(label)]
    assert "(01)09506000134352(21)ABC123(17)261231(10)B1" in texts
    assert_inside(label, FORMATS["thermal_57x32"], 203)


@pytest.mark.parametrize(
    "gs1",
    [
        GS1_EXAMPLE,
        "0109506000134352" + "17261231" + "10LOT42",
        "21SERIAL-1" + GS + "10B-7" + GS + "0109506000134352",
        "10123" + GS + "3103000125" + "21ABC",
    ],
)
def test_gs1_128_round_trips_through_the_invocation_codes(gs1):
    (label,) = parse_labels(
        zpl.label({"serial": "S", "gs1": gs1}, FORMATS["thermal_4x6in"], linear="gs1_128")
    )
    (barcode,) = barcode_fields(label, "code128")
    values = decode_code128_field(barcode.data)
    assert code128_text(values) == (gs1, True)
    assert barcode_drawing.code128_modules(values) == barcode_drawing.encode("gs1_128", gs1).rows[0]


@pytest.mark.parametrize("code", FORMATS)
def test_gs1_datamatrix_and_qr(code):
    fmt = FORMATS[code]
    output = zpl.labels(
        [{"serial": "SN-1", "gs1": GS1_EXAMPLE}, {"serial": "SN_`2", "gs1": GS1_EXAMPLE}],
        fmt,
        matrix="gs1_datamatrix",
    )
    for label in parse_labels(output):
        assert_inside(label, fmt, 203)
        (matrix,) = barcode_fields(label, "datamatrix")
        assert matrix.parameters[2] == "200" and matrix.parameters[6] == "`"
        assert matrix.data == "`1010950600013435221ABC123`11726123110B1"
        assert unescape_datamatrix(matrix.data) == (GS1_EXAMPLE, True)
        assert matrix_fits(label, matrix, barcode_drawing.datamatrix_size(GS1_EXAMPLE, gs1=True))

    output = zpl.labels(
        [{"serial": "SN-1"}, {"serial": "SN_`^~2"}], fmt, matrix="datamatrix", linear=None
    )
    datas = [barcode_fields(label, "datamatrix")[0].data for label in parse_labels(output)]
    assert [unescape_datamatrix(data) for data in datas] == [("SN-1", False), ("SN_`^~2", False)]

    output = zpl.labels(
        [{"serial": "SN-1"}, {"serial": "S", "matrix_value": "https://x.test/?a=1&b=^~"}],
        fmt,
        matrix="qr",
    )
    labels = parse_labels(output)
    datas = [barcode_fields(label, "qr")[0].data for label in labels]
    assert datas == ["MA,SN-1", "MA,https://x.test/?a=1&b=^~"]
    for label in labels:
        assert_inside(label, fmt, 203)
        (qr,) = barcode_fields(label, "qr")
        assert qr.parameters[:2] == ["N", "2"] and 1 <= int(qr.parameters[2]) <= 10


def matrix_fits(label, matrix, modules):
    x, y = matrix.origin
    side = int(matrix.parameters[1]) * modules
    return x + side <= label.width and y + side <= label.length


def test_matrix_and_barcode_do_not_overlap():
    fmt = FORMATS["thermal_2x1in"]
    (label,) = parse_labels(zpl.label({"serial": "SN-2611-ABC-00001Z"}, fmt, matrix="qr"))
    (barcode,) = barcode_fields(label, "code128")
    (qr,) = barcode_fields(label, "qr")
    modules = len(barcode_drawing.code128_modules(decode_code128_field(barcode.data)))
    barcode_right = barcode.origin[0] + (modules + 10) * barcode.module
    assert barcode_right <= qr.origin[0]
    for text in text_fields(label):
        assert text.origin[0] + len(text.data) * 0.6 * text.font[1] <= qr.origin[0]


def test_too_small_label_is_a_clear_error():
    with pytest.raises(zpl.ZplLayoutError, match="barcode"):
        zpl.label({"serial": "SN-2611-ABC-00001Z" * 3}, (30, 15))
    with pytest.raises(zpl.ZplLayoutError, match="height"):
        zpl.label({"serial": "SN-1", "product_name": "x", "lot": "1"}, (50, 6))


def test_missing_or_unencodable_fields_are_errors():
    fmt = FORMATS["thermal_57x32"]
    with pytest.raises(zpl.ZplFieldError, match="serial"):
        zpl.label({"product_name": "No serial"}, fmt)
    with pytest.raises(zpl.ZplFieldError, match="GS1"):
        zpl.label({"serial": "SN-1"}, fmt, linear="gs1_128")
    with pytest.raises(ValueError, match="printable ASCII"):
        zpl.label({"serial": "Größe"}, fmt)
    with pytest.raises(zpl.ZplLayoutError, match="dpi"):
        zpl.label({"serial": "SN-1"}, fmt, dpi=250)
    with pytest.raises(zpl.ZplLayoutError, match="pdf417"):
        zpl.label({"serial": "SN-1"}, fmt, matrix="pdf417")


def test_format_can_be_a_dict_or_a_size():
    expected = zpl.label({"serial": "SN-1"}, FORMATS["thermal_57x32"])
    assert zpl.label({"serial": "SN-1"}, FORMATS["thermal_57x32"].as_dict()) == expected
    assert zpl.label({"serial": "SN-1"}, (57, 32)) == expected
    assert zpl.label(zpl.LabelFields(serial="SN-1"), (57, 32)) == expected


def test_ten_thousand_labels_in_one_document():
    # Timed in setup/bench.sh labels, not here: tests assert no timings.
    fields = [
        {
            "serial": f"SN-2611-ABC-{number:05d}Z",
            "product_name": "Widget",
            "lot": "L1",
            "expiry": "2026-12-31",
        }
        for number in range(10_000)
    ]
    output = zpl.labels(fields, FORMATS["thermal_57x32"])
    assert output.count("^XA") == output.count("^XZ") == 10_000
    assert "SN-2611-ABC-09999Z" in output
