"""Serial patterns: tokens, counters, check characters, bulk rendering and shape checks."""

from datetime import date, datetime

import pytest

from serial_inventory.lib.check_characters import (
    ALGORITHMS,
    InvalidCharacterError,
    WrongCheckCharacterError,
)
from serial_inventory.lib.serial_pattern import (
    CounterOverflowError,
    InvalidReferenceError,
    PatternSyntaxError,
    SerialMismatchError,
    SerialPattern,
    SerialPatternError,
    has_valid_check_character,
    preview,
    sanitise_reference,
    strip_separators,
    to_base36,
    verify_check_character,
)

ON = date(2024, 12, 31)  # leap year: day 366


def parse(text, check_algorithm="none"):
    return SerialPattern.parse(text, check_algorithm)


# Tokens


def test_every_token():
    pattern = parse("{YYYY}-{YY}-{MM}-{DD}-{DOY}-{REF}-{SEQ:4}")
    assert pattern.render(7, on=ON, reference="ab-12/x") == "2024-24-12-31-366-AB12X-0007"
    assert pattern.render(7, on=date(2009, 2, 3), reference="R") == "2009-09-02-03-034-R-0007"


def test_datetime_is_accepted_as_a_date():
    assert parse("{YY}{MM}{DD}{SEQ:2}").render(1, on=datetime(2025, 6, 7, 23, 59)) == "25060701"


def test_pattern_and_reference_are_upper_cased():
    pattern = parse("sn-{yy}-{ref}-{seq:3:36}")
    assert pattern.text == "SN-{YY}-{REF}-{SEQ:3:36}"
    assert pattern.render(35, on=ON, reference="abc") == "SN-24-ABC-00Z"


def test_reference_is_sanitised():
    assert sanitise_reference(" Fürst-7/b ß") == "FRST7BSS"
    assert sanitise_reference(None) == ""
    assert parse("{REF}{SEQ:1}").render(0, reference="a.b_c d") == "ABCD0"


def test_literal_separators_allowed():
    assert parse("A-B/C.D_{SEQ:2}").render(5) == "A-B/C.D_05"


def test_date_is_needed_only_by_date_tokens():
    assert parse("X{SEQ:3}").render(12) == "X012"
    with pytest.raises(SerialPatternError, match="needs a date"):
        parse("{YY}{SEQ:3}").render(12)
    with pytest.raises(SerialPatternError, match="needs a date"):
        parse("{DOY}{SEQ:3}").render_many(0, 3, on="2024-01-01")


def test_reference_is_required_by_ref_token():
    with pytest.raises(InvalidReferenceError, match="'--'"):
        parse("{REF}{SEQ:2}").render(1, reference="--")
    assert parse("{SEQ:2}").render(1, reference="ignored") == "01"


# Counters


@pytest.mark.parametrize(
    ("number", "width", "expected"),
    [(0, 1, "0"), (35, 2, "0Z"), (36, 3, "010"), (36**3 - 1, 3, "ZZZ"), (1295, 1, "ZZ")],
)
def test_to_base36(number, width, expected):
    assert to_base36(number, width) == expected


def test_base36_counter_width():
    pattern = parse("{SEQ:3:36}")
    assert (pattern.sequence_width, pattern.sequence_base, pattern.capacity) == (3, 36, 36**3)
    assert pattern.render(0) == "000"
    assert pattern.render(36) == "010"
    assert pattern.render(36**3 - 1) == "ZZZ"
    assert int(pattern.render(123_456 % 36**3), 36) == 123_456 % 36**3


def test_decimal_counter_width():
    pattern = parse("{SEQ:5}")
    assert (pattern.sequence_width, pattern.sequence_base) == (5, 10)
    assert parse("{SEQ:5:10}").render(42) == pattern.render(42) == "00042"


@pytest.mark.parametrize(
    ("text", "counter"),
    [("{SEQ:2}", 100), ("{SEQ:2:36}", 36**2), ("A{SEQ:1}", 10)],
)
def test_counter_overflow_names_the_pattern(text, counter):
    pattern = parse(text)
    pattern.render(counter - 1)
    with pytest.raises(CounterOverflowError) as caught:
        pattern.render(counter)
    assert repr(text) in str(caught.value) and str(counter) in str(caught.value)
    with pytest.raises(CounterOverflowError):
        pattern.render_many(counter - 2, 3)
    assert len(pattern.render_many(counter - 2, 2)) == 2


