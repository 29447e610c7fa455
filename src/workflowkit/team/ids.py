"""One normal form for people's ids, used by review, team, run and notify alike.

A person id is compared after :func:`person_key`: Unicode NFKC, surrounding whitespace
removed, then ``casefold``. So ``"Bob"``, ``" bob "`` and ``"ＢＯＢ"`` (full width) are one
person, and separation of duties cannot be got round by spelling a name differently.

Ids that could still fool a reader are refused where they are written
(:func:`id_problem`): invisible characters (zero-width spaces and joiners, soft hyphens,
bidi marks), and any letter outside ASCII once normalised, since Cyrillic ``а`` or Greek
``ο`` look the same as Latin ``a`` and ``o`` but are other people to a computer.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["id_problem", "person_key", "same_person", "spoof_problem"]


@lru_cache(maxsize=4096)
def person_key(person: str) -> str:
    """The normal form two spellings of one person's id share (NFKC, strip, casefold)."""
    return unicodedata.normalize("NFKC", person).strip().casefold()


def same_person(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` name the same person after :func:`person_key`."""
    return a == b or person_key(a) == person_key(b)


_LOOKS_LIKE = dict(
    zip(
        "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501\u04bb"
        "\u03bf\u03b1\u03bd\u03c1\u03ba\u03b9\u03c4\u0131",
        "aeopcyxijsdhoavpkiti",
        strict=True,
    )
)
"""The commonest Cyrillic and Greek letters that pass for Latin ones (from Unicode's
confusables list), so the message can say which letter a reader would see."""


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def id_problem(person: str) -> str | None:
    """Why ``person`` is not a safe id, or ``None``.

    Refused: an empty id, invisible or control characters (Unicode categories Cc, Cf, Zl,
    Zp, and spaces inside the id), and characters outside printable ASCII after
    normalisation (look-alikes from other scripts).
    """
    if not person.strip():
        return "the id is empty"
    for ch in person:
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn"):
            return f"it holds the invisible character {_describe(ch)}"
    key = person_key(person)
    for ch in key:
        if ch.isspace():
            return "it holds a space; use a hyphen"
        if not (" " < ch <= "~"):
            looks = _LOOKS_LIKE.get(ch) or next(
                (c for c in unicodedata.normalize("NFKD", ch) if c.isascii()), None
            )
            like = f", which looks like {looks!r}" if looks else ""
            return (
                f"it holds {_describe(ch)}{like}; ids are plain ASCII so look-alike "
                "spellings cannot pass for another person"
            )
    return None


_INVISIBLE = frozenset(("Cc", "Cf", "Zl", "Zp", "Co", "Cn"))


def _script(ch: str) -> str | None:
    """The script of a letter, from its Unicode name (``LATIN``, ``CYRILLIC``, ...)."""
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else None


@lru_cache(maxsize=4096)
def spoof_problem(person: str) -> str | None:
    """Why ``person`` could pass for someone else, or ``None``: the check review makes on
    every id when no team says who exists.

    Looser than :func:`id_problem` (``josé`` and ``Zoë`` pass): refused are invisible
    characters (categories Cc, Cf, Zl, Zp, Co, Cn) and letters of two scripts in one id
    (Unicode TR39's single-script rule), so ``\u0430nn`` (Cyrillic a, Latin nn) cannot
    stand for ``ann``. An id wholly in another script is taken as it is.
    """
    for ch in person:
        if unicodedata.category(ch) in _INVISIBLE:
            return f"it holds the invisible character {_describe(ch)}"
    scripts = {s for ch in unicodedata.normalize("NFKC", person) if (s := _script(ch))}
    if len(scripts) > 1:
        odd = (
            next(
                ch
                for ch in unicodedata.normalize("NFKC", person)
                if _script(ch) not in (None, "LATIN")
            )
            if "LATIN" in scripts
            else person[0]
        )
        looks = _LOOKS_LIKE.get(odd.casefold())
        like = f", which looks like {looks!r}" if looks else ""
        return (
            f"it mixes letters of {', '.join(sorted(s.title() for s in scripts))} scripts "
            f"({_describe(odd)}{like})"
        )
    return None
