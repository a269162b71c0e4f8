"""Vietnamese number words ("hai mươi lăm" -> 25) for durations and relative dates."""

from __future__ import annotations

# Unit digits. "mốt", "tư" and "lăm" are the forms 1, 4, 5 take after "mươi"/"mười"; "lăm" also follows a
# bare digit in colloquial "hai lăm" (= 25).
DIGITS: dict[str, int] = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "nhăm": 5,
    "sáu": 6,
    "bảy": 7,
    "bẩy": 7,
    "tám": 8,
    "chín": 9,
}
_TENS_ONLY = {"mốt", "tư", "lăm", "nhăm"}
WORDS: tuple[str, ...] = (*DIGITS, "mười", "mươi", "trăm", "linh", "lẻ")

# Longest first so that "mươi" wins over a shorter prefix in the alternation.
WORD_PATTERN = "|".join(sorted(WORDS, key=len, reverse=True))
# Bounded repetition: an unbounded run of number words would make regex backtracking quadratic.
NUMBER_WORDS_RE = rf"(?:{WORD_PATTERN})(?:\s+(?:{WORD_PATTERN})){{0,5}}"


def words_to_int(phrase: str) -> int | None:
    """Value of a phrase of number words, or None when it is not a well-formed number."""
    total = 0
    current = 0
    prev: str | None = None
    for word in phrase.split():
        if word in DIGITS:
            digit = DIGITS[word]
            if prev in ("mười", "mươi"):
                current += digit
            elif prev in DIGITS and word in _TENS_ONLY:
                current = current * 10 + digit  # "hai lăm" = 25
            elif prev in DIGITS:
                return None  # "hai ba" is a range, not a number
            else:
                current += digit
        elif word == "mười":
            current += 10
        elif word == "mươi":
            current = (current or 1) * 10  # a bare "mươi" means about ten
        elif word == "trăm":
            total += (current or 1) * 100
            current = 0
        elif word in ("linh", "lẻ"):
            pass
        else:
            return None
        prev = word
    return total + current