@pytest.mark.parametrize("counter", [-1, 1.0, "1", True, None])
def test_bad_counters(counter):
    with pytest.raises(CounterOverflowError):
        parse("{SEQ:3}").render(counter)


def test_bad_counts():
    pattern = parse("{SEQ:3}")
    assert pattern.render_many(5, 0) == []
    for count in (-1, 2.0, None):
        with pytest.raises(CounterOverflowError):
            pattern.render_many(0, count)


# Parsing errors


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("SN {SEQ:4}", "' '"),
        ("SN#{SEQ:4}", "'#'"),
        ("É{SEQ:4}", "'É'"),
        ("{SEQ:4}+", "'+'"),
    ],
)
def test_invalid_literal_is_named(text, named):
    with pytest.raises(PatternSyntaxError) as caught:
        parse(text)
    assert named in str(caught.value)


@pytest.mark.parametrize(
    ("text", "algorithm", "fragment"),
    [
        ("", "none", "empty"),
        ("   ", "none", "empty"),
        ("ABC", "none", "exactly one counter"),
        ("{SEQ:2}{SEQ:3}", "none", "exactly one counter"),
        ("{FOO}{SEQ:2}", "none", "{FOO}"),
        ("{}{SEQ:2}", "none", "{}"),
        ("{SEQ:2", "none", "Unbalanced '{'"),
        ("X}{SEQ:2}", "none", "Unbalanced '}'"),
        ("{SEQ:0}", "none", "between 1 and 20"),
        ("{SEQ:21}", "none", "between 1 and 20"),
        ("{SEQ:X}", "none", "{SEQ:X}"),
        ("{SEQ:3:16}", "none", "10 or 36"),
        ("{SEQ:3}{CHECK}-", "mod37_36", "last"),
        ("{CHECK}{SEQ:3}", "mod37_36", "last"),
        ("{SEQ:3}{CHECK}", "none", "no check algorithm"),
        ("{SEQ:3}", "luhn", "no {CHECK}"),
        ("{SEQ:3}", "mod37_2", "no {CHECK}"),
        ("{SEQ:3}{CHECK}", "crc", "'crc'"),
    ],
)
def test_syntax_errors(text, algorithm, fragment):
    with pytest.raises(PatternSyntaxError) as caught:
        parse(text, algorithm)
    assert fragment in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert caught.value.template % caught.value.params == str(caught.value)


@pytest.mark.parametrize("algorithm", ["mod11_10", "luhn"])
@pytest.mark.parametrize(
    ("text", "fragment"),
    [("SN-{SEQ:4}{CHECK}", "'SN-'"), ("{SEQ:4:36}{CHECK}", "{SEQ:4:36}"), ("1A{SEQ:4}{CHECK}", "")],
)
def test_numeric_algorithms_refuse_letters(algorithm, text, fragment):
    with pytest.raises(PatternSyntaxError, match="digits only") as caught:
        parse(text, algorithm)
    assert fragment in str(caught.value)


@pytest.mark.parametrize("algorithm", ["mod11_10", "luhn"])
def test_numeric_algorithms_check_the_reference_at_render(algorithm):
    pattern = parse("90-{REF}-{YY}{SEQ:4}{CHECK}", algorithm)
    assert pattern.numeric_only
    with pytest.raises(InvalidReferenceError, match="'AB-1'"):
        pattern.render(1, on=ON, reference="AB-1")
    serial = pattern.render(1, on=ON, reference="12-3")
    assert serial.startswith("90-123-240001")
    assert ALGORITHMS[algorithm].is_valid(strip_separators(serial))


def test_mod37_36_takes_letters_anywhere():
    pattern = parse("SN-{YY}{MM}-{REF}-{SEQ:6:36}{CHECK}", "mod37_36")
    assert not pattern.numeric_only
    serial = pattern.render(1_000_000, on=ON, reference="ab-7")
    assert serial[:-1] == "SN-2412-AB7-00LFLS"  # 1,000,000 is LFLS in base 36
    assert serial[-1] == ALGORITHMS["mod37_36"].compute("SN2412AB700LFLS")


