#!/usr/bin/env python3
"""Check a Tidu evidence bundle offline, trusting nothing but the bureau's public key.

    python tools/verify_bundle.py BUNDLE.zip [--public-key KEY.pem]

Needs Python 3.11+ and the ``cryptography`` package; no Django, no database. In order:

1. the manifest is readable and names its parts;
2. the checkpoint of the head is signed by the bureau's key (``--public-key``; without it
   the key inside the bundle is used, with a warning: anyone can sign with their own key);
3. every step's hash is recomputed from its fields, and each step links to the one
   before it, from the case's first step to the head;
4. the last step is the signed head (same number, same hash);
5. the steps marked as the case's are exactly those of the case's objects in the segment;
6. every document's bytes have the SHA-256 the manifest gives, and the one its steps recorded.

Prints ``OK …`` and exits 0, or names the first thing that does not match and exits 1.

The hash rules below are a copy of ``steplog.models.canonical_fields`` / ``chain_hash``;
tests/steplog/test_evidence.py runs both on the same steps so they cannot drift apart.
"""

import argparse
import base64
import datetime
import hashlib
import json
import sys
import zipfile

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

BUNDLE_FORMAT = "tidu-evidence-v1"
CHECKPOINT_FORMAT = "tidu-checkpoint-v1"
SIGNED_FIELDS = ("seq", "hash", "at", "key_fingerprint")
ENTERPRISE_TYPE = "enterprises.enterprise"
# The columns a step's hash covers, as in steplog.models.HASHED_FIELDS.
HASHED_FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_name",
    "actor_role",
    "actor_jurisdiction",
    "object_type",
    "object_id",
    "enterprise_id",
    "jurisdiction",
    "action",
    "state_before",
    "state_after",
    "comment",
    "request_id",
    "client_ip",
    "data",
)


class Mismatch(Exception):
    """The first thing in the bundle that does not match."""


# The step log's hash rules.


def canonical_fields(fields: dict) -> dict:
    """The fields in hashable form: the time as ISO 8601 with microseconds, the rest as stored."""
    created_at = datetime.datetime.fromisoformat(fields["created_at"])
    return {**fields, "created_at": created_at.isoformat(timespec="microseconds")}


