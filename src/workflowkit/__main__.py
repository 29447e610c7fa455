"""``python -m workflowkit``."""

from workflowkit.cli.main import main

raise SystemExit(main())
