"""Running data checks: one by id, a set of them, or a workflow template's automated checks.

Checks come from the registry of :mod:`workflowkit.templates.data_checks` (built-ins
and ``workflowkit.data_checks`` entry points). Parameters are validated against the
check's model before it runs. A plugin that raises, or returns something other than a
:class:`~workflowkit.insights.results.CheckResult`, gives a failed result (outcome
``issues``, one ``check-failed`` error finding) instead of stopping the other checks; a
built-in that raises is a bug and propagates.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from workflowkit.errors import InsightsError, checked_dates
from workflowkit.insights.errors import CheckDateError, CheckParamsError, UnknownDataCheckError
from workflowkit.insights.results import CheckResult, Finding, FindingSeverity
from workflowkit.insights.snapshot import MAX_DATE, MIN_DATE, LedgerSnapshot
from workflowkit.templates.data_checks import (
    DataCheckInfo,
    Runner,
    builtin_data_checks,
    data_check_registry,
)
from workflowkit.templates.resolve import ResolvedTemplate

_RUNNERS: dict[str, Runner] = {}


def get_data_check(check_id: str) -> DataCheckInfo:
    """The registered data check ``check_id`` (:class:`UnknownDataCheckError` if none)."""
    registry = data_check_registry()
    info = registry.get(check_id)
    if info is None:
        raise UnknownDataCheckError(check_id, list(registry))
    return info


def runner_of(info: DataCheckInfo) -> Runner:
    """The function that runs ``info`` (a ``"module:function"`` string is imported once)."""
    if callable(info.run):
        return info.run
    if not isinstance(info.run, str) or ":" not in info.run:
        raise InsightsError(f"data check {info.id!r} has no run function")
    cached = _RUNNERS.get(info.run)
    if cached is None:
        module, _, attr = info.run.partition(":")
        try:
            cached = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as exc:
            raise InsightsError(f"data check {info.id!r}: cannot import {info.run}: {exc}") from exc
        if not callable(cached):
            raise InsightsError(f"data check {info.id!r}: {info.run} is not callable")
        _RUNNERS[info.run] = cached
    return cached


def check_params(info: DataCheckInfo, params: Mapping[str, Any] | BaseModel | None) -> BaseModel:
    """``params`` validated against the check's parameter model (defaults for None)."""
    if isinstance(params, info.params):
        return params
    data = params.model_dump() if isinstance(params, BaseModel) else dict(params or {})
    try:
        return info.params.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            pointer = "".join(f"/{p}" for p in err["loc"])
            where = pointer.lstrip("/") or "params"
            text = str(err["msg"]).removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                text = f"unknown parameter {err['loc'][-1]!r}"
                where = "params"
            problems.append((pointer, f"{where}: {text}"))
        raise CheckParamsError(info.id, problems) from None


def _failed(info: DataCheckInfo, why: str) -> CheckResult:
    return CheckResult(
        check=info.id,
        outcome="issues",
        summary=f"The check could not run: {why}",
        findings=(Finding(code="check-failed", severity=FindingSeverity.ERROR, message=why),),
    )


def check_as_of(as_of: dt.date) -> dt.date:
    """``as_of`` itself, or :class:`CheckDateError` when it is outside the dates the checks
    support (``MIN_DATE`` to ``MAX_DATE``: they look a century back and months ahead)."""
    if not MIN_DATE <= as_of <= MAX_DATE:
        raise CheckDateError(
            f"as-of date {as_of.isoformat()} is outside the dates the checks support "
            f"({MIN_DATE.isoformat()} to {MAX_DATE.isoformat()})"
        )
    return as_of


@checked_dates
def run_check(
    check: str | DataCheckInfo,
    snapshot: LedgerSnapshot,
    params: Mapping[str, Any] | BaseModel | None = None,
    *,
    as_of: dt.date,
) -> CheckResult:
    """Run one data check on ``snapshot`` as of ``as_of``.

    ``check`` is a registered id or a :class:`DataCheckInfo` (for example a plugin not
    installed through an entry point). Raises :class:`UnknownDataCheckError` and
    :class:`CheckParamsError` before anything runs.
    """
    check_as_of(as_of)
    info = get_data_check(check) if isinstance(check, str) else check
    valid = check_params(info, params)
    run = runner_of(info)
    if info in builtin_data_checks():
        try:
            return run(snapshot, valid, as_of=as_of)  # type: ignore[no-any-return]
        except OverflowError as exc:  # records built in code, outside the loader's range
            raise CheckDateError(
                f"data check {info.id!r}: a date of the snapshot or the parameters is too "
                f"near the end of the calendar ({exc}); dates must be from "
                f"{MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"
            ) from None
    try:
        out = run(snapshot, valid, as_of=as_of)
    except Exception as exc:  # a plugin's failure must not stop the other checks
        return _failed(info, f"{type(exc).__name__}: {exc}")
    if not isinstance(out, CheckResult):
        return _failed(info, f"it returned {type(out).__name__}, not a CheckResult")
    return out


@checked_dates
def run_checks(
    checks: Mapping[str, Mapping[str, Any] | BaseModel | None] | Iterable[str],
    snapshot: LedgerSnapshot,
    *,
    as_of: dt.date,
) -> dict[str, CheckResult]:
    """Run several data checks: ids with their parameters (or just ids, for defaults)."""
    plan = dict(checks) if isinstance(checks, Mapping) else dict.fromkeys(checks)
    check_as_of(as_of)
    for check_id, params in plan.items():  # every problem before anything runs
        check_params(get_data_check(check_id), params)
    return {cid: run_check(cid, snapshot, params, as_of=as_of) for cid, params in plan.items()}


def runnable_with_defaults() -> list[str]:
    """Registered checks whose parameters all have defaults (those ``run_all`` runs)."""
    out = []
    for check_id, info in data_check_registry().items():
        try:
            info.params.model_validate({})
        except ValidationError:
            continue
        out.append(check_id)
    return out


@checked_dates
def run_all(snapshot: LedgerSnapshot, *, as_of: dt.date) -> dict[str, CheckResult]:
    """Every registered check that can run with default parameters."""
    return run_checks(runnable_with_defaults(), snapshot, as_of=as_of)


@checked_dates
def run_template_checks(
    template: ResolvedTemplate, snapshot: LedgerSnapshot, *, as_of: dt.date
) -> dict[str, CheckResult]:
    """Run each automated check of ``template`` with its parameters.

    The result is keyed by the template's check id (one data check may appear twice
    with different parameters); each :class:`CheckResult` carries its findings and a
    ``suggested_status`` for the review engine to attach to the instance's check.
    Unknown data checks and bad parameters raise before anything runs.
    """
    check_as_of(as_of)
    automated = [c for c in template.checks if c.kind == "automated" and c.data_check]
    for c in automated:
        info = get_data_check(c.data_check)  # type: ignore[arg-type]
        try:
            check_params(info, c.params)
        except CheckParamsError as exc:
            raise CheckParamsError(
                info.id,
                [(p, f"check {c.id!r} of template {template.id!r}: {m}") for p, m in exc.problems],
            ) from None
    return {
        c.id: run_check(c.data_check, snapshot, c.params, as_of=as_of)  # type: ignore[arg-type]
        for c in automated
    }
