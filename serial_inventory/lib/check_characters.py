"""Check characters for serial numbers: ISO/IEC 7064 MOD 37-2 (pure), hybrid MOD 37,36 and
MOD 11,10, and Luhn.

Every algorithm here detects every single-character substitution. Only MOD 37-2 detects every
adjacent transposition too; each class docstring states exactly which ones slip through.

Input is case-insensitive: it is upper-cased before use, so 'a' and 'A' are the same character.
The check character is taken from ``check_alphabet``: the payload alphabet, plus '*' for
MOD 37-2.
"""

from __future__ import annotations

from collections.abc import Callable

DIGITS = "0123456789"
ALPHANUMERIC = DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class CheckCharacterError(ValueError):
    """Base error; ``template`` and ``params`` let the Odoo layer translate the message."""

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params
        super().__init__(template % params)


class InvalidCharacterError(CheckCharacterError):
    """A character outside the algorithm's alphabet."""


class EmptyPayloadError(CheckCharacterError):
    """Nothing to compute a check character over."""


class UnknownAlgorithmError(CheckCharacterError):
    """An algorithm key that is not in ALGORITHMS."""


class WrongCheckCharacterError(CheckCharacterError):
    """The last character does not match the one computed over the rest."""


class CheckAlgorithm:
    """Common interface: ``compute``, ``is_valid``, ``append``, ``precompute``."""

    key: str
    title: str
    alphabet: str

    @property
    def is_numeric(self) -> bool:
        return self.alphabet == DIGITS

    @property
    def check_alphabet(self) -> str:
        """Characters the check character can be: the payload alphabet unless overridden."""
        return self.alphabet

    def normalise(self, value: str) -> str:
        """Upper-case ``value`` and reject characters outside the alphabet."""
        normalised = self._upper(value)
        for char in normalised:
            if char not in self._values:
                self._reject(char, value)
        return normalised

    def normalise_with_check(self, value: str) -> str:
        """Like :meth:`normalise` for a payload followed by its check character.

        The last character may be any of ``check_alphabet`` (e.g. '*' for MOD 37-2).
        """
        normalised = self._upper(value)
        for char in normalised[:-1]:
            if char not in self._values:
                self._reject(char, value)
        if normalised and normalised[-1] not in self.check_alphabet:
            self._reject(normalised[-1], value)
        return normalised

    def _upper(self, value: str) -> str:
        if not isinstance(value, str):
            raise InvalidCharacterError(
                "%(title)s needs a text value, not %(value)r.", title=self.title, value=value
            )
        return value.upper()

    def _reject(self, char: str, value: str):
        raise InvalidCharacterError(
            "Character %(char)r in %(value)r is not allowed by %(title)s"
            " (allowed: %(alphabet)s).",
            char=char,
            value=value,
            title=self.title,
            alphabet=self._alphabet_label(),
        )

    def compute(self, payload: str) -> str:
        """Return the check character for ``payload``."""
        normalised = self.normalise(payload)
        if not normalised:
            raise EmptyPayloadError(
                "Cannot compute a %(title)s check character over an empty value.",
                title=self.title,
            )
        return self._compute(normalised)

    def append(self, payload: str) -> str:
        """Return ``payload`` (upper-cased) followed by its check character."""
        return self.normalise(payload) + self.compute(payload)

    def is_valid(self, full: str) -> bool:
        """Tell whether the last character of ``full`` is the right check character."""
        if not isinstance(full, str) or len(full) < 2:
            return False
        normalised = full.upper()
        if any(char not in self._values for char in normalised[:-1]):
            return False
        return self._compute(normalised[:-1]) == normalised[-1]

    def validate(self, full: str) -> str:
        """Return ``full`` upper-cased, or raise naming the expected check character."""
        normalised = self.normalise_with_check(full)
        if len(normalised) < 2:
            raise EmptyPayloadError(
                "%(value)r is too short to carry a %(title)s check character.",
                value=full,
                title=self.title,
            )
        expected = self.compute(normalised[:-1])
        if normalised[-1] != expected:
            raise WrongCheckCharacterError(
                "Wrong check character in %(value)r: %(title)s expects %(expected)r,"
                " not %(found)r.",
                value=full,
                title=self.title,
                expected=expected,
                found=normalised[-1],
            )
        return normalised

    def precompute(self, prefix: str, middle_length: int, suffix: str) -> Callable[[str], str]:
        """Return a fast ``check(middle)`` for payloads ``prefix + middle + suffix``.

        ``middle`` must be upper-case and exactly ``middle_length`` long; this is the hot path
        of bulk serial generation, where only a counter changes between payloads.
        """
        normalised_prefix = self.normalise(prefix)
        normalised_suffix = self.normalise(suffix)

        def check(middle: str) -> str:
            return self.compute(normalised_prefix + middle + normalised_suffix)

        return check

    def _compute(self, normalised: str) -> str:
        """Check character of a non-empty, already normalised payload."""
        raise NotImplementedError

    def _alphabet_label(self) -> str:
        return "digits 0-9" if self.is_numeric else "0-9 and A-Z"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key}>"


