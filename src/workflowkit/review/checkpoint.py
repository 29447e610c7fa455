"""Signed checkpoints of a whole practice: a Merkle root over every instance's head.

A checkpoint is a C2SP signed note (https://c2sp.org/signed-note, in the layout of
https://c2sp.org/tlog-checkpoint) whose body is::

    <origin>
    <tree size: how many instances>
    <base64 Merkle root>
    events <how many events>
    time <ISO 8601 moment>

then a blank line and one signature line, ``— <origin> <base64(key id + signature)>``:
Ed25519 over the body's bytes, the key id the first 4 bytes of
``SHA-256(origin + "\\n" + 0x01 + public key)``.

The tree is RFC 9162 (section 2.1): leaf hash ``SHA-256(0x00 + leaf)``, node hash
``SHA-256(0x01 + left + right)``, the empty tree ``SHA-256("")``; the leaves are the
instances sorted by id, each leaf the RFC 8785 canonical JSON of
``{"head": ..., "instance": ..., "version": ...}``. The leaves are written beside the
note (``<name>.leaves.jsonl``, one per line): the signed root authenticates them, and
they let a later verify say exactly which instance changed, was dropped or rewritten.

Everything here is pure: times, keys and events are passed in. Ed25519 comes from
``cryptography`` (the ``audit`` extra), imported when a key is used.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from hashlib import sha256
from typing import Any, Final

from workflowkit.errors import WorkflowkitError
from workflowkit.review.canonical import canonical_json, check_name, is_hash

DASH: Final = "\u2014"  # the em dash that starts a signature line
ED25519: Final = 0x01  # the signed-note signature type of Ed25519


class CheckpointError(WorkflowkitError):
    """A checkpoint that cannot be made, read or trusted; says which and why."""


class AuditExtraMissingError(CheckpointError):
    """Signing or checking a checkpoint needs ``cryptography``: the ``audit`` extra."""

    def __init__(self) -> None:
        super().__init__(
            'signed checkpoints need the cryptography package: pip install "workflowkit[audit]"'
        )


# ---------------------------------------------------------------------------------
# The Merkle tree (RFC 9162, section 2.1)
# ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Leaf:
    """One instance as a checkpoint covers it: its id, version and head hash."""

    instance: str
    version: int
    head: str

    def data(self) -> bytes:
        return canonical_json(
            {"head": self.head, "instance": self.instance, "version": self.version}
        ).encode("utf-8")

    def to_json(self) -> str:
        return canonical_json(
            {"head": self.head, "instance": self.instance, "version": self.version}
        )


def leaf_hash(data: bytes) -> bytes:
    return sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right).digest()


def merkle_root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of RFC 9162 over the leaf data ``leaves`` (not yet hashed)."""
    level = [leaf_hash(d) for d in leaves]
    if not level:
        return sha256(b"").digest()
    return _root(level)


def _root(hashes: list[bytes]) -> bytes:
    # The split of RFC 9162: the largest power of two smaller than n goes left.
    n = len(hashes)
    if n == 1:
        return hashes[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(_root(hashes[:k]), _root(hashes[k:]))


def leaves_of(heads: Mapping[str, tuple[int, str]]) -> list[Leaf]:
    """The leaves for ``{instance: (version, head)}``, sorted by instance id."""
    return [Leaf(i, v, h) for i, (v, h) in sorted(heads.items(), key=lambda kv: kv[0])]


# ---------------------------------------------------------------------------------
# The note
# ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """What a checkpoint says: origin, how many instances and events, the root, when."""

    origin: str
    size: int
    root: bytes
    events: int
    time: datetime

    def body(self) -> str:
        """The note's text, the bytes that are signed (ends with a newline)."""
        return (
            f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"
            f"events {self.events}\ntime {self.time.isoformat()}\n"
        )


def make_checkpoint(
    origin: str, leaves: Sequence[Leaf], *, events: int, at: datetime
) -> Checkpoint:
    """The checkpoint of ``leaves`` (sorted by instance id), made at ``at``."""
    check_name("checkpoint", "origin", origin)
    if any(c.isspace() for c in origin) or "+" in origin:
        raise CheckpointError(f"origin {origin!r}: no spaces or '+' (it names the key too)")
    if at.utcoffset() is None:
        raise CheckpointError("the checkpoint's time must be timezone-aware")
    ids = [leaf.instance for leaf in leaves]
    if ids != sorted(ids) or len(set(ids)) != len(ids):
        raise CheckpointError("the leaves must be sorted by instance id, each once")
    root = merkle_root([leaf.data() for leaf in leaves])
    return Checkpoint(origin, len(leaves), root, events, at)


def _ed25519() -> Any:
    try:
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError:
        raise AuditExtraMissingError() from None
    return ed25519


def _serialization() -> Any:
    try:
        from cryptography.hazmat.primitives import serialization
    except ImportError:
        raise AuditExtraMissingError() from None
    return serialization


def key_id(origin: str, public: bytes) -> bytes:
    """The signed-note key id: 4 bytes of SHA-256(name, newline, type, public key)."""
    return sha256(origin.encode("utf-8") + b"\n" + bytes([ED25519]) + public).digest()[:4]


def generate_key() -> tuple[bytes, bytes]:
    """A new Ed25519 key pair as PEM: ``(private, public)``."""
    ed, ser = _ed25519(), _serialization()
    key = ed.Ed25519PrivateKey.generate()
    private = key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption())
    public = key.public_key().public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo)
    return bytes(private), bytes(public)


