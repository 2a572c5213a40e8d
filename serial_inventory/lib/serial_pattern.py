"""Per-product serial number patterns, e.g. ``SN-{YY}{MM}-{REF}-{SEQ:6:36}{CHECK}``.

Tokens (case-insensitive, like the rest of the pattern, which is upper-cased):

- ``{YYYY}`` year, ``{YY}`` 2-digit year, ``{MM}`` month, ``{DD}`` day, ``{DOY}`` day of year
  (3 digits), all taken from the ``on`` date given when rendering;
- ``{REF}`` the product's internal reference, upper-cased with everything but A-Z and 0-9
  dropped;
- ``{SEQ:width}`` the counter in decimal, ``{SEQ:width:36}`` in base 36 (0-9A-Z), both
  zero-padded to ``width``; exactly one per pattern;
- ``{CHECK}`` a check character, last in the pattern, computed with the pattern's
  ``check_algorithm`` over the whole serial before it with the separators ``- / . _``
  removed, so a serial re-typed with or without its separators still verifies. With
  ``mod37_2`` it may be '*' (the only place a serial can have one).

Literal text may use A-Z, 0-9 and the separators ``- / . _``. Every token has a fixed width,
so all the serials of a pattern for one reference have the same length.
"""

from __future__ import annotations

import functools
import re
from datetime import date

from . import check_characters
from .check_characters import ALPHANUMERIC, CheckAlgorithm, WrongCheckCharacterError

SEPARATORS = "-/._"
LITERAL_CHARACTERS = frozenset(ALPHANUMERIC + SEPARATORS)
CHECK_ALGORITHM_KEYS = ("none", *check_characters.ALGORITHMS)
MAX_SEQUENCE_WIDTH = 20

_STRIP_SEPARATORS = str.maketrans("", "", SEPARATORS)
_PATTERN_PIECES = re.compile(r"\{([^{}]*)\}|([^{}]+)|([{}])")
_SEQUENCE_TOKEN = re.compile(r"SEQ:(\d+)(?::(\d+))?")
_ALPHANUMERIC_SET = frozenset(ALPHANUMERIC)
_DATE_TOKENS = {
    # token: (width, render, shape regex)
    "YYYY": (4, lambda on: f"{on.year:04d}", "[0-9]{4}"),
    "YY": (2, lambda on: f"{on.year % 100:02d}", "[0-9]{2}"),
    "MM": (2, lambda on: f"{on.month:02d}", "(?:0[1-9]|1[0-2])"),
    "DD": (2, lambda on: f"{on.day:02d}", "(?:0[1-9]|[12][0-9]|3[01])"),
    "DOY": (
        3,
        lambda on: f"{on.timetuple().tm_yday:03d}",
        "(?:00[1-9]|0[1-9][0-9]|[12][0-9]{2}|3[0-5][0-9]|36[0-6])",
    ),
}


class SerialPatternError(ValueError):
    """Base error; ``template`` and ``params`` let the Odoo layer translate the message."""

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params
        super().__init__(template % params)


class PatternSyntaxError(SerialPatternError):
    """The pattern text cannot be used."""


class CounterOverflowError(SerialPatternError):
    """The counter does not fit in the pattern's {SEQ} width (or is negative)."""


class InvalidReferenceError(SerialPatternError):
    """The product reference cannot be put in a serial of this pattern."""


class SerialMismatchError(SerialPatternError):
    """A serial does not have the shape of the pattern."""


def strip_separators(serial: str) -> str:
    """Return ``serial`` without the separators - / . _ (the check character's payload)."""
    return serial.translate(_STRIP_SEPARATORS)


def sanitise_reference(reference: str | None) -> str:
    """Upper-case ``reference`` and drop everything but A-Z and 0-9."""
    return "".join(char for char in (reference or "").upper() if char in _ALPHANUMERIC_SET)


def to_base36(number: int, width: int) -> str:
    """Format ``number`` in base 36 (0-9A-Z), zero-padded to ``width``."""
    digits = []
    while number:
        number, remainder = divmod(number, 36)
        digits.append(ALPHANUMERIC[remainder])
    return "".join(reversed(digits)).rjust(width, "0")


