"""Verification: the public page behind the QR code, the upload check and the command."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader, PdfWriter

from documents.selectors import Verdict, pdf_claimed_token, verification_by_pdf, verification_by_token
from documents.services import document_void

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(cast, issue):
    return issue(enterprise=cast.own)


def altered(pdf: bytes) -> bytes:
    """The file after someone "corrected" its title in a PDF editor (which rewrites it)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_metadata({"/Title": "关于同意纳入培育库的通知（改）"})
    edited = io.BytesIO()
    writer.write(edited)
    return edited.getvalue()


def one_byte_flipped(pdf: bytes) -> bytes:
    middle = len(pdf) // 2
    return pdf[:middle] + bytes([pdf[middle] ^ 1]) + pdf[middle + 1 :]


def test_the_exact_bytes_are_genuine(issued):
    verification = verification_by_pdf(issued.pdf.read())
    assert verification.verdict == Verdict.GENUINE and verification.document == issued


@pytest.mark.parametrize("change", [altered, one_byte_flipped])
def test_changed_bytes_are_altered_and_name_the_document_they_claim_to_be(issued, change):
    verification = verification_by_pdf(change(issued.pdf.read()))
    assert verification.verdict == Verdict.ALTERED and verification.document == issued


def test_a_foreign_file_is_unknown(issued):
    assert verification_by_pdf(b"%PDF-1.4\nnot ours\n%%EOF").verdict == Verdict.UNKNOWN
    assert verification_by_pdf(b"\x89PNG not even a pdf").verdict == Verdict.UNKNOWN


def test_a_voided_document_says_so(cast, issued):
    document_void(document=issued, by=cast.city, reason="重复发文")
    assert verification_by_pdf(issued.pdf.read()).verdict == Verdict.VOIDED
    assert verification_by_token(issued.token).verdict == Verdict.VOIDED


def test_the_pdf_carries_its_verification_link(issued):
    assert pdf_claimed_token(issued.pdf.read()) == issued.token


def test_the_qr_page_shows_issuer_number_date_and_title(client, issued):
    response = client.get(f"/verify/{issued.token}")
    assert response.status_code == 200
    page = response.content.decode()
    day = issued.issued_on
    for fact in ("镇江市工业和信息化局", issued.number, f"{day.year}年{day.month}月{day.day}日", issued.title):
        assert fact in page
    assert 'data-verdict="genuine"' in page


def test_an_unknown_code_is_a_404_that_says_unknown(client, issued):
    response = client.get("/verify/ZZZZZZZZZZ")
    assert response.status_code == 404
    assert 'data-verdict="unknown"' in response.content.decode()


def test_uploading_the_pdf_checks_its_bytes(client, issued):
    from django.core.files.uploadedfile import SimpleUploadedFile

    genuine = client.post("/verify/", {"pdf": SimpleUploadedFile("a.pdf", issued.pdf.read())})
    issued.pdf.seek(0)
    changed = client.post("/verify/", {"pdf": SimpleUploadedFile("b.pdf", altered(issued.pdf.read()))})
    assert 'data-verdict="genuine"' in genuine.content.decode()
    assert 'data-verdict="altered"' in changed.content.decode()


def test_the_verification_page_is_in_chinese_by_default(client, issued):
    assert "真实" in client.get(f"/verify/{issued.token}").content.decode()


def test_the_api_verifies_by_code_and_by_upload_without_login(client, issued):
    from django.core.files.uploadedfile import SimpleUploadedFile

    by_code = client.get(f"/api/verify/{issued.token}/").json()
    assert by_code == {
        "verdict": "genuine",
        "issuer": "镇江市工业和信息化局",
        "number": issued.number,
        "issued_on": issued.issued_on.isoformat(),
        "title": issued.title,
    }
    by_upload = client.post("/api/verify/", {"pdf": SimpleUploadedFile("x.pdf", b"%PDF-1.4 forged")}).json()
    assert by_upload["verdict"] == "unknown"
    assert client.get("/api/verify/ZZZZZZZZZZ/").status_code == 404


def test_the_command_exits_0_for_genuine_and_1_otherwise(issued, tmp_path, capsys):
    genuine, forged = tmp_path / "genuine.pdf", tmp_path / "forged.pdf"
    genuine.write_bytes(issued.pdf.read())
    forged.write_bytes(altered(genuine.read_bytes()))
    call_command("verify_document", str(genuine))
    assert "GENUINE" in capsys.readouterr().out
    with pytest.raises(CommandError) as refused:
        call_command("verify_document", str(forged))
    assert refused.value.returncode == 1 and "ALTERED" in str(refused.value) and issued.number in str(refused.value)
    with pytest.raises(CommandError) as missing:
        call_command("verify_document", str(tmp_path / "nothing.pdf"))
    assert "No such file" in str(missing.value)
