"""Intelligent checks: a client's ledger snapshot, data checks over it, and a health score.

Load a snapshot (a JSON file or a folder of CSV exports) or build one from a live
ledger through a :class:`LedgerSource`; run data checks by id, all of them, or a
template's automated checks; combine the results into a health score. See
``docs/insights.md``.
"""

from workflowkit.insights.errors import (
    CheckDateError,
    CheckParamsError,
    SnapshotError,
    UnknownDataCheckError,
)
from workflowkit.insights.health import (
    DEFAULT_WEIGHTS,
    HealthBand,
    HealthComponent,
    HealthConfig,
    HealthScore,
    band_of,
    finding_key,
    health_score,
)
from workflowkit.insights.load import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    SNAPSHOT_FORMAT,
    load_snapshot,
    parse_snapshot_json,
    save_snapshot,
    snapshot_from_data,
    snapshot_to_data,
)
from workflowkit.insights.names import NameKey, match_reason, normalise
from workflowkit.insights.results import CheckResult, Finding, FindingSeverity, RecordRef
from workflowkit.insights.runner import (
    get_data_check,
    run_all,
    run_check,
    run_checks,
    run_template_checks,
)
from workflowkit.insights.snapshot import (
    Account,
    Allocation,
    BankAccount,
    BankTransaction,
    Contact,
    CreditNote,
    FixedAsset,
    Invoice,
    Journal,
    JournalLine,
    LedgerSnapshot,
    LedgerSource,
    Line,
    LockDateChange,
    Organisation,
    RepeatingInvoice,
    TaxRate,
    read_source,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_WEIGHTS",
    "SNAPSHOT_FORMAT",
    "Account",
    "Allocation",
    "BankAccount",
    "BankTransaction",
    "CheckDateError",
    "CheckParamsError",
    "CheckResult",
    "Contact",
    "CreditNote",
    "Finding",
    "FindingSeverity",
    "FixedAsset",
    "HealthBand",
    "HealthComponent",
    "HealthConfig",
    "HealthScore",
    "Invoice",
    "Journal",
    "JournalLine",
    "LedgerSnapshot",
    "LedgerSource",
    "Line",
    "LockDateChange",
    "NameKey",
    "Organisation",
    "RecordRef",
    "RepeatingInvoice",
    "SnapshotError",
    "TaxRate",
    "UnknownDataCheckError",
    "band_of",
    "finding_key",
    "get_data_check",
    "health_score",
    "load_snapshot",
    "match_reason",
    "normalise",
    "parse_snapshot_json",
    "read_source",
    "run_all",
    "run_check",
    "run_checks",
    "run_template_checks",
    "save_snapshot",
    "snapshot_from_data",
    "snapshot_to_data",
]
