"""The ``--format json`` outputs of the CLI: one typed model per output, with its format
name and version, and the JSON Schemas published from them in ``schemas/output/``.

See docs/outputs.md for each output and the rule for changing a format's version.
"""

from __future__ import annotations

from workflowkit.cli.outputs.base import Output, build, dump, render

__all__ = ["Output", "build", "dump", "render"]