class StateTableMod(CheckAlgorithm):
    """An ISO/IEC 7064 system run as a state table: ``_step[state][char]`` is the state after
    ``char``, ``_check_for_state[state]`` the check character that closes the payload.
    Subclasses build both tables and set ``_initial_state``."""

    _initial_state = 0

    def _state_after(self, text: str, state: int) -> int:
        step = self._step
        for char in text:
            state = step[state][char]
        return state

    def _compute(self, normalised: str) -> str:
        return self._check_for_state[self._state_after(normalised, self._initial_state)]

    def precompute(self, prefix: str, middle_length: int, suffix: str) -> Callable[[str], str]:
        start_state = self._state_after(self.normalise(prefix), self._initial_state)
        normalised_suffix = self.normalise(suffix)
        check_after_middle = [
            self._check_for_state[self._state_after(normalised_suffix, state)]
            for state in range(len(self._step))
        ]
        step = self._step

        def check(middle: str) -> str:
            state = start_state
            try:
                for char in middle:
                    state = step[state][char]
            except KeyError:
                self.normalise(middle)  # raises the explanatory error
                raise
            return check_after_middle[state]

        return check


class HybridMod(StateTableMod):
    """ISO/IEC 7064 hybrid system MOD (M+1),M over an alphabet of M characters.

    Detects every single-character substitution. An adjacent transposition goes undetected
    only when the two characters are neighbours in the alphabet (values k and k+1, cyclically,
    e.g. '4'/'5', 'A'/'B', 'Z'/'0') and the running state before them is one particular value
    out of M: for random characters about 2% of adjacent transpositions for MOD 11,10 and
    0.16% for MOD 37,36 (more on zero-padded counters, rich in 0/1 neighbours). Swapping
    non-neighbour characters is always detected.
    """

    def __init__(self, key: str, title: str, alphabet: str):
        self.key = key
        self.title = title
        self.alphabet = alphabet
        self.modulus = len(alphabet)
        self._values = {char: index for index, char in enumerate(alphabet)}
        modulus = self.modulus
        # The state after each character is 2*s mod (M+1), s in 1..M: never 0, so states 1..M.
        # Index 0 is unused but keeps the tables indexable by state directly.
        self._step = [
            {
                char: (2 * ((state + value) % modulus or modulus)) % (modulus + 1)
                for char, value in self._values.items()
            }
            for state in range(modulus + 1)
        ]
        self._check_for_state = [alphabet[(1 - state) % modulus] for state in range(modulus + 1)]
        self._initial_state = modulus


class PureMod(StateTableMod):
    """ISO/IEC 7064 pure system with one check character, e.g. MOD 37-2.

    The payload followed by its check character, read as a number in base ``radix`` whose
    digits are the characters' values (0-9 = 0-9, A-Z = 10-35, '*' = 36), must be 1 modulo
    ``modulus`` = len(check_alphabet). For MOD 37-2 the modulus 37 is prime and neither the
    radix 2 nor the radix minus 1 is a multiple of it, so changing one character changes that
    number by (a - b) * 2**k and swapping two adjacent ones by (a - b) * 2**k too, neither a
    multiple of 37: every single-character substitution and every adjacent transposition of
    distinct characters is detected, the check character included. The price is a 37th
    check character, '*', which is not a letter or digit.
    """

    def __init__(self, key: str, title: str, alphabet: str, check_alphabet: str, radix: int):
        self.key = key
        self.title = title
        self.alphabet = alphabet
        self._check_alphabet = check_alphabet
        self.modulus = len(check_alphabet)
        self.radix = radix
        self._values = {char: index for index, char in enumerate(alphabet)}
        modulus = self.modulus
        # The state is the payload so far as a base-``radix`` number, modulo ``modulus``.
        self._step = [
            {char: (state * radix + value) % modulus for char, value in self._values.items()}
            for state in range(modulus)
        ]
        # The check character c after state s makes s * radix + c = 1 (mod modulus).
        self._check_for_state = [
            check_alphabet[(1 - state * radix) % modulus] for state in range(modulus)
        ]

    @property
    def check_alphabet(self) -> str:
        return self._check_alphabet

    def _alphabet_label(self) -> str:
        extra = "".join(char for char in self._check_alphabet if char not in self._values)
        return f"{super()._alphabet_label()}, plus {extra} as the check character"


