"""The catalogue of diagnostic codes.

Codes are stable: once released, a code keeps its meaning forever (a retired code is
never reused). Every code here is documented, with an example, in
``docs/diagnostics.md``; a test fails when one is missing there.

Ranges: WK1xx reading files and the document shape, WK2xx templates, WK3xx clients,
workflows and calendars, WK4xx review, WK5xx rule sets, WK6xx intelligent checks,
WK7xx running the practice, WK8xx the team.
"""

from __future__ import annotations

from typing import Final

CODES: Final[dict[str, str]] = {
    # --- WK1xx: reading files, document shape (workflowkit.source) ---
    "WK100": "file cannot be read (missing, a folder, not UTF-8)",
    "WK101": "YAML syntax error",
    "WK102": "JSON syntax error",
    "WK103": "duplicate key in a mapping",
    "WK104": "custom or unsupported YAML tag",
    "WK105": "document root is not a mapping",
    "WK106": "more than one document in a file",
    "WK107": "empty document",
    "WK108": "file larger than the size limit",
    "WK109": "nesting deeper than the depth limit",
    "WK110": "alias expansion past the limit (billion laughs)",
    "WK111": "missing or unknown apiVersion",
    "WK112": "missing or unknown kind",
    "WK113": "unknown key",
    "WK114": "wrong type",
    "WK115": "missing required key",
    "WK116": "invalid value",
    "WK117": "mapping key is not a string",
    "WK118": "YAML merge keys (<<) are not supported",
    "WK119": "more diagnostics in one file than are listed (and N more)",
    "WK120": "number too long to read (an integer of over 4,300 digits)",
    "WK125": "ambiguous library check: `use:` without `library:` that two libraries define",
    "WK126": "folder cannot be read, or a path behind one cannot be reached (permission, I/O)",
    "WK127": "symbolic link that leads to no file (its target is missing, or a loop)",
    "WK128": "not a regular file: a FIFO, socket or device",
    # --- WK2xx: templates and check libraries (workflowkit.templates) ---
    "WK201": "duplicate check id in a template",
    "WK202": "unknown library check",
    "WK203": "unknown extends target",
    "WK204": "extends cycle",
    "WK205": "extends chain deeper than the limit",
    "WK206": "unknown data check",
    "WK207": "invalid data check parameters",
    "WK208": "version is not semantic versioning",
    "WK209": "too many checks",
    "WK210": "customisation names a check the base template does not have",
    "WK211": "duplicate document id across files",
    "WK212": "check kind and data check disagree",
    "WK213": "review policy problem",
    "WK214": "duplicate check id in a check library",
    # WK215-WK219: the configuration file ([tool.workflowkit] / workflowkit.yaml)
    "WK215": "configuration file syntax error (TOML or YAML)",
    "WK216": "unknown key in the configuration",
    "WK217": "configuration value of the wrong type",
    "WK218": "bad configuration value (glob, format, empty)",
    "WK219": "two configuration files in one folder",
    # --- WK3xx: clients, workflows, calendars (workflowkit.calendar) ---
    "WK301": "duplicate client id",
    "WK302": "non-standard VAT periods overlap or are out of order",
    "WK303": "bank-holiday file missing or invalid",
    "WK304": "client dates contradict each other",
    "WK310": "invalid cron expression",
    "WK311": "cron fires more than once a day",
    "WK312": "cron fires too rarely (or never)",
    "WK313": "trigger options do not fit the trigger",
    "WK314": "one-off dates inconsistent",
    "WK315": "reviewers do not fit the template's review policy",
    "WK316": "template version range is malformed",
    "WK320": "unknown client",
    "WK321": "client selection matches nothing",
    "WK322": "unknown template",
    "WK323": "no template version matches the range",
    "WK324": "client lacks the data a trigger or deadline needs",
    "WK325": "deadline or event does not apply to the client",
    "WK326": "duplicate workflow id across files",
    "WK330": "date outside the range the calendar can plan with",
    "WK331": "change of accounting reference date breaks Companies Act 2006 s.392",
    "WK340": "per_client names a client the workflow does not select, or one twice",
    # --- WK4xx: review (workflowkit.review) ---
    # --- WK5xx: rule sets (workflowkit.rules) ---
    "WK501": "rule names an unknown payment method",
    "WK502": "user rule for an unknown user",
    "WK503": "two rules for the same supplier or customer",
    "WK504": "auto-publish never fires: an approval workflow covers every item",
    "WK505": "value a higher layer always overrides",
    "WK506": "Smart Split lines cannot add up",
    "WK507": "Smart Split together with line item extraction",
    "WK508": "duplicate rule id in a rule set",
    "WK509": "two rules for the same payment method or user",
    "WK510": "rule set id or client used by two rule sets",
    "WK511": "rule set for an unknown client",
    "WK512": "rule that sets nothing or has no effect",
    # --- WK6xx: intelligent checks (workflowkit.insights) ---
    "WK601": "ledger snapshot cannot be read (missing, wrong kind of file, too large, not UTF-8)",
    "WK602": "ledger snapshot syntax error (JSON or CSV)",
    "WK603": "invalid value in a ledger snapshot",
    "WK604": "CSV export folder problem (unknown file, missing or unknown column, rows disagree)",
    "WK605": "record id used twice in a ledger snapshot",
    "WK606": "reference to a record the ledger snapshot does not have",
    "WK607": "ledger snapshot over its size limit (bytes or rows)",
    "WK608": "entry of a ledger snapshot is a directory, FIFO or device, not a file",
    "WK609": "date outside the range the checks support (1900-01-01 to 2999-12-31)",
    # --- WK7xx: running the practice (workflowkit.run) ---
    "WK701": "workflow skipped by run: its template or version range resolves to nothing",
    "WK702": "client skipped by run: it lacks the data the workflow's trigger needs",
    "WK703": "occurrence skipped by run: its instance cannot start as the workflow says",
    "WK704": "one-off occurrence already covered by another workflow's instance",
    "WK705": "work due during an absence that no stand-in can take: the person keeps it",
    # --- WK8xx: the team (workflowkit.team) ---
    "WK801": "person id that is not safe: invisible characters or look-alike letters",
    "WK802": "duplicate person or role id (person ids compared in their normal form)",
    "WK803": "person with an unknown role",
    "WK804": "absence stand-in who cannot stand in (themself, or left before the absence)",
    "WK805": "person not on the team (assignee, reviewer, stand-in or default reviewer)",
    "WK806": "default reviewer whose roles may not review at that level",
    "WK807": "more than one Team in a practice",
    "WK808": "assignee whose roles may not prepare work",
    "WK809": "reviewer whose roles may not review at that level",
    "WK811": "assignee or reviewer who has left the practice",
}


def describe(code: str) -> str:
    """The one-line title of a code (``KeyError`` for an unknown code)."""
    return CODES[code]
