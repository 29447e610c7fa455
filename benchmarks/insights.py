"""Benchmark: ``duplicate-transactions`` and ``duplicate-contacts`` at scale.

Generates a ledger of 1,000,000 transactions (invoices, bills and bank transactions
over three years, 20 per contact, with monthly charges and about 0.5% real duplicates)
and 50,000 contacts (about 2% near-duplicate names), then in one run:

- times ``duplicate-transactions`` (bank transactions included, every date in range)
  on the first 10,000, 100,000 and 1,000,000 transactions;
- times ``duplicate-contacts`` (close precision) at 10,000, 100,000 and 1,000,000
  records: that many contacts (past the ledger's 50,000 the same generator continues)
  with as many transactions (for the transaction counts); and on the whole ledger;
- times a naive pairwise baseline for each at 10,000 (every pair compared, as in the
  definition) and checks that it finds the same duplicates;
- measures peak memory: traced allocations of each check at the largest size
  (tracemalloc, in an untimed run) and the process's peak resident size.

Each time is the median CPU time (``time.process_time``) of several runs (9 at the
smallest size, 5 or 3 at the others; duplicate-transactions after one untimed run, which
fills the amounts' cached hashes). Prints one JSON line. Targets (issue 6): growth no
worse than n log n, so the 1,000,000 time is at most about 120x the 10,000 time; at
10,000 records each check is at least 50x faster than the naive baseline.

    python benchmarks/insights.py            # the full run (a few minutes)
    python benchmarks/insights.py --quick    # tiny sizes, a smoke run
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import platform
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from workflowkit.insights import (  # noqa: E402
    BankAccount,
    BankTransaction,
    Contact,
    Invoice,
    LedgerSnapshot,
    Line,
    Organisation,
    run_check,
)
from workflowkit.insights.checks.contacts import matching_pairs  # noqa: E402
from workflowkit.insights.checks.duplicates import find_clusters  # noqa: E402
from workflowkit.insights.names import NameKey, normalise, one_edit  # noqa: E402

AS_OF = dt.date(2024, 6, 30)
START = AS_OF - dt.timedelta(days=3 * 365)
WINDOW = 5
TX_PARAMS = {"window_days": WINDOW, "include_bank_transactions": True, "lookback_days": 3660}
CONTACT_PARAMS = {"precision": "close"}
MAX_GROWTH = 120.0
MIN_SPEEDUP = 50.0

SYLLABLES = (  # noqa: SIM905
    "ka lo ven tar mi ro sa bel dor fin gar hal is jun kel lum mor nor pel quin "
    "ras sol tem ul var wes yor zan bri cal dun el fen gil hol ith jas kor lin "
    "mar nel os pra rin sta tor ux vel wyn ax bo cor"
).split()
WORDS = (
    "Trading",
    "Services",
    "Foods",
    "Motors",
    "Design",
    "Builders",
    "Consulting",
    "Supplies",
    "Estates",
    "Digital",
    "Garage",
    "Bakery",
    "Studio",
    "Logistics",
)
SUFFIXES = ("Ltd", "Limited", "LLP", "PLC", "& Co", "", "", "")


# ---------------------------------------------------------------------------------
# The generated ledger
# ---------------------------------------------------------------------------------


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def _near(rng: random.Random, name: str) -> str:
    """A name a bookkeeper might have typed for the same contact."""
    base = name
    for suffix in SUFFIXES:
        if suffix and base.endswith(" " + suffix):
            base = base[: -len(suffix) - 1]
    choice = rng.randrange(4)
    if choice == 0:
        return base.upper() + " " + rng.choice(("Ltd", "Limited"))
    if choice == 1:
        return base + "s"
    if choice == 2:
        i = rng.randrange(1, len(base) - 1)
        return base[:i] + base[i + 1 :]
    return base.replace(" ", "-") + " LLP"


def make_contacts(n: int, seed: int = 11) -> list[Contact]:
    rng = random.Random(seed)
    out: list[Contact] = []
    for i in range(n):
        if out and rng.random() < 0.02:
            name = _near(rng, rng.choice(out).name)
        else:
            words = [_word(rng), _word(rng)]
            if rng.random() < 0.3:
                words.append(rng.choice(WORDS))
            suffix = rng.choice(SUFFIXES)
            name = " ".join(words) + (f" {suffix}" if suffix else "")
        kind = "customer" if i % 3 == 0 else "supplier"
        out.append(Contact(id=f"C{i}", name=name, type=kind))  # type: ignore[arg-type]
    return out


def make_transactions(n: int, contacts: int, seed: int = 5) -> list[Invoice | BankTransaction]:
    """``n`` documents, contact by contact (20 each), so any prefix is a smaller ledger.

    A customer gets invoices and receipts, a supplier bills and payments (one in five a
    bank transaction). One contact in ten has a monthly charge of a fixed amount (12 of
    its 20 documents); the rest are one-off amounts over three years. About 0.5% of
    documents are real duplicates: the contact's previous document entered again 0 to 7
    days later.
    """
    rng = random.Random(seed)
    days = (AS_OF - START).days
    out: list[Invoice | BankTransaction] = []
    per_contact = 20
    for i in range(n):
        c = (i // per_contact) % contacts
        k = i % per_contact
        contact = f"C{c}"
        sales = c % 3 == 0
        recurring = c % 10 == 7 and k < 12
        previous = out[-1] if k and out else None
        if previous is not None and rng.random() < 0.005:
            day = previous.date + dt.timedelta(days=rng.randrange(0, WINDOW + 3))
            total = previous.total
        elif recurring:
            rent = random.Random(c).randrange(10_000, 500_000)
            total = Decimal(rent).scaleb(-2)
            day = START + dt.timedelta(days=30 * k + 15 + rng.randrange(-2, 3))
        else:
            total = Decimal(rng.randrange(100, 2_000_000)).scaleb(-2)
            day = START + dt.timedelta(days=rng.randrange(days))
        line = (Line(amount=total, account_code="429", tax_code="INPUT2"),)
        if rng.random() < 0.8:
            out.append(
                Invoice(
                    id=f"D{i}",
                    kind="invoice" if sales else "bill",
                    contact_id=contact,
                    date=day,
                    total=total,
                    number=f"N{i}",
                    lines=line,
                )
            )
        else:
            out.append(
                BankTransaction(
                    id=f"T{i}",
                    bank_account_id="bank",
                    kind="receive" if sales else "spend",
                    date=day,
                    total=total,
                    contact_id=contact,
                    reference=f"R{i}",
                    reconciled=True,
                    lines=line,
                )
            )
    return out


def snapshot_of(docs: list[Invoice | BankTransaction], contacts: list[Contact]) -> LedgerSnapshot:
    return LedgerSnapshot(
        organisation=Organisation(name="Benchmark Ltd", source="xero"),
        as_of=AS_OF,
        bank_accounts=(BankAccount(id="bank", name="Current"),),
        invoices=tuple(d for d in docs if isinstance(d, Invoice)),
        bank_transactions=tuple(d for d in docs if isinstance(d, BankTransaction)),
        contacts=tuple(contacts),
    )


# ---------------------------------------------------------------------------------
# Naive pairwise baselines (the definitions, every pair compared)
# ---------------------------------------------------------------------------------


def naive_duplicate_transactions(snapshot: LedgerSnapshot) -> set[tuple[str, str]]:
    docs: list[Any] = [*snapshot.invoices, *snapshot.bank_transactions]
    pairs: set[tuple[str, str]] = set()
    for a, b in combinations(docs, 2):
        side_a = a.kind in ("bill", "spend")
        side_b = b.kind in ("bill", "spend")
        if (
            side_a == side_b
            and a.contact_id == b.contact_id
            and a.currency == b.currency
            and a.total == b.total
            and abs((a.date - b.date).days) <= WINDOW
        ):
            pairs.add((a.id, b.id) if a.id < b.id else (b.id, a.id))
    return pairs


def naive_duplicate_contacts(keys: list[NameKey]) -> set[tuple[int, int]]:
    """The close-precision definition over every pair of distinct names."""
    words = [sorted(k.words) for k in keys]
    compact = [k.compact for k in keys]
    pairs: set[tuple[int, int]] = set()
    n = len(keys)
    for i in range(n):
        ci, wi = compact[i], words[i]
        for j in range(i + 1, n):
            cj = compact[j]
            if (
                ci == cj
                or wi == words[j]
                or (abs(len(ci) - len(cj)) <= 1 and one_edit(ci, cj, letters_only=True, min_len=5))
            ):
                pairs.add((i, j))
    return pairs


def distinct_names(contacts: list[Contact]) -> list[NameKey]:
    seen: dict[str, NameKey] = {}
    for c in contacts:
        k = normalise(c.name)
        if k.compact:
            seen.setdefault(k.compact, k)
    return list(seen.values())


# ---------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------


def timed(fn: Callable[[], Any], repeat: int, warm_up: bool = False) -> tuple[float, Any]:
    """The median CPU time of ``repeat`` runs (CPU time, so that other processes on a
    busy machine do not count; the median, so that one lucky or unlucky run does not).
    With ``warm_up``, one untimed run first (it fills each amount's cached hash)."""
    if warm_up:
        fn()
    times: list[float] = []
    out = None
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        out = fn()
        times.append(time.process_time() - start)
    return statistics.median(times), out


def traced_peak_mb(fn: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round(peak / 2**20, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, a smoke run")
    args = parser.parse_args(argv)
    if args.quick:
        sizes, n_tx, n_contacts = (1_000, 3_000, 10_000), 10_000, 500
    else:
        sizes, n_tx, n_contacts = (10_000, 100_000, 1_000_000), 1_000_000, 50_000
    small, large = sizes[0], sizes[-1]
    # more runs where a run is short, so that the median is steady
    tx_repeat = dict(zip(sizes, (9, 5, 5), strict=True))
    contact_repeat = dict(zip(sizes, (9, 3, 3), strict=True))

    t0 = time.perf_counter()
    docs = make_transactions(n_tx, n_contacts)
    all_contacts = make_contacts(max(large, n_contacts))
    ledger_contacts = all_contacts[:n_contacts]
    generate_s = time.perf_counter() - t0
    as_of = AS_OF

    tx: dict[str, Any] = {"seconds": {}, "found": {}}
    for n in sizes:
        snap = snapshot_of(docs[:n], ledger_contacts)
        secs, res = timed(
            partial(run_check, "duplicate-transactions", snap, TX_PARAMS, as_of=as_of),
            tx_repeat[n],
            warm_up=True,
        )
        tx["seconds"][str(n)] = round(secs, 4)
        tx["found"][str(n)] = sum(1 for f in res.findings if f.code == "possible-duplicate")
    snap_small = snapshot_of(docs[:small], ledger_contacts)
    naive_s, naive_pairs = timed(lambda: naive_duplicate_transactions(snap_small), 1)
    start = as_of - dt.timedelta(days=3660)
    _, clusters = find_clusters(snap_small, start, as_of, True, WINDOW)
    fast_pairs = {
        (a.id, b.id) if a.id < b.id else (b.id, a.id)
        for _, cluster in clusters
        for a, b in combinations(cluster, 2)
        if abs((a.date - b.date).days) <= WINDOW
    }
    tx["naive_seconds_" + str(small)] = round(naive_s, 4)
    tx["speedup_vs_naive"] = round(naive_s / tx["seconds"][str(small)], 1)
    tx["growth"] = round(tx["seconds"][str(large)] / tx["seconds"][str(small)], 1)
    tx["agrees_with_naive"] = naive_pairs == fast_pairs
    snap_large = snapshot_of(docs[:large], ledger_contacts)
    tx_peak = traced_peak_mb(
        lambda: run_check("duplicate-transactions", snap_large, TX_PARAMS, as_of=as_of)
    )
    del snap_large

    ct: dict[str, Any] = {"seconds": {}, "found": {}}
    for n in sizes:
        snap = snapshot_of(docs[:n], all_contacts[:n])
        secs, res = timed(
            partial(run_check, "duplicate-contacts", snap, CONTACT_PARAMS, as_of=as_of),
            contact_repeat[n],
        )
        ct["seconds"][str(n)] = round(secs, 4)
        ct["found"][str(n)] = len(res.findings)
    whole = snapshot_of(docs, ledger_contacts)
    secs, _ = timed(lambda: run_check("duplicate-contacts", whole, CONTACT_PARAMS, as_of=as_of), 1)
    ct["whole_ledger_seconds"] = round(secs, 4)
    keys = distinct_names(all_contacts[:small])
    naive_s, naive_pairs_c = timed(lambda: naive_duplicate_contacts(keys), 1)
    fast_c = set(matching_pairs(keys, "close"))
    ct["naive_seconds_" + str(small)] = round(naive_s, 4)
    ct["speedup_vs_naive"] = round(naive_s / ct["seconds"][str(small)], 1)
    ct["growth"] = round(ct["seconds"][str(large)] / ct["seconds"][str(small)], 1)
    ct["agrees_with_naive"] = naive_pairs_c == fast_c
    snap_large = snapshot_of(docs[:large], all_contacts[:large])
    ct_peak = traced_peak_mb(
        lambda: run_check("duplicate-contacts", snap_large, CONTACT_PARAMS, as_of=as_of)
    )

    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    met_detail = {
        "duplicate_transactions_growth": tx["growth"] <= MAX_GROWTH,
        "duplicate_transactions_speedup": tx["speedup_vs_naive"] >= MIN_SPEEDUP,
        "duplicate_contacts_growth": ct["growth"] <= MAX_GROWTH,
        "duplicate_contacts_speedup": ct["speedup_vs_naive"] >= MIN_SPEEDUP,
        "agree_with_naive": tx["agrees_with_naive"] and ct["agrees_with_naive"],
    }
    out = {
        "benchmark": "insights",
        "quick": args.quick,
        "python": platform.python_version(),
        "ledger": {"transactions": n_tx, "contacts": n_contacts},
        "sizes": list(sizes),
        "generate_seconds": round(generate_s, 1),
        "duplicate_transactions": tx,
        "duplicate_contacts": ct,
        "baseline": f"naive pairwise comparison at {small:,} records",
        "peak_memory_mb": {
            "duplicate_transactions_traced": tx_peak,
            "duplicate_contacts_traced": ct_peak,
            "process_max_rss": round(rss_kb / 1024, 1),
        },
        "target": {
            "max_growth": MAX_GROWTH,
            "growth": f"time at {large:,} / time at {small:,} (n log n would be about 150x)",
            "min_speedup_vs_naive": MIN_SPEEDUP,
        },
        "met_detail": met_detail,
        "met": all(met_detail.values()),
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