def _private(pem: bytes) -> Any:
    ed, ser = _ed25519(), _serialization()
    try:
        key = ser.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise CheckpointError(f"the signing key is not a PEM private key: {exc}") from None
    if not isinstance(key, ed.Ed25519PrivateKey):
        raise CheckpointError("the signing key is not an Ed25519 key")
    return key


def _public(pem: bytes) -> Any:
    ed, ser = _ed25519(), _serialization()
    try:
        key = ser.load_pem_public_key(pem)
    except (ValueError, TypeError) as exc:
        raise CheckpointError(f"the public key is not a PEM public key: {exc}") from None
    if not isinstance(key, ed.Ed25519PublicKey):
        raise CheckpointError("the public key is not an Ed25519 key")
    return key


def _raw_public(key: Any) -> bytes:
    ser = _serialization()
    return bytes(key.public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw))


def sign(checkpoint: Checkpoint, private_pem: bytes) -> str:
    """The signed note: the body, a blank line, the signature line."""
    key = _private(private_pem)
    body = checkpoint.body()
    signature = key.sign(body.encode("utf-8"))
    kid = key_id(checkpoint.origin, _raw_public(key.public_key()))
    line = f"{DASH} {checkpoint.origin} {base64.b64encode(kid + signature).decode()}\n"
    return body + "\n" + line


def parse(note: str, where: str = "checkpoint") -> Checkpoint:
    """The checkpoint a note's body says (the signature is not checked here)."""
    body, _, _ = note.partition("\n\n")
    lines = body.split("\n")
    try:
        origin, size, root, events, time = lines[:5]
        if not events.startswith("events ") or not time.startswith("time "):
            raise ValueError("the fourth and fifth lines are 'events N' and 'time T'")
        cp = Checkpoint(
            origin=origin,
            size=int(size),
            root=base64.b64decode(root, validate=True),
            events=int(events.removeprefix("events ")),
            time=datetime.fromisoformat(time.removeprefix("time ")),
        )
    except (ValueError, binascii.Error) as exc:
        raise CheckpointError(f"{where}: not a workflowkit checkpoint: {exc}") from None
    if cp.body() != body + "\n":
        raise CheckpointError(f"{where}: the note's body is not in canonical layout")
    return cp


def open_note(note: str, public_pem: bytes, where: str = "checkpoint") -> Checkpoint:
    """The checkpoint in ``note`` once its signature by ``public_pem``'s key is checked."""
    cp = parse(note, where)
    key = _public(public_pem)
    body = cp.body()
    kid = key_id(cp.origin, _raw_public(key))
    rest = note[len(body) + 1 :]
    for line in rest.split("\n"):
        if not line.startswith(DASH + " "):
            continue
        parts = line.split(" ")
        if len(parts) != 3 or parts[1] != cp.origin:
            continue
        try:
            blob = base64.b64decode(parts[2], validate=True)
        except binascii.Error:
            continue
        if len(blob) != 68 or blob[:4] != kid:
            continue
        try:
            key.verify(blob[4:], body.encode("utf-8"))
        except Exception:  # cryptography's InvalidSignature
            raise CheckpointError(
                f"{where}: the signature does not match the note (changed after signing?)"
            ) from None
        return cp
    raise CheckpointError(f"{where}: no signature by this key for origin {cp.origin!r}")


def read_leaves(text: str, where: str = "leaves") -> list[Leaf]:
    """The leaves file written beside a note, one canonical JSON object per line."""
    out: list[Leaf] = []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line:
            continue
        try:
            data = json.loads(line)
            leaf = Leaf(str(data["instance"]), int(data["version"]), str(data["head"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise CheckpointError(f"{where}:{n}: not a leaf: {exc}") from None
        if not is_hash(leaf.head) or leaf.to_json() != line:
            raise CheckpointError(f"{where}:{n}: not a leaf in canonical form")
        out.append(leaf)
    return out


def check_leaves(cp: Checkpoint, leaves: Sequence[Leaf], where: str = "checkpoint") -> None:
    """The leaves are the ones the signed root covers (else ``CheckpointError``)."""
    if len(leaves) != cp.size:
        raise CheckpointError(f"{where}: {len(leaves)} leaves, the note says {cp.size}")
    if merkle_root([leaf.data() for leaf in leaves]) != cp.root:
        raise CheckpointError(f"{where}: the leaves do not give the signed root")


# ---------------------------------------------------------------------------------
# Does today's store extend a checkpoint?
# ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Break:
    """An instance the store no longer holds as the checkpoint covered it."""

    instance: str
    kind: str  # "dropped", "truncated", "rewritten"
    reason: str

    def __str__(self) -> str:
        return f"{self.instance}: {self.kind}: {self.reason}"


def consistency(leaves: Sequence[Leaf], chains: Mapping[str, Sequence[str]]) -> list[Break]:
    """Each leaf the store's ``chains`` (``{instance: [hash of each event, in order]}``,
    already verified as hash chains) no longer extend."""
    out: list[Break] = []
    for leaf in leaves:
        hashes = chains.get(leaf.instance)
        if hashes is None:
            out.append(Break(leaf.instance, "dropped", "the instance is gone from the store"))
        elif len(hashes) < leaf.version:
            out.append(
                Break(
                    leaf.instance,
                    "truncated",
                    f"the checkpoint covered version {leaf.version}; the store holds {len(hashes)}",
                )
            )
        elif hashes[leaf.version - 1] != leaf.head:
            out.append(
                Break(
                    leaf.instance,
                    "rewritten",
                    f"version {leaf.version} has hash {hashes[leaf.version - 1][:16]}..., the "
                    f"checkpoint covered {leaf.head[:16]}...: the chain was rewritten",
                )
            )
    return out
