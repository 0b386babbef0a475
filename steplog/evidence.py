"""Evidence bundles: what an auditor hands to someone who trusts neither the bureau's
database nor its staff.

A bundle (a zip) holds, for one case or for one enterprise's whole path:

- ``steps.jsonl``: the chain segment from the first step of the case to the head, one step
  a line (``seq``, the hashed ``fields``, ``prev_hash``, ``hash``, and ``case`` when the
  step is one of the case's), so every hash and every link can be recomputed;
- ``checkpoint.json``: a checkpoint of that head signed with the bureau's key
  (``steplog.signing``), and ``public_key.pem``;
- ``documents/…``: the files the case's steps recorded by their SHA-256 (PDFs);
- ``manifest.json``: what the bundle is about and which objects' steps are the case's.

``tools/verify_bundle.py`` checks it offline. The step log knows no documents: the apps
above hand in their files through ``settings.TIDU_EVIDENCE_EXHIBIT_HOOKS``, each a dotted
path to ``hook(*, subject: Subject) -> list[Exhibit]`` (documents adds its rendered PDFs),
so this app still imports none of ours (DESIGN §7).
"""

import hashlib
import json
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .chain import ROW_FIELDS
from .models import HASHED_FIELDS, Step, canonical_fields
from .services import audit_checkpoint_create, checkpoint_signed, step_record
from .signing import public_key_pem

BUNDLE_FORMAT = "tidu-evidence-v1"
ENTERPRISE_TYPE = "enterprises.enterprise"
# Bundles are built in a temporary file that stays in memory up to this size.
IN_MEMORY_BYTES = 16 * 1024 * 1024


class EvidenceError(Exception):
    """A bundle that cannot be made: an unknown case, or one no step concerns."""

    def __init__(self, message: str, *, code: str, http_status: int = 404):
        super().__init__(message)
        self.message, self.code, self.http_status = message, code, http_status


@dataclass(frozen=True)
class Subject:
    """What a bundle is about: one object (a case), or one enterprise's whole path
    (``whole_path``: every step that names the enterprise, whatever its object)."""

    object_type: str
    object_id: str
    label: str = ""
    enterprise_id: int | None = None
    whole_path: bool = False

    @property
    def slug(self) -> str:
        return f"{self.object_type.replace('.', '-')}-{self.object_id}"

    def as_json(self) -> dict:
        return {
            "kind": "enterprise" if self.whole_path else "case",
            "object_type": self.object_type,
            "object_id": self.object_id,
            "enterprise_id": self.enterprise_id,
            "label": self.label,
        }


@dataclass(frozen=True)
class Exhibit:
    """A file one of the case's objects recorded by SHA-256 in its steps' ``data["sha256"]``."""

    name: str  # where it goes in the zip, e.g. documents/000012-pool_entry_notice.pdf
    sha256: str  # as recorded by the app (the verifier compares the bytes with it and with the steps)
    object_type: str
    object_id: str
    open: Callable[[], IO[bytes]] = field(repr=False, compare=False)
    description: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class EvidenceBundle:
    file: IO[bytes]
    filename: str
    manifest: dict


def evidence_subject(*, object_type: str, object_id: str) -> Subject:
    """The subject for one object named by its model label (lower case) and primary key.

    An enterprise is its whole path. Raises EvidenceError (404) for an unknown model or object.
    """
    try:
        model = apps.get_model(object_type)
        obj = model._default_manager.filter(pk=object_id).first()
    except (LookupError, ValueError, TypeError):
        obj = None
    if obj is None:
        raise EvidenceError(_("No such case: %(type)s %(id)s.") % {"type": object_type, "id": object_id},
                            code="unknown_case")
    whole_path = obj._meta.label_lower == ENTERPRISE_TYPE
    enterprise_id = obj.pk if whole_path else getattr(obj, "enterprise_id", None)
    return Subject(obj._meta.label_lower, str(obj.pk), str(obj), enterprise_id, whole_path)


