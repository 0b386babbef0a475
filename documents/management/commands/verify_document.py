"""manage.py verify_document FILE.pdf: is this file, byte for byte, a document we issued?"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.forms import MAX_VERIFY_BYTES
from documents.selectors import Verdict, verification_by_pdf

DOCUMENT = "document {number} “{title}” issued by {issuer} on {issued_on}"
MESSAGES = {
    Verdict.GENUINE: "GENUINE: the file is, byte for byte, " + DOCUMENT + ".",
    Verdict.VOIDED: "VOIDED: the file is " + DOCUMENT + ", which has since been voided.",
    Verdict.ALTERED: "ALTERED: the file claims to be " + DOCUMENT + ", but its bytes differ from the issued PDF.",
    Verdict.UNKNOWN: "UNKNOWN: the file is not a document issued through this system.",
}


class Command(BaseCommand):
    help = "Check a PDF against the issued documents. Exit status 0 when genuine, 1 when voided, altered or unknown."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the PDF file to check")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > MAX_VERIFY_BYTES:
            raise CommandError(f"{path} is larger than 20 MB; no issued document is that large.")
        verification = verification_by_pdf(path.read_bytes())
        document = verification.document
        facts = {"number": "", "title": "", "issuer": "", "issued_on": ""}
        if document is not None:
            facts = {
                "number": document.number,
                "title": document.title,
                "issuer": document.issuer.name,
                "issued_on": document.issued_on,
            }
        message = MESSAGES[verification.verdict].format(**facts)
        if not verification.is_genuine:
            raise CommandError(message, returncode=1)
        self.stdout.write(self.style.SUCCESS(message))