# Check character


@pytest.mark.parametrize("algorithm", ["mod37_2", "mod37_36", "mod11_10", "luhn"])
def test_check_character_covers_the_serial_without_separators(algorithm):
    pattern = parse("12-{YY}/{SEQ:5}.3_{CHECK}", algorithm)
    serial = pattern.render(4321, on=ON)
    assert serial[:-1] == "12-24/04321.3_"
    assert ALGORITHMS[algorithm].compute("1224043213") == serial[-1]
    # Re-typed with or without separators, the serial still verifies.
    assert verify_check_character(serial, algorithm) == serial
    assert verify_check_character(strip_separators(serial), algorithm)
    assert has_valid_check_character(serial.replace("-", ""), algorithm)


def test_verify_check_character_errors():
    serial = parse("SN-{SEQ:4:36}{CHECK}", "mod37_36").render(99)
    assert verify_check_character(serial.lower(), "mod37_36") == serial
    wrong = serial[:-1] + ("0" if serial[-1] != "0" else "1")
    with pytest.raises(WrongCheckCharacterError) as caught:
        verify_check_character(wrong, "mod37_36")
    assert caught.value.params["expected"] == serial[-1]
    assert repr(wrong) in str(caught.value)
    assert not has_valid_check_character(wrong, "mod37_36")
    assert not has_valid_check_character("12#4", "luhn")
    assert not has_valid_check_character("SN-1", "luhn")
    assert not has_valid_check_character("-", "luhn")
    assert verify_check_character("anything", "none") == "ANYTHING"
    assert verify_check_character("7992739871-3", ALGORITHMS["luhn"]) == "7992739871-3"


# MOD 37-2: the check character may be '*'


STAR_PATTERN = "SN-{YY}-{REF}-{SEQ:5}{CHECK}"


def first_star_serial(pattern):
    """The first serial of ``pattern`` (on ON, reference AB7) whose check character is '*'."""
    return next(
        serial
        for serial in (pattern.render(counter, on=ON, reference="AB7") for counter in range(500))
        if serial.endswith("*")
    )


def test_mod37_2_renders_and_validates_a_star_check_character():
    from stdnum.iso7064 import mod_37_2

    pattern = parse(STAR_PATTERN, "mod37_2")
    assert not pattern.numeric_only
    serial = first_star_serial(pattern)
    counter = int(serial[10:15])
    assert serial == f"SN-24-AB7-{counter:05d}*"
    assert mod_37_2.calc_check_digit(strip_separators(serial[:-1])) == "*"
    assert mod_37_2.is_valid(strip_separators(serial))
    assert pattern.max_length("AB7") == len(serial)
    assert pattern.render_many(counter - 2, 5, on=ON, reference="AB7")[2] == serial
    assert pattern.matches(serial) and pattern.matches(serial.lower(), reference="ab-7")
    assert pattern.validate(serial.lower()) == serial
    assert pattern.is_valid_serial(serial)
    assert verify_check_character(serial, "mod37_2") == serial
    assert verify_check_character(strip_separators(serial).lower(), "mod37_2")
    assert has_valid_check_character(serial, ALGORITHMS["mod37_2"])


def test_mod37_2_wrong_or_misplaced_star():
    pattern = parse(STAR_PATTERN, "mod37_2")
    serial = first_star_serial(pattern)
    wrong = serial[:-1] + "0"
    assert pattern.matches(wrong) and not pattern.is_valid_serial(wrong)
    with pytest.raises(WrongCheckCharacterError) as caught:
        pattern.validate(wrong)
    assert caught.value.params["expected"] == "*"
    # A good serial whose check character is not '*', given '*' instead.
    other = pattern.render(1, on=ON, reference="AB7")
    assert other[-1] != "*"
    assert not pattern.is_valid_serial(other[:-1] + "*")
    assert not has_valid_check_character(other[:-1] + "*", "mod37_2")
    # '*' anywhere but at the end breaks the shape, and the check.
    swapped = serial[:-2] + "*" + serial[-2]
    assert not pattern.matches(swapped)
    with pytest.raises(SerialMismatchError):
        pattern.validate(swapped)
    with pytest.raises(InvalidCharacterError, match="'\\*'"):
        verify_check_character(swapped, "mod37_2")
    assert not has_valid_check_character(swapped, "mod37_2")
    # Other algorithms never produce '*', so their shapes refuse it.
    mod37_36 = parse(STAR_PATTERN, "mod37_36")
    assert not mod37_36.matches(serial)
    assert not has_valid_check_character(serial, "mod37_36")