class Luhn(CheckAlgorithm):
    """Luhn (ISO/IEC 7812-1 annex B), digits only.

    Detects every single-digit substitution and every adjacent transposition of distinct
    digits except 09 <-> 90 (both sum the same once doubled), wherever in the number it is,
    including a swap of the last payload digit with the check digit.
    """

    key = "luhn"
    title = "Luhn"
    alphabet = DIGITS
    _values = {char: index for index, char in enumerate(DIGITS)}
    # Contribution of a digit at an even (doubled) or odd (plain) position from the right.
    _doubled = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9]

    def _weighted(self, text: str, doubled_first: bool) -> int:
        """Sum of ``text``'s digits; its last digit is doubled when ``doubled_first``."""
        total = 0
        double = doubled_first
        for char in reversed(text):
            digit = self._values[char]
            total += self._doubled[digit] if double else digit
            double = not double
        return total

    def _compute(self, normalised: str) -> str:
        return DIGITS[-self._weighted(normalised, doubled_first=True) % 10]

    def precompute(self, prefix: str, middle_length: int, suffix: str) -> Callable[[str], str]:
        normalised_prefix = self.normalise(prefix)
        normalised_suffix = self.normalise(suffix)
        # Doubling depends on the position from the right only, so each part's sum is
        # independent of the others: the fixed parts are summed once, the middle per call.
        suffix_length = len(normalised_suffix)
        middle_doubled_last = suffix_length % 2 == 0
        fixed_sum = self._weighted(normalised_suffix, doubled_first=True) + self._weighted(
            normalised_prefix, doubled_first=(suffix_length + middle_length) % 2 == 0
        )
        if middle_length <= self._TABULATED_MIDDLE_LENGTH:
            middle_sums = self._middle_sums(middle_length, middle_doubled_last)

            def check(middle: str) -> str:
                try:
                    return DIGITS[-(fixed_sum + middle_sums[middle]) % 10]
                except KeyError:
                    self._reject_middle(middle, middle_length)
                    raise

        else:

            def check(middle: str) -> str:
                if len(middle) != middle_length:
                    self._reject_middle(middle, middle_length)
                try:
                    return DIGITS[-(fixed_sum + self._weighted(middle, middle_doubled_last)) % 10]
                except KeyError:
                    self._reject_middle(middle, middle_length)
                    raise

        return check

    # Middles up to this many digits get a lookup table of their sums (10,000 entries at most).
    _TABULATED_MIDDLE_LENGTH = 4
    _middle_sums_cache: dict[tuple[int, bool], dict[str, int]] = {}

    def _middle_sums(self, length: int, doubled_last: bool) -> dict[str, int]:
        key = (length, doubled_last)
        if key not in self._middle_sums_cache:
            self._middle_sums_cache[key] = {
                digits: self._weighted(digits, doubled_last)
                for digits in (f"{number:0{length}d}" for number in range(10**length))
            }
        return self._middle_sums_cache[key]

    def _reject_middle(self, middle: str, middle_length: int) -> None:
        self.normalise(middle)  # names a non-digit if there is one
        raise CheckCharacterError(
            "Expected %(length)s digits, got %(value)r.", length=middle_length, value=middle
        )


ALGORITHMS: dict[str, CheckAlgorithm] = {
    "mod37_2": PureMod("mod37_2", "ISO/IEC 7064 MOD 37-2", ALPHANUMERIC, ALPHANUMERIC + "*", 2),
    "mod37_36": HybridMod("mod37_36", "ISO/IEC 7064 MOD 37,36", ALPHANUMERIC),
    "mod11_10": HybridMod("mod11_10", "ISO/IEC 7064 MOD 11,10", DIGITS),
    "luhn": Luhn(),
}


def get_algorithm(key: str) -> CheckAlgorithm:
    """Return the algorithm registered under ``key`` or raise naming it."""
    try:
        return ALGORITHMS[key]
    except (KeyError, TypeError):
        raise UnknownAlgorithmError(
            "Unknown check character algorithm %(key)r (known: %(known)s).",
            key=key,
            known=", ".join(ALGORITHMS),
        ) from None
