"""Contact names: normalisation and the four precision levels of duplicate matching.

Normalisation (every level): accents dropped, case folded, "&" and "+" read as "and",
apostrophes and full stops removed ("Sainsbury's" -> "sainsburys", "L.L.P." -> "llp"),
other punctuation read as a space, whitespace collapsed, a leading "The" dropped, and
legal suffixes at the end removed, repeatedly (Ltd, Limited, LLP, LP, PLC, Inc,
Incorporated, Co, Company, Corp, Corporation, LLC, CIC, GmbH, Pty, "Public Limited
Company", "Limited Liability Partnership", "Limited Partnership", "Community Interest
Company"), with an "and" left dangling by them ("Smith & Co Ltd" -> "smith"). A suffix
that is the whole name is kept. The *compact* form is the words run together.

Levels, each including the ones before it:

- **strict**: the compact forms are equal ("Fine Foods Ltd", "FINE-FOODS LIMITED",
  "Fine Foods").
- **close**: or the same words in another order ("Jones & Smith", "Smith and Jones"),
  or the compact forms differ by one letter (added, removed, changed, or two neighbours
  swapped) and the shorter has at least 5 characters ("Sainsbury", "Sainsburys";
  "Fine Food Ltd", "Fine Foods Limited"). A digit never counts as a one-letter slip.
- **similar**: or the compact forms differ by one character of any kind, the shorter
  having at least 3 ("Twins 6", "Twins 5"); or the names are equal once every number
  is read as "#" ("Unit 4 Motors", "Unit 12 Motors"); or one name is the other plus
  one word ("Acme", "Acme Trading"), the shorter having at least 4 characters.
- **rough**: or the names share a word of at least 3 letters that is not a stop word
  (and, the, of...) and that no more than ``max_word_contacts`` distinct names use
  ("Smart Agency", "City Agency" in a small ledger; in a large one "agency" may be too
  common to count).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from typing import Literal, NamedTuple

Precision = Literal["strict", "close", "similar", "rough"]
LEVELS: tuple[Precision, ...] = ("strict", "close", "similar", "rough")

LEGAL_SUFFIXES: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            ("ltd",),
            ("limited",),
            ("llp",),
            ("lp",),
            ("plc",),
            ("inc",),
            ("incorporated",),
            ("co",),
            ("company",),
            ("corp",),
            ("corporation",),
            ("llc",),
            ("cic",),
            ("gmbh",),
            ("pty",),
            ("public", "limited", "company"),
            ("limited", "liability", "partnership"),
            ("limited", "partnership"),
            ("community", "interest", "company"),
        ),
        key=len,
        reverse=True,
    )
)
STOP_WORDS: frozenset[str] = frozenset(
    {"and", "the", "of", "for", "to", "in", "at", "by", "on", "a", "an", "with"}
)
MAX_FUZZY_LENGTH = 100
"""Compact names longer than this are matched exactly only."""
MAX_WORDS = 12
"""Names with more words than this skip the word-based relations."""

_DROP = {ord(c): None for c in "'’‘`´."}
_AND = {ord("&"): " and ", ord("+"): " and "}
_ASCII_PUNCT = {ord(c): " " for c in '!"#$%()*,-/:;<=>?@[\\]^_{|}~' if ord(c) not in _DROP}
_TABLE = str.maketrans({**_ASCII_PUNCT, **_AND, **_DROP})
_NON_WORD = re.compile(r"[\W_]+")
_NUMBER = re.compile(r"^\d+$")


Name = tuple[tuple[str, ...], str]
"""A normalised name as a plain tuple: (words, compact). Plain tuples cost the garbage
collector nothing once made, which matters at a million contacts."""


class NameKey(NamedTuple):
    """A contact name, normalised: its words and its compact form."""

    words: tuple[str, ...]
    compact: str

    @property
    def text(self) -> str:
        return " ".join(self.words)


_SUFFIX_BY_LAST: dict[str, tuple[tuple[str, ...], ...]] = {}
for _suffix in LEGAL_SUFFIXES:  # longest first, as LEGAL_SUFFIXES is sorted
    _SUFFIX_BY_LAST[_suffix[-1]] = (*_SUFFIX_BY_LAST.get(_suffix[-1], ()), _suffix)


def _strip_suffixes(words: list[str]) -> list[str]:
    while len(words) > 1:
        last = words[-1]
        if last == "and":
            del words[-1]
            continue
        for suffix in _SUFFIX_BY_LAST.get(last, ()):
            n = len(suffix)
            if len(words) > n and tuple(words[-n:]) == suffix:
                del words[-n:]
                break
        else:
            return words
    return words


def name_parts(name: str) -> Name:
    """The normalised words and compact form of a contact name, as a plain tuple."""
    if name.isascii():
        text = name.translate(_TABLE).lower()
    else:
        text = unicodedata.normalize("NFKD", name)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = _NON_WORD.sub(" ", text.translate(_TABLE).casefold())
    words = text.split()
    if len(words) > 1 and words[0] == "the":
        del words[0]
    words = _strip_suffixes(words)
    return tuple(words), "".join(words)


def normalise(name: str) -> NameKey:
    """The normalised words and compact form of a contact name."""
    return NameKey(*name_parts(name))


def one_edit(a: str, b: str, *, letters_only: bool, min_len: int) -> bool:
    """True when ``a`` and ``b`` differ by one character added, removed or changed, or two
    neighbours swapped; the shorter must have ``min_len`` characters, and with
    ``letters_only`` the characters involved must be letters."""
    if len(a) > len(b):
        a, b = b, a
    la, lb = len(a), len(b)
    if la < min_len or lb - la > 1 or a == b:
        return False
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return not letters_only or (a[i].isalpha() and b[i].isalpha())
        if i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]:
            return not letters_only or (a[i].isalpha() and a[i + 1].isalpha())
        return False
    if a[i:] == b[i + 1 :]:
        return not letters_only or b[i].isalpha()
    return False


def masked(key: Name) -> str | None:
    """The words with every number read as ``#``, if the name has both kinds of word."""
    words = key[0]
    if not any(_NUMBER.match(w) for w in words):
        return None
    out = tuple("#" if _NUMBER.match(w) else w for w in words)
    if all(w == "#" for w in out):
        return None
    return " ".join(out)