def step_hash(prev_hash: str, fields: dict) -> str:
    """SHA-256 of the previous hash followed by the step's canonical JSON."""
    canonical = json.dumps(canonical_fields(fields), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


# Keys and signatures.


def fingerprint(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def load_public_key(pem: bytes, source: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError as error:
        raise Mismatch(f"{source} is not a PEM public key: {error}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise Mismatch(f"{source} is not an Ed25519 key")
    return key


def signature_problem(checkpoint: dict, key: Ed25519PublicKey) -> str:
    if not all(name in checkpoint for name in (*SIGNED_FIELDS, "signature")):
        return "it lacks one of " + ", ".join((*SIGNED_FIELDS, "signature"))
    if checkpoint["key_fingerprint"] != fingerprint(key):
        return (f"it names the key {checkpoint['key_fingerprint']}, "
                f"not the one it is checked with ({fingerprint(key)})")
    fields = {name: checkpoint[name] for name in SIGNED_FIELDS}
    message = f"{CHECKPOINT_FORMAT}\n{json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(',', ':'))}"
    try:
        key.verify(base64.b64decode(checkpoint["signature"], validate=True), message.encode())
    except (InvalidSignature, ValueError, TypeError):
        return "its signature does not match its content (forged or altered)"
    return ""


# The bundle.


class Bundle:
    def __init__(self, path: str):
        try:
            self.archive = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as error:
            raise Mismatch(f"{path} is not a readable zip: {error}") from None
        self.manifest = self.json("manifest.json")
        if not isinstance(self.manifest, dict) or self.manifest.get("format") != BUNDLE_FORMAT:
            raise Mismatch(f"manifest.json is not a {BUNDLE_FORMAT} manifest")

    def read(self, name: str) -> bytes:
        try:
            return self.archive.read(name)
        except KeyError:
            raise Mismatch(f"{name} is missing from the bundle") from None

    def json(self, name: str):
        try:
            return json.loads(self.read(name))
        except ValueError as error:
            raise Mismatch(f"{name} is not valid JSON: {error}") from None

    def manifest_part(self, *keys):
        value = self.manifest
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                raise Mismatch(f"manifest.json lacks {'.'.join(keys)}")
            value = value[key]
        return value


def check_checkpoint(bundle: Bundle, key_pem: bytes | None, warn) -> dict:
    embedded = load_public_key(bundle.read(bundle.manifest_part("public_key")), "the bundle's public_key.pem")
    if key_pem is None:
        key = embedded
        warn(f"checked with the public key inside the bundle (fingerprint {fingerprint(key)}); it proves the "
             f"bundle consistent, not that the bureau signed it: compare the fingerprint with the bureau's "
             f"published one, or pass --public-key")
    else:
        key = load_public_key(key_pem, "--public-key")
    checkpoint = bundle.json(bundle.manifest_part("checkpoint"))
    problem = signature_problem(checkpoint, key)
    if problem:
        raise Mismatch(f"checkpoint.json is not signed by the bureau's key: {problem}")
    if bundle.manifest_part("key_fingerprint") != checkpoint["key_fingerprint"]:
        raise Mismatch("manifest.json names another signing key than checkpoint.json")
    return checkpoint


def read_steps(bundle: Bundle) -> list[dict]:
    steps = []
    for number, line in enumerate(bundle.read(bundle.manifest_part("steps", "file")).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            step = json.loads(line)
            step["seq"], step["fields"], step["prev_hash"], step["hash"]  # noqa: B018 (presence)
        except (ValueError, KeyError, TypeError):
            raise Mismatch(f"steps.jsonl line {number} is not a step") from None
        steps.append(step)
    if not steps:
        raise Mismatch("steps.jsonl holds no step")
    return steps


def check_chain(steps: list[dict], first_seq: int) -> None:
    """Each step's hash from its fields, each link to the step before, no number skipped."""
    if steps[0]["seq"] != first_seq:
        raise Mismatch(f"the segment starts at step {steps[0]['seq']}, the manifest says step {first_seq}")
    previous = None
    for step in steps:
        seq, fields = step["seq"], step["fields"]
        if not isinstance(fields, dict) or set(fields) != set(HASHED_FIELDS) or fields["seq"] != seq:
            raise Mismatch(f"step {seq}: its fields are not the step log's hashed fields")
        if previous is not None and seq != previous["seq"] + 1:
            raise Mismatch(f"step {previous['seq'] + 1} is missing: the segment jumps from step "
                           f"{previous['seq']} to step {seq}")
        if previous is not None and step["prev_hash"] != previous["hash"]:
            raise Mismatch(f"step {seq} does not link to step {previous['seq']}: steps were reordered, or step "
                           f"{previous['seq']} was rewritten together with its hash")
        try:
            recomputed = step_hash(step["prev_hash"], fields)
        except (ValueError, TypeError) as error:
            raise Mismatch(f"step {seq}: its fields cannot be hashed ({error})") from None
        if recomputed != step["hash"]:
            raise Mismatch(f"step {seq} was edited: its content no longer matches its hash")
        previous = step


def check_head(steps: list[dict], checkpoint: dict) -> None:
    last = steps[-1]
    if last["seq"] < checkpoint["seq"]:
        raise Mismatch(f"the segment ends at step {last['seq']} but the signed checkpoint records step "
                       f"{checkpoint['seq']}: steps were removed from the end")
    if last["seq"] > checkpoint["seq"]:
        raise Mismatch(f"the segment goes past the signed head (step {checkpoint['seq']}) to step {last['seq']}")
    if last["hash"] != checkpoint["hash"]:
        raise Mismatch(f"step {last['seq']} is not the signed head: its hash differs from the checkpoint's, "
                       f"so the history up to it was rewritten")


def check_case_steps(bundle: Bundle, steps: list[dict]) -> list[dict]:
    """The marked steps are the case's: listed in the manifest, and none of the case's left unmarked."""
    subject = bundle.manifest_part("subject")
    objects = {tuple(obj) for obj in bundle.manifest_part("steps", "case_objects")}
    listed = set(bundle.manifest_part("steps", "case_steps"))
    case_steps = []
    for step in steps:
        fields = step["fields"]
        concerns = (fields["object_type"], fields["object_id"]) in objects or (
            subject.get("kind") == "enterprise" and fields["enterprise_id"] == subject.get("enterprise_id")
        )
        if concerns != bool(step.get("case")) or concerns != (step["seq"] in listed):
            state = "is not marked as one" if concerns else "is marked as one but is not"
            raise Mismatch(f"step {step['seq']} {state} of the case's steps")
        if concerns:
            case_steps.append(step)
    missing = listed - {step["seq"] for step in case_steps}
    if missing:
        raise Mismatch(f"step {min(missing)}, one of the case's, is not in the segment")
    return case_steps


def check_documents(bundle: Bundle, case_steps: list[dict]) -> int:
    documents = bundle.manifest_part("documents")
    for entry in documents:
        name = entry.get("file", "?")
        actual = hashlib.sha256(bundle.read(name)).hexdigest()
        if actual != entry.get("sha256"):
            raise Mismatch(f"{name}: its SHA-256 {actual} is not the manifest's {entry.get('sha256')} "
                           f"(the file was swapped or altered)")
        recorded = [step for step in case_steps
                    if (step["fields"]["object_type"], step["fields"]["object_id"]) ==
                    (entry.get("object_type"), entry.get("object_id"))
                    and isinstance(step["fields"]["data"], dict) and "sha256" in step["fields"]["data"]]
        if not recorded:
            raise Mismatch(f"{name}: no step of the bundle records its SHA-256")
        for step in recorded:
            if step["fields"]["data"]["sha256"] != actual:
                raise Mismatch(f"{name}: step {step['seq']} ({step['fields']['action']}) recorded SHA-256 "
                               f"{step['fields']['data']['sha256']}, the file has {actual}")
    return len(documents)


def verify(path: str, key_pem: bytes | None = None, warn=lambda message: None) -> str:
    """The OK line for the bundle at ``path``; raises Mismatch naming the first thing that does not match."""
    bundle = Bundle(path)
    checkpoint = check_checkpoint(bundle, key_pem, warn)
    steps = read_steps(bundle)
    check_chain(steps, bundle.manifest_part("steps", "first_seq"))
    check_head(steps, checkpoint)
    case_steps = check_case_steps(bundle, steps)
    documents = check_documents(bundle, case_steps)
    subject = bundle.manifest_part("subject")
    return (f"OK: {subject.get('label') or subject.get('object_type')}: {len(case_steps)} steps of the case in "
            f"the chain segment {steps[0]['seq']}-{steps[-1]['seq']}, its head signed at {checkpoint['at']} by key "
            f"{checkpoint['key_fingerprint']}; {documents} document(s) match their recorded SHA-256")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Check a Tidu evidence bundle offline.")
    parser.add_argument("bundle", metavar="BUNDLE.zip")
    parser.add_argument("--public-key", metavar="KEY.pem", help="the bureau's public key (signing_key_public)")
    args = parser.parse_args(argv)
    try:
        key_pem = None
        if args.public_key:
            try:
                with open(args.public_key, "rb") as key_file:
                    key_pem = key_file.read()
            except OSError as error:
                raise Mismatch(f"cannot read {args.public_key}: {error.strerror}") from None
        print(verify(args.bundle, key_pem, warn=lambda message: print(f"WARNING: {message}", file=sys.stderr)))
    except Mismatch as mismatch:
        print(f"MISMATCH: {mismatch}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
