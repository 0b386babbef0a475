"""Signed checkpoints and evidence bundles, checked by the standalone verifier
(tools/verify_bundle.py, run as a subprocess with no Django settings in its environment)."""

import base64
import datetime
import hashlib
import importlib.util
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from documents.models import Document
from steplog.evidence import EvidenceError, evidence_bundle_build, evidence_subject, step_line
from steplog.middleware import _request_context
from steplog.models import HASHED_FIELDS, Step
from steplog.services import audit_checkpoint_create, checkpoint_json, step_record
from steplog.signing import (
    SigningKeyWarning,
    checkpoint_signature_problem,
    fingerprint,
    key_create,
    public_key,
    public_key_pem,
)
from workflows.models import PoolEntry
from workflows.services import pool as pool_services

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
VERIFIER = ROOT / "tools" / "verify_bundle.py"


def load_verifier():
    spec = importlib.util.spec_from_file_location("verify_bundle", VERIFIER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def bureau_key(settings, tmp_path):
    """Each test signs with its own key, never the development key under var/."""
    settings.TIDU_SIGNING_KEY_FILE = tmp_path / "bureau.pem"
    key_create(settings.TIDU_SIGNING_KEY_FILE)
    (tmp_path / "bureau.pub.pem").write_text(public_key_pem())
    return tmp_path / "bureau.pub.pem"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def quick_pdfs(monkeypatch):
    """A small distinct PDF per document instead of WeasyPrint (the bundle only needs bytes)."""
    import documents.layout

    def fake_pdf(source):
        return SimpleNamespace(pdf=f"%PDF-1.7\n% {source.number} {source.token}\n%%EOF\n".encode(), page_count=1)

    monkeypatch.setattr(documents.layout, "document_pdf", fake_pdf)


@pytest.fixture
def pooled(cast, django_capture_on_commit_callbacks):
    """A pool entry walked to the pool: three decisions and a rendered 入库通知, amid other cases' steps."""
    step_record(action="test.before", actor=cast.city, obj=cast.far)
    with django_capture_on_commit_callbacks(execute=True):
        entry = pool_services.pool_entry_propose(enterprise=cast.own, by=cast.owner, statement="精密轴承，细分市场第三")
    step_record(action="test.between", actor=cast.city, obj=cast.neighbour, comment="另一家企业")
    with django_capture_on_commit_callbacks(execute=True):
        pool_services.pool_entry_district_approve(entry=entry, by=cast.district, comment="材料齐全")
    with django_capture_on_commit_callbacks(execute=True):
        pool_services.pool_entry_city_approve(entry=entry, by=cast.city)
    step_record(action="test.after", actor=cast.city, obj=cast.far)
    entry = PoolEntry.objects.get(pk=entry.pk)
    assert Document.objects.filter(enterprise=cast.own, render_state="ready").count() == 1
    return entry


def build(subject_object, user, path: Path) -> Path:
    subject = evidence_subject(object_type=subject_object._meta.label_lower, object_id=str(subject_object.pk))
    bundle = evidence_bundle_build(subject=subject, by=user)
    path.write_bytes(bundle.file.read())
    return path


def run_verifier(bundle: Path, *args: str) -> subprocess.CompletedProcess:
    """The verifier as an outsider runs it: the venv's python, no Django settings, another directory."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO", "TIDU"))}
    environment.pop("PYTHONPATH", None)
    return subprocess.run(
        [sys.executable, str(VERIFIER), str(bundle), *args],
        capture_output=True, text=True, env=environment, cwd=bundle.parent, timeout=60,
    )


def rewrite(bundle: Path, changes: dict, drop: tuple = ()) -> Path:
    """A copy of ``bundle`` with members replaced (name → bytes or function of the old bytes) or dropped."""
    out = bundle.with_name("tampered-" + bundle.name)
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name in drop:
                continue
            data = source.read(name)
            change = changes.get(name)
            target.writestr(name, change(data) if callable(change) else (change if change is not None else data))
    return out


def edit_lines(edit):
    def apply(data: bytes) -> bytes:
        lines = [json.loads(line) for line in data.decode().splitlines()]
        lines = edit(lines)
        return "".join(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n" for line in lines).encode()

    return apply


# One source of truth for the hash rules.


def test_the_verifier_hashes_steps_exactly_as_the_step_log_does(cast):
    token = _request_context.set({"request_id": "req-1", "client_ip": "2001:0db8:0000:0000:0000:0000:0000:0001"})
    try:
        step_record(action="test.ipv6", actor=cast.district, obj=cast.own, comment="镇江 «quotes» \"and\" \\ \u2028",
                    data={"分数": 87.5, "nested": {"list": [1, None, True, "堃赟喆"]}, "zero": 0.1 + 0.2})
    finally:
        _request_context.reset(token)
    step_record(action="test.system", comment="", data={})
    step_record(action="test.owner", actor=cast.owner, obj=cast.owner, data={"amount": "1200000.00", "big": 10**18})
    verifier = load_verifier()
    assert verifier.HASHED_FIELDS == HASHED_FIELDS
    steps = Step.objects.order_by("seq").values_list(*HASHED_FIELDS, "prev_hash", "hash")
    for row in steps:
        line = json.loads(step_line(row))  # as written into the bundle, read back as an outsider does
        assert verifier.step_hash(line["prev_hash"], line["fields"]) == line["hash"] == row[-1]
    stored = Step.objects.get(action="test.ipv6")
    assert stored.client_ip == "2001:db8::1" and stored.compute_hash() == stored.hash


def test_a_step_at_a_whole_second_keeps_its_microseconds_in_the_hash():
    verifier = load_verifier()
    fields = dict.fromkeys(HASHED_FIELDS, "")
    fields.update(seq=1, created_at="2026-01-01T00:00:00+00:00", data={}, actor_id=None, enterprise_id=None,
                  client_ip=None)
    from steplog.models import chain_hash

    django_fields = {**fields, "created_at": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)}
    assert verifier.step_hash("0" * 64, fields) == chain_hash("0" * 64, django_fields)


# Signed checkpoints.


def test_the_checkpoint_is_signed_and_verifies(cast):
    step_record(action="test.one", actor=cast.city)
    payload = json.loads(checkpoint_json(audit_checkpoint_create()))
    assert set(payload) >= {"seq", "hash", "at", "key_fingerprint", "signature"}
    assert payload["key_fingerprint"] == fingerprint() and checkpoint_signature_problem(payload) == ""
    forged = {**payload, "hash": "f" * 64}
    with translation.override("zh-hans"):
        assert checkpoint_signature_problem(forged) == "检查点的签名与其内容不符：它被伪造或篡改过。"


def test_verify_audit_checks_a_signed_checkpoint_and_refuses_a_forged_one(cast, tmp_path, capsys):
    step_record(action="test.one", actor=cast.city)
    path = tmp_path / "checkpoint.json"
    call_command("audit_checkpoint", output=str(path))
    call_command("verify_audit", checkpoint=str(path))
    assert "OK: 1 steps verified" in capsys.readouterr().out

    forged = json.loads(path.read_text())
    forged["seq"] = 99
    path.write_text(json.dumps(forged))
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_audit", checkpoint=str(path))
    assert exit_.value.code == 1 and "FORGED" in capsys.readouterr().err


def test_verify_audit_takes_the_public_key_to_check_with(cast, tmp_path, bureau_key, capsys):
    step_record(action="test.one", actor=cast.city)
    path = tmp_path / "checkpoint.json"
    call_command("audit_checkpoint", output=str(path))
    call_command("verify_audit", checkpoint=str(path), public_key=str(bureau_key))
    other = tmp_path / "other.pem"
    key_create(other)
    with pytest.raises(SystemExit):
        call_command("verify_audit", checkpoint=str(path), public_key=str(other))
    assert "另一把密钥" in capsys.readouterr().err


def test_the_daily_export_writes_a_signed_checkpoint(cast, settings, tmp_path):
    from approvals.tasks import export_checkpoint

    settings.TIDU_AUDIT_CHECKPOINT_DIR = tmp_path / "outside"
    step_record(action="test.one", actor=cast.city)
    payload = json.loads(Path(export_checkpoint()).read_text())
    assert payload["seq"] == 1 and checkpoint_signature_problem(payload) == ""


def test_signing_key_create_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "keys" / "bureau.pem"
    call_command("signing_key_create", str(path))
    assert "fingerprint" in capsys.readouterr().out and oct(path.stat().st_mode & 0o777) == "0o600"
    before = path.read_bytes()
    with pytest.raises(CommandError, match="never overwritten"):
        call_command("signing_key_create", str(path))
    assert path.read_bytes() == before


def test_signing_key_public_prints_the_public_half(capsys):
    call_command("signing_key_public")
    assert capsys.readouterr().out.startswith("-----BEGIN PUBLIC KEY-----")
    call_command("signing_key_public", "--fingerprint")
    assert capsys.readouterr().out.strip() == fingerprint()


def test_without_a_key_file_development_makes_one_with_a_warning(settings, tmp_path):
    settings.TIDU_SIGNING_KEY_FILE = None
    settings.TIDU_SIGNING_KEY_DEV_FILE = tmp_path / "var" / "signing" / "dev.pem"
    with pytest.warns(SigningKeyWarning, match="development key"):
        first = fingerprint(public_key())
    assert settings.TIDU_SIGNING_KEY_DEV_FILE.exists() and fingerprint(public_key()) == first


def test_without_a_key_file_production_refuses_to_sign(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.TIDU_SIGNING_KEY_FILE, settings.TIDU_SIGNING_KEY_DEV_FILE = None, None
    checkpoint = audit_checkpoint_create()
    with pytest.raises(ImproperlyConfigured, match="TIDU_SIGNING_KEY_FILE"):
        checkpoint_json(checkpoint)


# Evidence bundles.


def test_a_clean_case_bundle_verifies_offline(pooled, cast, tmp_path, bureau_key):
    bundle = build(pooled, cast.auditor, tmp_path / "case.zip")
    result = run_verifier(bundle, "--public-key", str(bureau_key))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK:") and "1 document(s)" in result.stdout and result.stderr == ""

    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        lines = [json.loads(line) for line in archive.read("steps.jsonl").splitlines()]
    case = [line["fields"]["action"] for line in lines if line["case"]]
    assert case == ["pool_entry.submit", "pool_entry.district_approve", "pool_entry.city_approve", "document.issue",
                    "document.render"]
    assert "test.between" in {line["fields"]["action"] for line in lines}  # the segment, not only the case
    assert "test.before" not in {line["fields"]["action"] for line in lines}
    [document] = manifest["documents"]
    assert document["sha256"] == Document.objects.get(enterprise=cast.own).sha256


def test_without_the_public_key_the_embedded_one_is_used_with_a_warning(pooled, cast, tmp_path):
    result = run_verifier(build(pooled, cast.auditor, tmp_path / "case.zip"))
    assert result.returncode == 0 and "WARNING" in result.stderr and "--public-key" in result.stderr


def test_each_download_is_a_step(pooled, cast, tmp_path):
    build(pooled, cast.auditor, tmp_path / "case.zip")
    step = Step.objects.order_by("-seq").first()
    assert step.action == "audit.evidence_bundle" and step.actor == cast.auditor
    assert step.data["object_type"] == "workflows.poolentry" and step.data["head_seq"] == step.seq - 1
    assert step.object_type == "" and len(step.data["manifest_sha256"]) == 64


def test_the_enterprise_whole_path_bundle_verifies(pooled, cast, tmp_path, bureau_key):
    bundle = build(cast.own, cast.auditor, tmp_path / "enterprise.zip")
    result = run_verifier(bundle, "--public-key", str(bureau_key))
    assert result.returncode == 0, result.stdout
    with zipfile.ZipFile(bundle) as archive:
        lines = [json.loads(line) for line in archive.read("steps.jsonl").splitlines()]
    assert {line["fields"]["enterprise_id"] for line in lines if line["case"]} == {cast.own.pk}


def test_an_edited_step_is_caught(pooled, cast, tmp_path, bureau_key):
    bundle = build(pooled, cast.auditor, tmp_path / "case.zip")

    def soften(lines):
        target = next(line for line in lines if line["fields"]["action"] == "pool_entry.district_approve")
        target["fields"]["comment"] = "材料不全，但同意"
        return lines

    result = run_verifier(rewrite(bundle, {"steps.jsonl": edit_lines(soften)}), "--public-key", str(bureau_key))
    assert result.returncode == 1 and "was edited" in result.stdout


def test_an_edited_step_with_every_later_hash_recomputed_misses_the_signed_head(pooled, cast, tmp_path, bureau_key):
    verifier = load_verifier()
    bundle = build(pooled, cast.auditor, tmp_path / "case.zip")

    def rewrite_history(lines):
        previous = None
        for line in lines:
            if line["fields"]["action"] == "pool_entry.city_approve":
                line["fields"]["comment"] = "补记"
            if previous is not None:
                line["prev_hash"] = previous["hash"]
            line["hash"] = verifier.step_hash(line["prev_hash"], line["fields"])
            previous = line
        return lines

    result = run_verifier(rewrite(bundle, {"steps.jsonl": edit_lines(rewrite_history)}), "--public-key",
                          str(bureau_key))
    assert result.returncode == 1 and "is not the signed head" in result.stdout


def test_a_removed_step_is_caught(pooled, cast, tmp_path, bureau_key):
    bundle = build(pooled, cast.auditor, tmp_path / "case.zip")

    def remove_return(lines):
        return [line for line in lines if line["fields"]["action"] != "pool_entry.district_approve"]

    result = run_verifier(rewrite(bundle, {"steps.jsonl": edit_lines(remove_return)}), "--public-key",
                          str(bureau_key))
    assert result.returncode == 1 and "is missing" in result.stdout


def test_a_case_step_hidden_from_the_manifest_is_caught(pooled, cast, tmp_path, bureau_key):
    bundle = build(pooled, cast.auditor, tmp_path / "case.zip")
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        hidden = next(json.loads(line)["seq"] for line in archive.read("steps.jsonl").splitlines()
                      if json.loads(line)["fields"]["action"] == "pool_entry.district_approve")
    manifest["steps"]["case_steps"].remove(hidden)

    def unmark(lines):
        for line in lines:
            line["case"] = line["case"] and line["seq"] != hidden
        return lines

    tampered = rewrite(bundle, {"manifest.json": json.dumps(manifest).encode(), "steps.jsonl": edit_lines(unmark)})
    result = run_verifier(tampered, "--public-key", str(bureau_key))
    assert result.returncode == 1 and f"step {hidden} is not marked" in result.stdout


def test_a_swapped_document_is_caught(pooled, cast, tmp_path, bureau_key):
    bundle = build(pooled, cast.auditor, tmp_path / "case.zip")
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    name = manifest["documents"][0]["file"]
    other_pdf = b"%PDF-1.7\n% another notice, same number\n%%EOF\n"

    result = run_verifier(rewrite(bundle, {name: other_pdf}), "--public-key", str(bureau_key))
    assert result.returncode == 1 and name in result.stdout and "swapped" in result.stdout

    # The swapper who also fixes the manifest still meets the hash the render step recorded.
    manifest["documents"][0]["sha256"] = hashlib.sha256(other_pdf).hexdigest()
    result = run_verifier(rewrite(bundle, {name: other_pdf, "manifest.json": json.dumps(manifest).encode()}),
                          "--public-key", str(bureau_key))
    assert result.returncode == 1 and "recorded SHA-256" in result.stdout


def test_a_forged_checkpoint_is_caught(pooled, cast, tmp_path, bureau_key):
    bundle = build(pooled, cast.auditor, tmp_path / "case.zip")
    with zipfile.ZipFile(bundle) as archive:
        checkpoint = json.loads(archive.read("checkpoint.json"))

    moved = {**checkpoint, "seq": checkpoint["seq"] - 1}
    result = run_verifier(rewrite(bundle, {"checkpoint.json": json.dumps(moved).encode()}), "--public-key",
                          str(bureau_key))
    assert result.returncode == 1 and "forged or altered" in result.stdout

    # Re-signed with the forger's own key, embedded in the bundle: only the bureau's key exposes it.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from steplog.signing import signed_message

    forger = Ed25519PrivateKey.generate()
    forged = {**checkpoint, "key_fingerprint": fingerprint(forger.public_key())}
    forged["signature"] = base64.b64encode(forger.sign(signed_message(forged))).decode()
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    manifest["key_fingerprint"] = forged["key_fingerprint"]
    tampered = rewrite(bundle, {"checkpoint.json": json.dumps(forged).encode(),
                                "public_key.pem": public_key_pem(forger.public_key()).encode(),
                                "manifest.json": json.dumps(manifest).encode()})
    assert run_verifier(tampered).returncode == 0  # consistent in itself…
    result = run_verifier(tampered, "--public-key", str(bureau_key))
    assert result.returncode == 1 and "names the key" in result.stdout  # …but not the bureau's


def test_a_bundle_of_nothing_is_refused(cast):
    with pytest.raises(EvidenceError):
        evidence_subject(object_type="workflows.poolentry", object_id="999999")
    with pytest.raises(EvidenceError):
        evidence_bundle_build(subject=evidence_subject(object_type="enterprises.enterprise",
                                                       object_id=str(cast.far.pk)), by=cast.auditor)


# Pages and API.


def test_the_auditor_downloads_from_the_timeline_and_the_api(pooled, cast, client, tmp_path, bureau_key):
    client.force_login(cast.auditor)
    timeline = client.get(reverse("audit:timeline", args=["workflows.poolentry", pooled.pk])).content.decode()
    case_url = reverse("audit:evidence", args=["workflows.poolentry", pooled.pk])
    enterprise_url = reverse("audit:evidence", args=["enterprises.enterprise", cast.own.pk])
    assert case_url in timeline and enterprise_url in timeline

    response = client.get(case_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    path = tmp_path / "page.zip"
    path.write_bytes(b"".join(response.streaming_content))
    assert run_verifier(path, "--public-key", str(bureau_key)).returncode == 0

    api = client.get(f"/api/audit/evidence/enterprises.enterprise/{cast.own.pk}/")
    assert api.status_code == 200 and zipfile.ZipFile(io.BytesIO(b"".join(api.streaming_content))).testzip() is None
    key = client.get("/api/audit/evidence/").json()
    assert key["fingerprint"] == fingerprint() and key["public_key"].startswith("-----BEGIN PUBLIC KEY")
    assert client.get("/api/audit/evidence/workflows.poolentry/999999/").status_code == 404
    assert Step.objects.filter(action="audit.evidence_bundle").count() == 2


def test_the_status_page_shows_the_key_fingerprint(cast, client):
    client.force_login(cast.auditor)
    assert fingerprint() in client.get(reverse("audit:status")).content.decode()
    assert client.get(reverse("audit:signing_key")).content.decode() == public_key_pem()


@pytest.mark.parametrize("who", ["owner", "district", "city", "finance"])
def test_only_auditors_download_bundles(pooled, cast, client, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("audit:evidence", args=["workflows.poolentry", pooled.pk])).status_code == 403
    assert client.get(f"/api/audit/evidence/workflows.poolentry/{pooled.pk}/").status_code == 403
    assert not Step.objects.filter(action="audit.evidence_bundle").exists()
