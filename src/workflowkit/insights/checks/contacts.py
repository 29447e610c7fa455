"""``duplicate-contacts``: contacts whose names match at the chosen precision.

The levels are defined in :mod:`workflowkit.insights.names` by one pairwise function,
:func:`~workflowkit.insights.names.match_reason`. The check finds exactly the pairs
that function accepts without comparing every pair (blocking):

- identical normalised names are grouped by their compact form;
- "the same words in another order" and "equal but for a number" group by a key;
- "one character differs" uses deletion neighbourhoods: two strings within one edit
  share a string obtained by deleting one character from each (or one of them *is*
  the other with a character deleted), so every name is filed under itself and its
  deletions, and only names filed together are compared;
- "one extra word" files each name under its set of words and each set minus one word;
- "a shared distinctive word" uses an index of words, leaving out words more common
  than ``max_word_contacts``.

Every table is cache-partitioned (:mod:`workflowkit.insights.grouping`), so the work
grows linearly with the number of contacts. In QuickBooks Online only contacts of the
same type pair up.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence

from workflowkit.insights.checks._common import plural, result
from workflowkit.insights.grouping import partition_arrays, same_hash
from workflowkit.insights.names import (
    MAX_FUZZY_LENGTH,
    MAX_WORDS,
    Name,
    Precision,
    distinctive,
    masked,
    match_reason,
    name_parts,
)
from workflowkit.insights.results import CheckResult, Finding, FindingSeverity, RecordRef
from workflowkit.insights.snapshot import Contact, LedgerSnapshot
from workflowkit.templates.data_checks import DuplicateContactsParams

CHECK = "duplicate-contacts"

_WHOLE = 127  # "the string itself" in a deletion neighbourhood (names are <= 100 long)
_WHOLE_SET = 15  # "the whole word set" (names have <= 12 words)

Pair = tuple[int, int]


def _equal_strings(
    positions: Iterable[int], n_hint: int, text_of: Callable[[int], str | None]
) -> list[list[int]]:
    """Groups (two or more) of positions whose strings (``text_of``) are equal."""
    mask, hashes, places = partition_arrays(n_hint)
    for i in positions:
        s = text_of(i)
        if s is None:
            continue
        h = hash(s)
        hashes[h & mask].append(h)
        places[h & mask].append(i)
    out: list[list[int]] = []
    for group in same_hash(hashes, places):
        by: dict[str | None, list[int]] = defaultdict(list)
        for i in group:
            by[text_of(i)].append(i)
        out.extend(g for g in by.values() if len(g) > 1)
    return out


def _pairs_within(groups: Iterable[list[int]], out: set[Pair]) -> None:
    for g in groups:
        for a in range(len(g)):
            for b in range(a + 1, len(g)):
                i, j = g[a], g[b]
                out.add((i, j) if i < j else (j, i))


def _deletion_candidates(keys: Sequence[Name], min_len: int, out: set[Pair]) -> None:
    """Pairs of names whose compact forms may be within one edit (see module doc).

    Strings of one length only meet strings of the same length, so the names are taken
    one length ``L`` at a time: the names of length ``L - 1`` as they are, with the
    deletions of the names of length ``L``. That keeps each round's tables small.
    """
    by_len: dict[int, list[int]] = defaultdict(list)
    for i, (_, compact) in enumerate(keys):
        if min_len <= len(compact) <= MAX_FUZZY_LENGTH:
            by_len[len(compact)].append(i)
    for length in sorted(by_len):
        shorter = by_len.get(length - 1, [])
        longer = by_len[length]
        mask, hashes, places = partition_arrays(len(shorter) + len(longer) * length)
        for i in shorter:
            h = hash(keys[i][1])
            hashes[h & mask].append(h)
            places[h & mask].append(i * 128 + _WHOLE)
        for i in longer:
            s = keys[i][1]
            base = i * 128
            previous = ""
            for p in range(length):
                v = s[:p] + s[p + 1 :]
                if v == previous:
                    continue  # deleting either of two equal neighbours gives the same string
                previous = v
                h = hash(v)
                hashes[h & mask].append(h)
                places[h & mask].append(base + p)
        for group in same_hash(hashes, places):
            by: dict[str, list[int]] = defaultdict(list)
            for place in group:
                i, p = divmod(place, 128)
                s = keys[i][1]
                by[s if p == _WHOLE else s[:p] + s[p + 1 :]].append(place)
            for members in by.values():
                if len(members) > 1:
                    _pairs_within([sorted({pl // 128 for pl in members})], out)


def _extra_word_candidates(keys: Sequence[Name], out: set[Pair]) -> None:
    sets = [tuple(sorted(set(words))) for words, _ in keys]
    eligible = [i for i, ws in enumerate(sets) if 1 <= len(ws) <= MAX_WORDS]
    mask, hashes, places = partition_arrays(sum(len(sets[i]) + 1 for i in eligible))

    def variant(i: int, t: int) -> tuple[str, ...]:
        ws = sets[i]
        return ws if t == _WHOLE_SET else ws[:t] + ws[t + 1 :]

    for i in eligible:
        ws = sets[i]
        for t in (*range(len(ws) if len(ws) > 1 else 0), _WHOLE_SET):
            h = hash(variant(i, t))
            hashes[h & mask].append(h)
            places[h & mask].append(i * 16 + t)
    for group in same_hash(hashes, places):
        by: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for place in group:
            by[variant(*divmod(place, 16))].append(place)
        for members in by.values():
            whole = [pl // 16 for pl in members if pl % 16 == _WHOLE_SET]
            if not whole:
                continue
            others = {pl // 16 for pl in members if pl % 16 != _WHOLE_SET}
            for w in whole:
                for o in others:
                    if o != w:
                        out.add((w, o) if w < o else (o, w))


def common_words(keys: Sequence[Name], max_word_contacts: int) -> frozenset[str]:
    """Distinctive words used by more than ``max_word_contacts`` of the distinct names."""
    counts: Counter[str] = Counter()
    for words, _ in keys:
        if len(words) <= MAX_WORDS:
            counts.update({w for w in words if distinctive(w)})
    return frozenset(w for w, n in counts.items() if n > max_word_contacts)


def matching_pairs(
    keys: Sequence[Name], precision: Precision, max_word_contacts: int = 25
) -> dict[Pair, str]:
    """Every pair (i < j) of distinct normalised names that match, with the reason.

    Exactly the pairs for which :func:`~workflowkit.insights.names.match_reason` gives a
    reason, found without comparing every pair.
    """
    candidates: set[Pair] = set()
    n = len(keys)
    if precision != "strict":

        def reordered(i: int) -> str | None:
            words = keys[i][0]
            return " ".join(sorted(words)) if len(words) > 1 else None

        _pairs_within(_equal_strings(range(n), n, reordered), candidates)
        _deletion_candidates(keys, 5 if precision == "close" else 3, candidates)
    common: frozenset[str] = frozenset()
    if precision in ("similar", "rough"):
        _pairs_within(_equal_strings(range(n), n, lambda i: masked(keys[i])), candidates)
        _extra_word_candidates(keys, candidates)
    if precision == "rough":
        common = common_words(keys, max_word_contacts)
        index: dict[str, list[int]] = defaultdict(list)
        for i, (words, _) in enumerate(keys):
            if len(words) <= MAX_WORDS:
                for w in set(words):
                    if distinctive(w) and w not in common:
                        index[w].append(i)
        _pairs_within(index.values(), candidates)
    out: dict[Pair, str] = {}
    for i, j in sorted(candidates):
        reason = match_reason(keys[i], keys[j], precision, common)
        if reason is not None:
            out[(i, j)] = reason
    return out


class _NameGroups:
    """Distinct normalised names and the contacts under each, in snapshot order.

    Kept as flat lists (one contact per name, plus a small table for names several
    contacts share) rather than a list per name: a million small lists would each be
    watched by the garbage collector.
    """

    def __init__(self, contacts: list[Contact]) -> None:
        keys = [name_parts(c.name) for c in contacts]
        order = [i for i, k in enumerate(keys) if k[1]]
        head: dict[int, int] = {}
        for g in _equal_strings(order, len(order), lambda i: keys[i][1]):
            for i in g[1:]:
                head[i] = g[0]
        self.names: list[Name] = []
        self.first: list[Contact] = []
        self.more: dict[int, list[Contact]] = {}
        slot: dict[int, int] = {}
        for i in order:
            h = head.get(i, i)
            if h == i:
                slot[i] = len(self.names)
                self.names.append(keys[i])
                self.first.append(contacts[i])
            else:
                self.more.setdefault(slot[h], []).append(contacts[i])

    def members(self, index: int) -> list[Contact]:
        return [self.first[index], *self.more.get(index, ())]


def _transaction_counts(snapshot: LedgerSnapshot, wanted: set[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for docs in (snapshot.invoices, snapshot.credit_notes, snapshot.bank_transactions):
        for d in docs:
            if d.contact_id in wanted:
                counts[d.contact_id] += 1
    return counts


def _refs(contacts: list[Contact], counts: Counter[str]) -> Iterator[RecordRef]:
    for c in contacts:
        yield RecordRef(
            type="contact", id=c.id, label=f"{c.name} ({plural(counts[c.id], 'transaction')})"
        )


def _names(contacts: list[Contact]) -> str:
    return ", ".join(repr(c.name) for c in contacts)


def run(
    snapshot: LedgerSnapshot, params: DuplicateContactsParams, *, as_of: dt.date
) -> CheckResult:
    same_type = (
        params.same_type_only
        if params.same_type_only is not None
        else snapshot.organisation.source == "qbo"
    )
    chosen = [c for c in snapshot.contacts if params.include_archived or c.status == "active"]
    by_type: dict[str, list[Contact]] = defaultdict(list)
    for c in chosen:
        by_type[c.type if same_type else ""].append(c)
    same: list[list[Contact]] = []
    pairs: list[tuple[list[Contact], list[Contact], str]] = []
    for kind in sorted(by_type):
        groups = _NameGroups(by_type[kind])
        same.extend(groups.members(i) for i in sorted(groups.more))
        found = matching_pairs(groups.names, params.precision, params.max_word_contacts)
        for (i, j), reason in found.items():
            pairs.append((groups.members(i), groups.members(j), reason))
    wanted = {c.id for g in same for c in g} | {c.id for a, b, _ in pairs for c in (*a, *b)}
    counts = _transaction_counts(snapshot, wanted) if wanted else Counter()
    findings: list[Finding] = []
    for group in same:
        findings.append(
            Finding(
                code="duplicate-contact",
                severity=FindingSeverity.WARNING,
                message=f"{_names(group)} are the same name once normalised"
                + (f" ({group[0].type})" if same_type else ""),
                records=tuple(_refs(group, counts)),
            )
        )
    for a, b, reason in pairs:
        findings.append(
            Finding(
                code="duplicate-contact",
                severity=FindingSeverity.WARNING,
                message=f"{_names(a)} and {_names(b)} may be the same contact: {reason}"
                + (f" ({a[0].type})" if same_type else ""),
                records=tuple(_refs([*a, *b], counts)),
            )
        )
    findings.sort(key=lambda f: f.message.casefold())
    where = f"among {plural(len(chosen), 'contact')} ({params.precision} precision"
    where += ", same type only)" if same_type else ")"
    if findings:
        summary = f"{plural(len(findings), 'possible duplicate')} {where}"
    else:
        summary = f"No duplicate contacts {where}"
    return result(CHECK, summary, findings)
