"""How a store keeps start events small: the pinned template once, by content hash.

A start event carries the whole checklist it pinned (often 15-20 KB of JSON). A practice
starts thousands of instances of the same few template versions, so a store keeps each
distinct template text once, under the SHA-256 of its canonical JSON, and stores the
event with the template replaced by that hash. Loading puts it back byte for byte, so
the event read is the event written and its hash still verifies.

The swap is exact: in canonical JSON a structural ``"template":`` can only be the start
command's key (inside a string every quote is escaped), and the template's text is the
canonical JSON of the pinned model (``template_json``).
"""

from __future__ import annotations

from collections.abc import Callable
from hashlib import sha256
from typing import Final

from workflowkit.review.cache import evict_one
from workflowkit.review.commands import Start, template_json
from workflowkit.review.events import Event
from workflowkit.templates.resolve import ResolvedTemplate

_KEY: Final = '"template":'
_REF: Final = '"template":"sha256:'


def template_hash(text: str) -> str:
    """The content hash a store files a template's canonical JSON under."""
    return sha256(text.encode("utf-8")).hexdigest()


_DIGESTS: dict[int, tuple[ResolvedTemplate, str, str]] = {}
_DIGESTS_LIMIT: Final = 256


def pinned(template: ResolvedTemplate) -> tuple[str, str]:
    """``(canonical JSON, content hash)`` of a pinned template; computed once per
    template object (instances of one template version share one pinned copy)."""
    hit = _DIGESTS.get(id(template))
    if hit is not None and hit[0] is template:
        return hit[1], hit[2]
    text = template_json(template)
    digest = template_hash(text)
    if len(_DIGESTS) >= _DIGESTS_LIMIT:
        evict_one(_DIGESTS)
    _DIGESTS[id(template)] = (template, text, digest)
    return text, digest


def pack(event: Event, text: str) -> tuple[str, str | None, str | None]:
    """``(stored body, template hash, template text)`` for an event's canonical ``text``.

    Events other than a start are stored as they are (hash and template ``None``).
    """
    command = event.command
    if not isinstance(command, Start):
        return text, None, None
    tpl, digest = pinned(command.template)
    at = text.find(_KEY + "{")  # the first structural one is the start command's
    end = at + len(_KEY) + len(tpl)
    if at < 0 or not text.startswith(tpl, at + len(_KEY)):
        return text, digest, tpl  # not canonical: store it whole rather than guess
    return text[:at] + _REF + digest + '"' + text[end:], digest, tpl


def unpack(body: str, template: Callable[[str], str]) -> str:
    """The event's canonical JSON from a stored ``body``; ``template(hash)`` gives the
    template text filed under a hash."""
    at = body.find(_REF)
    if at < 0:
        return body
    start = at + len(_REF)
    digest = body[start : start + 64]
    return body[:at] + _KEY + template(digest) + body[start + 65 :]
