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
  (tracemalloc, in an untimed run, printed beside each check's figures too) and the
  process's peak resident size;
- measures the memory of a loaded snapshot (issue 18): writes a folder of CSV exports
  with 1,000,000 bank transactions (one line each, about 95 MB) and loads it with
  ``load_snapshot_csv`` in a fresh process, which reports its resident size before and
  after loading and its peak. The target: at most 1 KB per transaction, counting the
  peak (everything the load needed at once), not only what the snapshot keeps.

Each time is the median CPU time (``time.process_time``) of several runs (9 at the
smallest size, 5 or 3 at the others; duplicate-transactions after one untimed run, which
fills the amounts' cached hashes), each started with the CPU caches flushed (see
:func:`timed`). Prints one JSON line. Targets (issue 6): growth no
worse than n log n, so the 1,000,000 time is at most about 120x the 10,000 time; at
10,000 records each check is at least 50x faster than the naive baseline; a loaded
snapshot costs at most 1,024 bytes of resident memory per transaction.

    python benchmarks/insights.py            # the full run (a few minutes)
    python benchmarks/insights.py --quick    # tiny sizes, a smoke run
"""

from __future__ import annotations

import argparse
import csv
import ctypes
import datetime as dt
import gc
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
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
MAX_BYTES_PER_TRANSACTION = 1024

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
# Snapshot memory: a folder of CSV exports loaded in a fresh process
# ---------------------------------------------------------------------------------

BANK_COLUMNS = (
    "id",
    "bank_account_id",
    "kind",
    "date",
    "total",
    "currency",
    "contact_id",
    "reference",
    "reconciled",
    "status",
    "line_amount",
    "line_account_code",
    "line_tax_code",
    "line_tax_amount",
    "line_description",
)
REFERENCES = ("Card 1234", "DD OFFICE", "BACS", "FPS", "SO RENT", "CHQ")


def write_bank_export(folder: Path, rows: int, contacts: int = 2_000, seed: int = 7) -> int:
    """A folder of CSV exports: ``rows`` bank transactions of one line each (a bank feed
    over three years, 2,000 contacts). Returns the bytes written."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "organisation.csv").write_text(
        f"as_of,name,source\n{AS_OF.isoformat()},Benchmark Ltd,xero\n", encoding="utf-8"
    )
    (folder / "bank_accounts.csv").write_text(
        "id,name,currency,account_code\nbank,Current,GBP,090\n", encoding="utf-8"
    )
    (folder / "accounts.csv").write_text(
        "id,name,code,type\na090,Current,090,bank\na200,Sales,200,revenue\n"
        "a429,General Expenses,429,expense\n",
        encoding="utf-8",
    )
    with (folder / "contacts.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(("id", "name", "type"))
        for c in range(contacts):
            out.writerow((f"c{c}", f"{_word(rng)} {_word(rng)} Ltd", _kind(c)))
    days = (AS_OF - START).days
    with (folder / "bank_transactions.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(BANK_COLUMNS)
        for i in range(rows):
            c = rng.randrange(contacts)
            sales = _kind(c) == "customer"
            amount = str(Decimal(rng.randrange(100, 2_000_000)).scaleb(-2))
            if rng.random() < 0.7:
                reference = rng.choice(REFERENCES)
            else:
                reference = f"REF{rng.randrange(10**6)}"
            out.writerow(
                (
                    f"t{i}",
                    "bank",
                    "receive" if sales else "spend",
                    (START + dt.timedelta(days=rng.randrange(days))).isoformat(),
                    amount,
                    "GBP",
                    f"c{c}",
                    reference,
                    "true" if rng.random() < 0.9 else "false",
                    "authorised",
                    amount,
                    "200" if sales else "429",
                    "OUTPUT2" if sales else "INPUT2",
                    "0",
                    "",
                )
            )
    return sum(p.stat().st_size for p in folder.iterdir())


def _kind(contact: int) -> str:
    return "customer" if contact % 3 == 0 else "supplier"


def _resident_bytes() -> int:
    """This process's resident size now (Linux), else its peak so far."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return _peak_resident_bytes()


def _peak_resident_bytes() -> int:
    """This process's peak resident size. On Linux from ``VmHWM``: ``ru_maxrss`` keeps
    the peak of the parent a child was forked from, across ``exec``."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def measure_load(folder: str) -> dict[str, Any]:
    """In this (fresh) process: load the folder, and the resident sizes around it.

    A ten-row export is loaded first, so that what any load costs once (the validators
    built on first use) is not counted per transaction."""
    from workflowkit.insights.csvload import load_snapshot_csv

    with tempfile.TemporaryDirectory(prefix="wk-bench-") as tmp:
        write_bank_export(Path(tmp), 10)
        load_snapshot_csv(tmp)
    gc.collect()
    before = _resident_bytes()
    start = time.process_time()
    snapshot = load_snapshot_csv(folder, max_rows=10**9)
    seconds = time.process_time() - start
    gc.collect()
    return {
        "transactions": snapshot.record_count(),
        "seconds": seconds,
        "rss_before": before,
        "rss_after": _resident_bytes(),
        "rss_peak": _peak_resident_bytes(),
    }


def snapshot_memory(rows: int) -> dict[str, Any]:
    """Write a bank export of ``rows`` transactions and load it in a child process."""
    with tempfile.TemporaryDirectory(prefix="wk-bench-") as tmp:
        folder = Path(tmp) / "export"
        size = write_bank_export(folder, rows)
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--measure-load", str(folder)],
            capture_output=True,
            text=True,
            check=True,
        )
    got = json.loads(proc.stdout)
    n = got["transactions"]
    mb = 2**20
    return {
        "transactions": n,
        "csv_mb": round(size / mb, 1),
        "csv_bytes_per_transaction": round(size / n),
        "load_cpu_seconds": round(got["seconds"], 1),
        "rss_before_mb": round(got["rss_before"] / mb, 1),
        "rss_after_mb": round(got["rss_after"] / mb, 1),
        "rss_peak_mb": round(got["rss_peak"] / mb, 1),
        "retained_bytes_per_transaction": round((got["rss_after"] - got["rss_before"]) / n),
        "rss_delta_bytes_per_transaction": round((got["rss_peak"] - got["rss_before"]) / n),
        "max_bytes_per_transaction": MAX_BYTES_PER_TRANSACTION,
    }


# ---------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------


FLUSH_BYTES = 64 << 20
"""Twice the last-level cache of the 2-core machines these figures come from (32 MB)."""
_flush_buffer = bytearray(0)


def flush_caches() -> None:
    """Write a buffer larger than the CPU's caches, so that the next run reads its data
    from memory, whatever size it is."""
    global _flush_buffer
    if not _flush_buffer:
        _flush_buffer = bytearray(FLUSH_BYTES)
    view = (ctypes.c_char * FLUSH_BYTES).from_buffer(_flush_buffer)
    ctypes.memset(view, (_flush_buffer[0] + 1) % 256, FLUSH_BYTES)


def timed(fn: Callable[[], Any], repeat: int, warm_up: bool = False) -> tuple[float, Any]:
    """The median CPU time of ``repeat`` runs (CPU time, so that other processes on a
    busy machine do not count; the median, so that one lucky or unlucky run does not).
    With ``warm_up``, one untimed run first (it fills each amount's cached hash).

    Each run starts with the caches flushed (:func:`flush_caches`). A large size never
    fits in the cache; without the flush a small one stays there between runs, or not,
    depending on what else the machine runs, and the growth from 10,000 to 1,000,000
    measured the neighbours (79x and 134x in two runs of the same code, only the
    10,000 time differing). With it, every size is timed from memory, and the growth is
    the algorithm's."""
    if warm_up:
        fn()
    times: list[float] = []
    out = None
    for _ in range(repeat):
        gc.collect()
        flush_caches()
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
    parser.add_argument("--measure-load", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure_load:  # the child process of snapshot_memory()
        print(json.dumps(measure_load(args.measure_load)))
        return 0
    if args.quick:
        sizes, n_tx, n_contacts = (1_000, 3_000, 10_000), 10_000, 500
        csv_rows = 20_000
    else:
        sizes, n_tx, n_contacts = (10_000, 100_000, 1_000_000), 1_000_000, 50_000
        csv_rows = 1_000_000
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

    tx["traced_mb_" + str(large)] = tx_peak
    ct["traced_mb_" + str(large)] = ct_peak
    memory = snapshot_memory(csv_rows)

    rss_mb = _peak_resident_bytes() / 2**20
    met_detail = {
        "duplicate_transactions_growth": tx["growth"] <= MAX_GROWTH,
        "duplicate_transactions_speedup": tx["speedup_vs_naive"] >= MIN_SPEEDUP,
        "duplicate_contacts_growth": ct["growth"] <= MAX_GROWTH,
        "duplicate_contacts_speedup": ct["speedup_vs_naive"] >= MIN_SPEEDUP,
        "agree_with_naive": tx["agrees_with_naive"] and ct["agrees_with_naive"],
        "snapshot_memory": memory["rss_delta_bytes_per_transaction"] <= MAX_BYTES_PER_TRANSACTION,
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
            "process_max_rss": round(rss_mb, 1),
        },
        "snapshot_memory": memory,
        "target": {
            "max_growth": MAX_GROWTH,
            "growth": f"time at {large:,} / time at {small:,} (n log n would be about 150x)",
            "min_speedup_vs_naive": MIN_SPEEDUP,
            "max_snapshot_bytes_per_transaction": MAX_BYTES_PER_TRANSACTION,
            "snapshot_memory": "resident size at the peak of loading a CSV export, less the "
            "size before it, per transaction",
        },
        "met_detail": met_detail,
        "met": all(met_detail.values()),
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