def evidence_bundle_build(*, subject: Subject, by) -> EvidenceBundle:
    """Build the bundle of ``subject`` and record its download as one ``audit.evidence_bundle`` step.

    Takes a checkpoint of the head first (a short lock on the chain head), then reads the
    segment up to it without any lock: steps appended meanwhile simply lie beyond it. The
    step is written after the bundle, so it names the head and the manifest's SHA-256.
    Raises EvidenceError (404) when no step concerns the subject.
    """
    exhibits = _exhibits(subject)
    objects = sorted({(subject.object_type, subject.object_id)} | {(e.object_type, e.object_id) for e in exhibits})
    selection = _selection(subject, objects)
    if not Step.objects.filter(selection).exists():
        raise EvidenceError(_("No step of the log concerns %(label)s.") % {"label": subject.label or subject.slug},
                            code="no_steps")
    checkpoint = audit_checkpoint_create()
    case_steps = list(
        Step.objects.filter(selection, seq__lte=checkpoint.seq).order_by("seq").values_list("seq", flat=True)
    )
    manifest = {
        "format": BUNDLE_FORMAT,
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "subject": subject.as_json(),
        "hashed_fields": list(HASHED_FIELDS),
        "steps": {"file": "steps.jsonl", "first_seq": case_steps[0], "head_seq": checkpoint.seq,
                  "case_objects": [list(obj) for obj in objects], "case_steps": case_steps},
        "checkpoint": "checkpoint.json",
        "public_key": "public_key.pem",
        "documents": [],
    }
    signed = checkpoint_signed(checkpoint)
    manifest["key_fingerprint"] = signed["key_fingerprint"]
    bundle = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)
    with zipfile.ZipFile(bundle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _write_segment(archive, first=case_steps[0], head=checkpoint.seq, case_steps=set(case_steps))
        manifest["documents"] = [_write_exhibit(archive, exhibit) for exhibit in exhibits]
        archive.writestr("checkpoint.json", json.dumps(signed, indent=2))
        archive.writestr("public_key.pem", public_key_pem())
        manifest_bytes = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
        archive.writestr("manifest.json", manifest_bytes)
        archive.writestr("README.txt", README)
    bundle.seek(0)
    _record_download(subject, manifest, hashlib.sha256(manifest_bytes).hexdigest(), by)
    filename = f"evidence-{subject.slug}-{checkpoint.seq}.zip"
    return EvidenceBundle(file=bundle, filename=filename, manifest=manifest)


def _exhibits(subject: Subject) -> list[Exhibit]:
    return [exhibit for hook in getattr(settings, "TIDU_EVIDENCE_EXHIBIT_HOOKS", []) for exhibit in
            import_string(hook)(subject=subject)]


def _selection(subject: Subject, objects: list[tuple[str, str]]) -> Q:
    """The case's steps: those of its objects, and for a whole path every step naming the enterprise.
    ``tools/verify_bundle.py`` applies the same rule to check that no step of the case was left unmarked."""
    selection = Q(pk__in=[])
    for object_type, object_id in objects:
        selection |= Q(object_type=object_type, object_id=object_id)
    if subject.whole_path:
        selection |= Q(enterprise_id=subject.enterprise_id)
    return selection


def _write_segment(archive: zipfile.ZipFile, *, first: int, head: int, case_steps: set[int]) -> None:
    rows = Step.objects.filter(seq__gte=first, seq__lte=head).order_by("seq").values_list(*ROW_FIELDS)
    with archive.open("steps.jsonl", "w") as out:
        for row in rows.iterator(chunk_size=5000):
            out.write(step_line(row, case=row[0] in case_steps).encode() + b"\n")


def step_line(row: tuple, *, case: bool = False) -> str:
    """One step (a tuple in ROW_FIELDS order) as a line of steps.jsonl."""
    fields = canonical_fields(dict(zip(HASHED_FIELDS, row)))
    line = {"seq": fields["seq"], "case": case, "fields": fields, "prev_hash": row[-2], "hash": row[-1]}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def _write_exhibit(archive: zipfile.ZipFile, exhibit: Exhibit) -> dict:
    with exhibit.open() as source, archive.open(exhibit.name, "w") as target:
        while chunk := source.read(1 << 20):
            target.write(chunk)
    return {"file": exhibit.name, "sha256": exhibit.sha256, "object_type": exhibit.object_type,
            "object_id": exhibit.object_id, **exhibit.description}


def _record_download(subject: Subject, manifest: dict, manifest_sha256: str, by) -> Step:
    # No object: reading a case is not an event of the case, and its next bundle stays the same.
    return step_record(
        action="audit.evidence_bundle",
        actor=by,
        comment=subject.label,
        data={**subject.as_json(), "first_seq": manifest["steps"]["first_seq"],
              "head_seq": manifest["steps"]["head_seq"], "case_steps": len(manifest["steps"]["case_steps"]),
              "documents": len(manifest["documents"]), "manifest_sha256": manifest_sha256},
    )


README = """Tidu evidence bundle

Check it offline (Python 3.11+ and the 'cryptography' package, no database):

    python verify_bundle.py THIS.zip --public-key BUREAU-KEY.pem

verify_bundle.py is tools/verify_bundle.py in Tidu's source. Take the bureau's public key
from the bureau (manage.py signing_key_public), not from this zip: without --public-key the
embedded public_key.pem is used, which proves only that the bundle is consistent.

manifest.json   what the bundle is about; the objects whose steps are the case's
steps.jsonl     the chain segment, first step of the case to the signed head, one step a line
checkpoint.json the head (seq, hash, time) signed with the bureau's Ed25519 key
documents/      the files the steps recorded, each by its SHA-256
"""
