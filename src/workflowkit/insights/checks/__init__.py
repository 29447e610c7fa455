"""The built-in data checks, one module each; every module has ``run(snapshot, params, *,
as_of) -> CheckResult``. They are found through :mod:`workflowkit.templates.data_checks`."""