@functools.cache
def _counter_block(base: int, width: int) -> tuple[str, ...]:
    """All ``width``-digit counters in ``base``, in order: the low digits of bulk renders."""
    if base == 10:
        return tuple(f"{number:0{width}d}" for number in range(10**width))
    return tuple(to_base36(number, width) for number in range(36**width))


def _format_counter(number: int, width: int, base: int) -> str:
    return f"{number:0{width}d}" if base == 10 else to_base36(number, width)


def _resolve_algorithm(check_algorithm: str | None) -> CheckAlgorithm | None:
    if check_algorithm in (None, "", "none"):
        return None
    if check_algorithm not in check_characters.ALGORITHMS:
        raise PatternSyntaxError(
            "Unknown check algorithm %(algorithm)r (known: %(known)s).",
            algorithm=check_algorithm,
            known=", ".join(CHECK_ALGORITHM_KEYS),
        )
    return check_characters.ALGORITHMS[check_algorithm]


class SerialPattern:
    """A parsed pattern; build it with :meth:`parse`, which caches and shares instances."""

    def __init__(self, text: str, parts: tuple, check_algorithm: str):
        self.text = text
        self._parts = parts
        self.check_algorithm = check_algorithm
        self.algorithm = _resolve_algorithm(check_algorithm)
        sequence_index = next(i for i, part in enumerate(parts) if part[0] == "seq")
        self._head_parts = parts[:sequence_index]
        self._tail_parts = tuple(part for part in parts[sequence_index + 1 :] if part[0] != "check")
        _kind, self.sequence_width, self.sequence_base = parts[sequence_index]
        self.capacity = self.sequence_base**self.sequence_width
        self.has_reference = any(part[0] == "ref" for part in parts)
        self.uses_date = any(part[0] == "date" for part in parts)
        self._shape = re.compile(self._shape_regex(None))

    @classmethod
    def parse(cls, text: str, check_algorithm: str = "none") -> SerialPattern:
        """Parse ``text`` or raise :class:`PatternSyntaxError` explaining what is wrong."""
        if not isinstance(text, str) or not text.strip():
            raise PatternSyntaxError("The serial pattern is empty.")
        return _parse(text.strip().upper(), check_algorithm or "none")

    @property
    def numeric_only(self) -> bool:
        """True when the check algorithm needs every serial character to be a digit."""
        return self.algorithm is not None and self.algorithm.is_numeric

    # Rendering

    def render(self, counter: int, *, on: date | None = None, reference: str = "") -> str:
        """Return the serial for ``counter`` on date ``on`` for the product ``reference``.

        ``on`` may only be left out when the pattern has no date token.
        """
        self._check_counter_range(counter, 1)
        self._check_date(on)
        reference = self._checked_reference(reference)
        serial = "".join(self._render_part(part, on, reference, counter) for part in self._parts)
        if self.algorithm is not None:
            serial += self.algorithm.compute(strip_separators(serial))
        return serial

    def render_many(
        self, start: int, count: int, *, on: date | None = None, reference: str = ""
    ) -> list[str]:
        """Return the serials for counters ``start`` .. ``start + count - 1``, in order."""
        self._check_counter_range(start, count)
        self._check_date(on)
        if count == 0:
            return []
        reference = self._checked_reference(reference)
        head = "".join(self._render_part(part, on, reference) for part in self._head_parts)
        tail = "".join(self._render_part(part, on, reference) for part in self._tail_parts)
        # Only the last few counter digits change inside a block: the static text and the
        # high digits are joined once per block, and the check state is prepared once too.
        width, base = self.sequence_width, self.sequence_base
        low_width = min(width, 3 if base == 10 else 2)
        low_digits = _counter_block(base, low_width)
        block_size = len(low_digits)
        head_payload, tail_payload = strip_separators(head), strip_separators(tail)
        stop = start + count
        serials: list[str] = []
        for high in range(start // block_size, (stop - 1) // block_size + 1):
            block_start = high * block_size
            lows = low_digits[max(start - block_start, 0) : min(stop - block_start, block_size)]
            high_digits = (
                _format_counter(high, width - low_width, base) if width > low_width else ""
            )
            prefix = head + high_digits
            if self.algorithm is None:
                serials += [prefix + low + tail for low in lows]
            else:
                check = self.algorithm.precompute(
                    head_payload + high_digits, low_width, tail_payload
                )
                serials += [prefix + low + tail + check(low) for low in lows]
        return serials

    def max_length(self, reference: str = "") -> int:
        """Length of the serials for ``reference``: all of them have it, tokens being fixed."""
        reference = self._checked_reference(reference)
        length = 0
        for part in self._parts:
            kind = part[0]
            if kind == "literal":
                length += len(part[1])
            elif kind == "date":
                length += _DATE_TOKENS[part[1]][0]
            elif kind == "ref":
                length += len(reference)
            elif kind == "seq":
                length += self.sequence_width
        return length + (1 if self.algorithm is not None else 0)

    # Checking serials

    def matches(self, serial: str, reference: str | None = None) -> bool:
        """Tell whether ``serial`` has this pattern's shape (the check character is not verified).

        With ``reference``, the {REF} part must be that reference; without, any will do.
        """
        if not isinstance(serial, str):
            return False
        if reference is None:
            shape = self._shape
        else:
            shape = re.compile(self._shape_regex(sanitise_reference(reference)))
        return shape.fullmatch(serial.upper()) is not None

    def validate(self, serial: str, reference: str | None = None) -> str:
        """Return ``serial`` upper-cased, or raise saying why it does not fit this pattern."""
        if not self.matches(serial, reference):
            raise SerialMismatchError(
                "Serial number %(serial)r does not match the pattern %(pattern)r.",
                serial=serial,
                pattern=self.text,
            )
        normalised = serial.upper()
        if self.algorithm is not None:
            expected = self.algorithm.compute(strip_separators(normalised[:-1]))
            if normalised[-1] != expected:
                raise WrongCheckCharacterError(
                    "Wrong check character in serial number %(value)r: %(title)s expects"
                    " %(expected)r, not %(found)r.",
                    value=serial,
                    title=self.algorithm.title,
                    expected=expected,
                    found=normalised[-1],
                )
        return normalised

    def is_valid_serial(self, serial: str, reference: str | None = None) -> bool:
        """Tell whether ``serial`` has this pattern's shape and a right check character."""
        try:
            self.validate(serial, reference)
        except (SerialPatternError, check_characters.CheckCharacterError):
            return False
        return True

    # Internals

    def _check_counter_range(self, start: int, count: int) -> None:
        if isinstance(start, bool) or not isinstance(start, int):
            raise CounterOverflowError(
                "The counter must be a whole number, not %(counter)r.", counter=start
            )
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise CounterOverflowError(
                "The number of serials must be a whole number of at least 0, not %(count)r.",
                count=count,
            )
        if start < 0:
            raise CounterOverflowError(
                "The counter cannot be negative (%(counter)s) in pattern %(pattern)r.",
                counter=start,
                pattern=self.text,
            )
        last = start + max(count, 1) - 1
        if last >= self.capacity:
            raise CounterOverflowError(
                "Counter %(counter)s does not fit in pattern %(pattern)r, whose {SEQ} holds"
                " at most %(maximum)s: widen the {SEQ} or switch it to base 36.",
                counter=last,
                pattern=self.text,
                maximum=self.capacity - 1,
            )

    def _check_date(self, on: date | None) -> None:
        if self.uses_date and not isinstance(on, date):
            raise SerialPatternError(
                "The pattern %(pattern)r has date tokens, so it needs a date, not %(on)r.",
                pattern=self.text,
                on=on,
            )

    def _checked_reference(self, reference: str | None) -> str:
        if not self.has_reference:
            return ""
        sanitised = sanitise_reference(reference)
        if not sanitised:
            raise InvalidReferenceError(
                "Pattern %(pattern)r uses {REF} but the product reference %(reference)r has no"
                " letter or digit.",
                pattern=self.text,
                reference=reference,
            )
        if self.numeric_only and not sanitised.isdigit():
            raise InvalidReferenceError(
                "Pattern %(pattern)r uses the %(title)s check, which needs digits only, but the"
                " product reference %(reference)r contains letters.",
                pattern=self.text,
                title=self.algorithm.title,
                reference=reference,
            )
        return sanitised

    def _render_part(self, part: tuple, on: date, reference: str, counter: int = 0) -> str:
        kind = part[0]
        if kind == "literal":
            return part[1]
        if kind == "date":
            return _DATE_TOKENS[part[1]][1](on)
        if kind == "ref":
            return reference
        if kind == "seq":
            return _format_counter(counter, self.sequence_width, self.sequence_base)
        return ""  # check: appended by the caller, over the rendered text

    def _shape_regex(self, reference: str | None) -> str:
        serial_characters = "0-9" if self.numeric_only else "0-9A-Z"
        pieces = []
        for part in self._parts:
            kind = part[0]
            if kind == "literal":
                pieces.append(re.escape(part[1]))
            elif kind == "date":
                pieces.append(_DATE_TOKENS[part[1]][2])
            elif kind == "ref":
                pieces.append(re.escape(reference) if reference else f"[{serial_characters}]+")
            elif kind == "seq":
                digits = "0-9" if self.sequence_base == 10 else "0-9A-Z"
                pieces.append(f"[{digits}]{{{self.sequence_width}}}")
            else:
                extra = "".join(
                    char for char in self.algorithm.check_alphabet if char not in _ALPHANUMERIC_SET
                )
                pieces.append(f"[{serial_characters}{re.escape(extra)}]")
        return "".join(pieces)

    def __repr__(self) -> str:
        return f"<SerialPattern {self.text!r} check={self.check_algorithm}>"


@functools.lru_cache(maxsize=512)
def _parse(text: str, check_algorithm: str) -> SerialPattern:
    algorithm = _resolve_algorithm(check_algorithm)
    parts: list[tuple] = []
    for match in _PATTERN_PIECES.finditer(text):
        token, literal, stray_brace = match.groups()
        if stray_brace is not None:
            raise PatternSyntaxError(
                "Unbalanced %(brace)r at position %(position)s of the pattern %(pattern)r.",
                brace=stray_brace,
                position=match.start() + 1,
                pattern=text,
            )
        if parts and parts[-1][0] == "check":
            raise PatternSyntaxError(
                "{CHECK} must be the last thing in the pattern %(pattern)r.", pattern=text
            )
        if literal is not None:
            parts.append(_parse_literal(literal, match.start(), text, algorithm))
        else:
            parts.append(_parse_token(token, text, algorithm))

    sequences = [part for part in parts if part[0] == "seq"]
    if len(sequences) != 1:
        raise PatternSyntaxError(
            "The pattern %(pattern)r must contain exactly one counter such as {SEQ:6}"
            " (it has %(count)s).",
            pattern=text,
            count=len(sequences),
        )
    has_check = any(part[0] == "check" for part in parts)
    if has_check and algorithm is None:
        raise PatternSyntaxError(
            "The pattern %(pattern)r has {CHECK} but no check algorithm is chosen.", pattern=text
        )
    if algorithm is not None and not has_check:
        raise PatternSyntaxError(
            "A %(title)s check is chosen but the pattern %(pattern)r has no {CHECK} at its end.",
            title=algorithm.title,
            pattern=text,
        )
    return SerialPattern(text, tuple(parts), check_algorithm)


def _parse_literal(literal: str, offset: int, text: str, algorithm: CheckAlgorithm | None):
    for index, char in enumerate(literal):
        if char not in LITERAL_CHARACTERS:
            raise PatternSyntaxError(
                "Character %(char)r at position %(position)s of the pattern %(pattern)r is not"
                " allowed: use A-Z, 0-9 and the separators - / . _ outside braces.",
                char=char,
                position=offset + index + 1,
                pattern=text,
            )
    payload = strip_separators(literal)
    if algorithm is not None and algorithm.is_numeric and payload and not payload.isdigit():
        raise PatternSyntaxError(
            "The text %(literal)r of the pattern %(pattern)r contains letters, but the"
            " %(title)s check needs serials made of digits only.",
            literal=literal,
            pattern=text,
            title=algorithm.title,
        )
    return ("literal", literal)


def _parse_token(token: str, text: str, algorithm: CheckAlgorithm | None) -> tuple:
    if token in _DATE_TOKENS:
        return ("date", token)
    if token == "REF":
        return ("ref",)
    if token == "CHECK":
        return ("check",)
    sequence = _SEQUENCE_TOKEN.fullmatch(token)
    if sequence is None:
        raise PatternSyntaxError(
            "Unknown token {%(token)s} in the pattern %(pattern)r (known: {YYYY}, {YY}, {MM},"
            " {DD}, {DOY}, {REF}, {SEQ:width}, {SEQ:width:36}, {CHECK}).",
            token=token,
            pattern=text,
        )
    width = int(sequence.group(1))
    base = int(sequence.group(2) or 10)
    if not 1 <= width <= MAX_SEQUENCE_WIDTH:
        raise PatternSyntaxError(
            "The counter width in {%(token)s} of the pattern %(pattern)r must be between 1"
            " and %(maximum)s.",
            token=token,
            pattern=text,
            maximum=MAX_SEQUENCE_WIDTH,
        )
    if base not in (10, 36):
        raise PatternSyntaxError(
            "The counter base in {%(token)s} of the pattern %(pattern)r must be 10 or 36.",
            token=token,
            pattern=text,
        )
    if base == 36 and algorithm is not None and algorithm.is_numeric:
        raise PatternSyntaxError(
            "The base-36 counter {%(token)s} of the pattern %(pattern)r produces letters, but"
            " the %(title)s check needs serials made of digits only.",
            token=token,
            pattern=text,
            title=algorithm.title,
        )
    return ("seq", width, base)


def verify_check_character(serial: str, algorithm: str | CheckAlgorithm) -> str:
    """Return ``serial`` upper-cased if its last character is the right check character.

    The check covers the serial with its separators removed, as patterns compute it; raises
    :class:`~.check_characters.WrongCheckCharacterError` naming the expected character.
    """
    if not isinstance(algorithm, CheckAlgorithm):
        if algorithm in (None, "", "none"):
            return serial.upper()
        algorithm = check_characters.get_algorithm(algorithm)
    normalised = serial.upper()
    payload = strip_separators(normalised)
    algorithm.normalise_with_check(payload)  # names any character the algorithm cannot take
    if len(payload) < 2:
        raise check_characters.EmptyPayloadError(
            "%(value)r is too short to carry a %(title)s check character.",
            value=serial,
            title=algorithm.title,
        )
    expected = algorithm.compute(payload[:-1])
    if payload[-1] != expected:
        raise WrongCheckCharacterError(
            "Wrong check character in serial number %(value)r: %(title)s expects %(expected)r,"
            " not %(found)r.",
            value=serial,
            title=algorithm.title,
            expected=expected,
            found=payload[-1],
        )
    return normalised


def has_valid_check_character(serial: str, algorithm: str | CheckAlgorithm) -> bool:
    """Boolean form of :func:`verify_check_character`."""
    try:
        verify_check_character(serial, algorithm)
    except check_characters.CheckCharacterError:
        return False
    return True


def preview(
    pattern: str | SerialPattern,
    next_counter: int,
    count: int = 5,
    *,
    on: date | None = None,
    reference: str = "",
    check_algorithm: str = "none",
) -> list[str]:
    """Return up to ``count`` serials from ``next_counter`` on (fewer near the counter's end).

    ``on`` defaults to today; ``check_algorithm`` applies when ``pattern`` is text.
    """
    if not isinstance(pattern, SerialPattern):
        pattern = SerialPattern.parse(pattern, check_algorithm)
    pattern._check_counter_range(next_counter, 1)
    available = min(count, pattern.capacity - next_counter)
    return pattern.render_many(
        next_counter, max(available, 0), on=on or date.today(), reference=reference
    )


__all__ = [
    "CHECK_ALGORITHM_KEYS",
    "CounterOverflowError",
    "InvalidReferenceError",
    "PatternSyntaxError",
    "SerialMismatchError",
    "SerialPattern",
    "SerialPatternError",
    "WrongCheckCharacterError",
    "has_valid_check_character",
    "preview",
    "sanitise_reference",
    "strip_separators",
    "to_base36",
    "verify_check_character",
]
