"""The bureau's Ed25519 key, and signed checkpoints of the chain head.

A signed checkpoint is a small JSON object (``seq``, ``hash``, ``at``, ``key_fingerprint``,
``signature``). The signature covers the first four, written as canonical JSON after the
line ``tidu-checkpoint-v1``; ``tools/verify_bundle.py`` checks it the same way, without
Django. A copy held outside the bureau therefore pins the chain up to ``seq``: a history
rewritten after it no longer reaches ``hash``, and a forged copy fails its signature.

The private key is the PEM file named by ``TIDU_SIGNING_KEY_FILE``. Without it, and only
while ``TIDU_SIGNING_KEY_DEV_FILE`` is set (DEBUG on, tests), a development key is made
there on first use, with a warning: its signatures prove nothing to an outsider.
"""

import base64
import hashlib
import json
import os
import tempfile
import warnings
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

CHECKPOINT_FORMAT = "tidu-checkpoint-v1"
SIGNED_FIELDS = ("seq", "hash", "at", "key_fingerprint")


class SigningKeyWarning(UserWarning):
    """A development key signed something: fine on a laptop, worthless as evidence."""


def key_create(path: Path) -> Ed25519PublicKey:
    """Write a new private key to ``path`` (PEM, mode 0600); FileExistsError if it exists."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target, then linked into place: never overwrites, never leaves half a key.
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".key-", delete=False) as partial:
        partial.write(pem)
    try:
        os.chmod(partial.name, 0o600)
        os.link(partial.name, path)
    finally:
        os.unlink(partial.name)
    return key.public_key()


def private_key() -> Ed25519PrivateKey:
    """The bureau's signing key; ImproperlyConfigured when none is configured or readable."""
    return _load(_key_path())


@lru_cache(maxsize=4)
def _load(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as error:
        raise ImproperlyConfigured(
            f"TIDU_SIGNING_KEY_FILE: cannot read {path}: {error.strerror} "
            f"(make one with: manage.py signing_key_create PATH)"
        ) from None
    except ValueError as error:
        raise ImproperlyConfigured(f"TIDU_SIGNING_KEY_FILE: {path} is not a PEM private key: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"TIDU_SIGNING_KEY_FILE: {path} is not an Ed25519 key")
    return key


def _key_path() -> Path:
    configured = getattr(settings, "TIDU_SIGNING_KEY_FILE", None)
    if configured:
        return Path(configured)
    development = getattr(settings, "TIDU_SIGNING_KEY_DEV_FILE", None)
    if not development:
        raise ImproperlyConfigured(
            "TIDU_SIGNING_KEY_FILE is not set: checkpoints and evidence bundles are signed with the bureau's "
            "Ed25519 key (make one with: manage.py signing_key_create PATH)"
        )
    development = Path(development)
    if not development.exists():
        try:
            key_create(development)
        except FileExistsError:
            pass  # another process made it first
    if development not in _warned:
        _warned.add(development)
        message = f"Signing with the development key {development}: set TIDU_SIGNING_KEY_FILE for real evidence."
        warnings.warn(message, SigningKeyWarning, stacklevel=3)
    return development


_warned: set[Path] = set()  # once per process and key


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_pem(key: Ed25519PublicKey | None = None) -> str:
    key = key or public_key()
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def fingerprint(key: Ed25519PublicKey | None = None) -> str:
    """SHA-256 of the raw 32-byte public key, in hex: what the auditor compares by eye."""
    key = key or public_key()
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def public_key_load(pem: bytes) -> Ed25519PublicKey:
    """A public key from PEM (or the public half of a private PEM); ValueError otherwise."""
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError:
        key = serialization.load_pem_private_key(pem, password=None).public_key()
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(_("Not an Ed25519 key."))
    return key


def signed_message(payload: dict) -> bytes:
    """The bytes a checkpoint's signature covers."""
    fields = {name: payload[name] for name in SIGNED_FIELDS}
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return f"{CHECKPOINT_FORMAT}\n{canonical}".encode()


def checkpoint_sign(*, seq: int, hash: str, at: str) -> dict:
    """The signed checkpoint of (``seq``, ``hash``) taken at ``at`` (ISO 8601)."""
    key = private_key()
    payload = {"format": CHECKPOINT_FORMAT, "seq": seq, "hash": hash, "at": at,
               "key_fingerprint": fingerprint(key.public_key())}
    payload["signature"] = base64.b64encode(key.sign(signed_message(payload))).decode()
    return payload


def checkpoint_signature_problem(payload: dict, key: Ed25519PublicKey | None = None) -> str:
    """Why ``payload`` is not a checkpoint signed by ``key`` (the bureau's by default); "" if it is."""
    key = key or public_key()
    if "signature" not in payload:
        return _("The checkpoint is not signed.")
    if payload.get("key_fingerprint") != fingerprint(key):
        return _("The checkpoint was signed by another key (fingerprint %(fingerprint)s).") % {
            "fingerprint": payload.get("key_fingerprint")
        }
    try:
        key.verify(base64.b64decode(payload["signature"], validate=True), signed_message(payload))
    except (InvalidSignature, ValueError, KeyError, TypeError):
        return _("The checkpoint's signature does not match its content: it was forged or altered.")
    return ""


def configured_fingerprint() -> str:
    """The fingerprint of the bureau's key for pages to show; "" when no key is configured."""
    try:
        return fingerprint()
    except ImproperlyConfigured:
        return ""
