"""The top-level API: every name in ``__all__`` resolves, lazily."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import workflowkit

SUBPACKAGES = ["templates", "calendar", "review", "store", "rules", "insights"]


@pytest.mark.parametrize("name", workflowkit.__all__)
def test_every_exported_name_resolves(name: str) -> None:
    assert getattr(workflowkit, name) is not None


@pytest.mark.parametrize("package", SUBPACKAGES)
def test_subpackages_declare_and_honour_all(package: str) -> None:
    module = importlib.import_module(f"workflowkit.{package}")
    assert module.__all__, package
    for name in module.__all__:
        assert hasattr(module, name), f"workflowkit.{package}.{name}"


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        _ = workflowkit.no_such_thing  # type: ignore[attr-defined]


def test_import_is_cheap() -> None:
    code = "import sys, workflowkit; print('pydantic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_all_lists_exactly_the_lazy_names() -> None:
    from workflowkit import _LAZY

    assert set(workflowkit.__all__) == {"__version__", *_LAZY}
