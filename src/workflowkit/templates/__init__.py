"""Templates: the template language, resolution (extends, libraries) and the built-ins."""

from workflowkit.templates.builtins import builtin_dir, builtin_documents
from workflowkit.templates.data_checks import (
    DataCheckInfo,
    DataCheckParams,
    data_check_registry,
)
from workflowkit.templates.models import (
    Check,
    CheckLibrary,
    CheckStatus,
    LibraryCheckRef,
    Requirements,
    ReviewLevel,
    ReviewPolicy,
    Section,
    WorkflowTemplate,
)
from workflowkit.templates.resolve import (
    AmbiguousLibraryCheck,
    ResolutionMemo,
    ResolvedCheck,
    ResolvedTemplate,
    TemplateRegistry,
    resolve_template,
)

__all__ = [
    "AmbiguousLibraryCheck",
    "Check",
    "CheckLibrary",
    "CheckStatus",
    "DataCheckInfo",
    "DataCheckParams",
    "LibraryCheckRef",
    "Requirements",
    "ResolutionMemo",
    "ResolvedCheck",
    "ResolvedTemplate",
    "ReviewLevel",
    "ReviewPolicy",
    "Section",
    "TemplateRegistry",
    "WorkflowTemplate",
    "builtin_dir",
    "builtin_documents",
    "data_check_registry",
    "resolve_template",
]
