"""Finding equal keys among millions of records, with the CPU cache in mind.

A single hash table of a million keys spends most of its time waiting on memory. As a
database does for a hash join, callers write each record's key hash and position into
one of ``n / PARTITION_SIZE`` compact arrays (chosen by the hash) in one sequential
pass; :func:`same_hash` then groups each partition with a table small enough to stay in
the cache. Equal hashes are almost always equal keys; callers confirm on the (few)
groups found. Time and memory grow linearly with the number of records.
"""

from __future__ import annotations

from array import array

PARTITION_SIZE = 8192
"""Records per partition: small enough for one partition's table to stay in cache."""


def partition_arrays(n_hint: int) -> tuple[int, list[array[int]], list[array[int]]]:
    """(mask, hash arrays, position arrays) for about ``n_hint`` records."""
    parts = 1 << max(0, (n_hint // PARTITION_SIZE).bit_length())
    return parts - 1, [array("q") for _ in range(parts)], [array("q") for _ in range(parts)]


def same_hash(hashes: list[array[int]], places: list[array[int]]) -> list[list[int]]:
    """Groups of two or more positions whose hashes are equal, partition by partition."""
    out: list[list[int]] = []
    for hs, ps in zip(hashes, places, strict=True):
        first: dict[int, int] = {}
        many: dict[int, list[int]] = {}
        setdefault = first.setdefault
        for h, i in zip(hs, ps, strict=True):
            j = setdefault(h, i)
            if j != i:
                group = many.get(h)
                if group is None:
                    many[h] = group = [j]
                    out.append(group)
                group.append(i)
    return out