@pytest.mark.parametrize("algorithm", ["none", "mod37_2"])
def test_star_stays_refused_in_literal_text(algorithm):
    text = "SN*{SEQ:3}{CHECK}" if algorithm != "none" else "SN*{SEQ:3}"
    with pytest.raises(PatternSyntaxError, match="'\\*'"):
        parse(text, algorithm)


def test_mod37_2_catches_the_swap_mod37_36_misses():
    # "IJ" and "JI" share their MOD 37,36 check character, not their MOD 37-2 one.
    assert ALGORITHMS["mod37_36"].compute("IJ") == ALGORITHMS["mod37_36"].compute("JI")
    hybrid = parse("{REF}{SEQ:2}{CHECK}", "mod37_36").render(42, reference="IJ")
    assert has_valid_check_character("JI" + hybrid[2:], "mod37_36")  # the swap slips through
    pure = parse("{REF}{SEQ:2}{CHECK}", "mod37_2").render(42, reference="IJ")
    assert has_valid_check_character(pure, "mod37_2")
    assert not has_valid_check_character("JI" + pure[2:], "mod37_2")


# Bulk rendering


BULK_PATTERNS = [
    ("{SEQ:1}", "none"),
    ("{SEQ:2}", "none"),
    ("{SEQ:3}", "none"),
    ("X{SEQ:7}-Y", "none"),
    ("{SEQ:1:36}", "none"),
    ("{SEQ:2:36}", "none"),
    ("{SEQ:5:36}", "none"),
    ("SN-{YY}{MM}-{REF}-{SEQ:6:36}{CHECK}", "mod37_36"),
    ("{SEQ:1:36}Z{CHECK}", "mod37_36"),
    ("SN-{YY}{MM}-{REF}-{SEQ:6:36}{CHECK}", "mod37_2"),
    ("{SEQ:2:36}{CHECK}", "mod37_2"),
    ("{YYYY}{DOY}/{SEQ:8}{CHECK}", "mod37_2"),
    ("{YY}{MM}{DD}-{REF}{SEQ:6}-{CHECK}", "luhn"),
    ("{SEQ:2}{CHECK}", "luhn"),
    ("{SEQ:9}7{CHECK}", "luhn"),
    ("{YYYY}{DOY}/{SEQ:8}{CHECK}", "mod11_10"),
]


@pytest.mark.parametrize(("text", "algorithm"), BULK_PATTERNS)
@pytest.mark.parametrize(("start", "count"), [(0, 1), (0, 5000), (995, 20), (1290, 2600)])
def test_render_many_equals_render(text, algorithm, start, count):
    pattern = parse(text, algorithm)
    if start >= pattern.capacity:
        start = pattern.capacity // 2
    count = min(count, pattern.capacity - start)
    expected = [pattern.render(i, on=ON, reference="29") for i in range(start, start + count)]
    assert pattern.render_many(start, count, on=ON, reference="29") == expected


@pytest.mark.parametrize(("text", "algorithm"), BULK_PATTERNS)
def test_max_length_is_the_length_of_the_largest_counter(text, algorithm):
    pattern = parse(text, algorithm)
    longest = pattern.render(pattern.capacity - 1, on=ON, reference="12-345")
    assert pattern.max_length("12-345") == len(longest)
    # Tokens have fixed widths: every serial has that length.
    assert len(pattern.render(0, on=ON, reference="12-345")) == len(longest)