def extra_word(a: Name, b: Name) -> bool:
    """One name's distinct words are the other's plus exactly one more."""
    sa, sb = set(a[0]), set(b[0])
    if len(sa) > len(sb):
        sa, sb = sb, sa
    return len(sb) == len(sa) + 1 and sa < sb and len("".join(sa)) >= 4 and len(sb) <= MAX_WORDS


def distinctive(word: str) -> bool:
    """A word that may suggest a duplicate at rough precision (before frequency)."""
    return len(word) >= 3 and word not in STOP_WORDS and not word.isdigit()


def match_reason(
    a: Name,
    b: Name,
    precision: Precision,
    common_words: Collection[str] = (),
) -> str | None:
    """Why ``a`` and ``b`` (from :func:`normalise`) are a possible duplicate at
    ``precision``, or None.

    This is the definition; the check finds the same pairs without comparing every
    pair. ``common_words`` are the words too common to count at rough precision.
    """
    (wa, ca), (wb, cb) = a, b
    if not ca or not cb:
        return None
    if ca == cb:
        return "the same name once normalised"
    if precision == "strict":
        return None
    short = len(ca) <= MAX_FUZZY_LENGTH and len(cb) <= MAX_FUZZY_LENGTH
    if sorted(wa) == sorted(wb):
        return "the same words in another order"
    if short and one_edit(ca, cb, letters_only=True, min_len=5):
        return "one letter differs"
    if precision == "close":
        return None
    if short and one_edit(ca, cb, letters_only=False, min_len=3):
        return "one character differs"
    ma = masked(a)
    if ma is not None and ma == masked(b):
        return "the same name but for a number"
    if len(wa) <= MAX_WORDS and len(wb) <= MAX_WORDS and extra_word(a, b):
        return "one name has an extra word"
    if precision == "similar":
        return None
    if len(wa) <= MAX_WORDS and len(wb) <= MAX_WORDS:
        shared = sorted(w for w in set(wa) & set(wb) if distinctive(w) and w not in common_words)
        if shared:
            return f"both use the word {shared[0]!r}"
    return None
