"""Building the engine's frozen objects quickly: drafts.

Each command makes a new :class:`~workflowkit.review.state.Instance`, an
:class:`~workflowkit.review.events.Event` and often a check state or a comment: frozen,
slotted dataclasses. Their own ``__init__`` runs the checks of ``__post_init__`` (the
engine's inputs were checked already) and sets each field with ``object.__setattr__``;
setting a frozen slot from Python through its descriptor is no better, a C call that
packs its arguments in a tuple, several hundred machine instructions a field.

The hot path fills a *draft* instead: a subclass that adds no slots and sets attributes
the plain way, which CPython stores straight into the slot. The filled draft then
becomes the frozen class by assigning ``__class__``, which CPython allows because the
two have the same layout. From then on the object is exactly an instance of the frozen
class: ``type(o) is Instance``, it compares and hashes as one, and setting a field
raises ``FrozenInstanceError``. A draft never leaves the function that fills it.

    o = INSTANCE_DRAFT()
    o.setup = setup
    ...
    o.__class__ = Instance
"""

from __future__ import annotations

from typing import Any, Final

from workflowkit.review.events import Event
from workflowkit.review.state import Attachment, CheckState, Comment, Findings, Instance, Setup

__all__ = [
    "ATTACHMENT_DRAFT",
    "CHECK_STATE_DRAFT",
    "COMMENT_DRAFT",
    "EVENT_DRAFT",
    "FINDINGS_DRAFT",
    "INSTANCE_DRAFT",
    "SETUP_DRAFT",
    "draft_of",
]


def draft_of(cls: type) -> type[Any]:
    """The draft class of a frozen, slotted dataclass ``cls`` (see the module's text)."""
    slots = cls.__dict__.get("__slots__")
    if slots is None or "__dict__" in slots or not hasattr(cls, "__dataclass_fields__"):
        raise TypeError(f"{cls.__name__} is not a slotted dataclass")
    return type(
        f"{cls.__name__}Draft",
        (cls,),
        {
            "__slots__": (),
            "__module__": __name__,
            "__doc__": f"A mutable twin of {cls.__name__}, turned into one by __class__.",
            # The plain C slots, so attribute setting goes straight to the slot...
            "__setattr__": object.__setattr__,
            "__delattr__": object.__delattr__,
            # ...and ``Draft()`` makes an empty object without running ``__post_init__``.
            "__init__": object.__init__,
        },
    )


INSTANCE_DRAFT: Final = draft_of(Instance)
EVENT_DRAFT: Final = draft_of(Event)
CHECK_STATE_DRAFT: Final = draft_of(CheckState)
COMMENT_DRAFT: Final = draft_of(Comment)
FINDINGS_DRAFT: Final = draft_of(Findings)
ATTACHMENT_DRAFT: Final = draft_of(Attachment)
SETUP_DRAFT: Final = draft_of(Setup)