def test_max_length_needs_the_reference_when_the_pattern_uses_it():
    assert parse("AB{SEQ:4}").max_length() == 6
    with pytest.raises(InvalidReferenceError):
        parse("{REF}{SEQ:4}").max_length()


@pytest.mark.parametrize(
    ("text", "algorithm"),
    [
        ("SN-{YY}{MM}-{REF}-{SEQ:6:36}{CHECK}", "mod37_36"),
        ("SN-{YY}{MM}-{REF}-{SEQ:6:36}{CHECK}", "mod37_2"),
        ("{REF}{SEQ:6}{CHECK}", "luhn"),
        ("{SEQ:5}", "none"),
        ("{DOY}{SEQ:4:36}", "none"),
    ],
)
def test_100000_serials_are_unique_and_valid(text, algorithm):
    # Timed in setup/bench.sh serial_generation, not here: tests assert no timings.
    pattern = parse(text, algorithm)
    serials = pattern.render_many(0, 100_000, on=ON, reference="42")
    assert len(set(serials)) == 100_000
    assert serials[12_345] == pattern.render(12_345, on=ON, reference="42")
    assert all(pattern.is_valid_serial(serial) for serial in serials[::997])


# Shape checks


def test_matches_validate_and_is_valid_serial():
    pattern = parse("SN-{YY}{MM}-{REF}-{SEQ:6:36}{CHECK}", "mod37_36")
    serial = pattern.render(77, on=ON, reference="AB7")
    assert pattern.matches(serial)
    assert pattern.matches(serial.lower())
    assert pattern.matches(serial, reference="ab-7")
    assert not pattern.matches(serial, reference="AB8")
    assert pattern.validate(serial.lower()) == serial
    assert pattern.is_valid_serial(serial)
    wrong = serial[:-1] + ("0" if serial[-1] != "0" else "1")
    assert pattern.matches(wrong)  # the shape is fine ...
    assert not pattern.is_valid_serial(wrong)  # ... the check character is not
    with pytest.raises(WrongCheckCharacterError) as caught:
        pattern.validate(wrong)
    assert caught.value.params["expected"] == serial[-1]
    for misshapen in ("SN2412-AB7-00002AX", "SN-2413-AB7-00002AX", "SN-2412--00002AX", "", None):
        assert not pattern.matches(misshapen)
        assert not pattern.is_valid_serial(misshapen)
    with pytest.raises(SerialMismatchError, match="'SN-2412'"):
        pattern.validate("SN-2412")


def test_shape_of_date_tokens():
    pattern = parse("{MM}{DD}{DOY}{SEQ:1}")
    assert pattern.matches("12313661")
    assert not pattern.matches("13010011")
    assert not pattern.matches("01320011")
    assert not pattern.matches("01013671")
    assert not pattern.matches("01010001")


def test_shape_for_numeric_algorithms_refuses_letters():
    pattern = parse("{REF}{SEQ:2}{CHECK}", "luhn")
    assert pattern.matches(pattern.render(5, reference="77"))
    assert not pattern.matches("AB050")


def test_without_check_algorithm_valid_means_matching():
    pattern = parse("{SEQ:3}")
    assert pattern.is_valid_serial("123")
    assert not pattern.is_valid_serial("12A")


# Preview and parsing cache


def test_preview():
    assert preview("X{SEQ:3}", 7, 3) == ["X007", "X008", "X009"]
    assert preview(parse("X{SEQ:2}"), 98, 5) == ["X98", "X99"]
    assert preview("SN-{SEQ:2}{CHECK}", 1, 2, check_algorithm="mod37_36") == [
        parse("SN-{SEQ:2}{CHECK}", "mod37_36").render(i) for i in (1, 2)
    ]
    assert len(preview("{YYYY}{SEQ:4}", 1)) == 5
    assert preview("{YYYY}{SEQ:4}", 1, 1, on=ON) == ["20240001"]
    with pytest.raises(CounterOverflowError):
        preview("X{SEQ:2}", 100)


def test_parse_returns_equivalent_patterns():
    first = parse("sn-{seq:4}")
    assert parse("SN-{SEQ:4}") is first  # cached: parsing from form views stays cheap
    assert parse("SN-{SEQ:4}{CHECK}", "mod37_36") is not first
