from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from steplog.services import audit_checkpoint_create, checkpoint_json


class Command(BaseCommand):
    help = (
        "Record the step log's current sequence number and head hash as a checkpoint and print it as JSON "
        "(or write it to FILE). Keep the file outside this database: verify_audit --checkpoint FILE then "
        "detects a deleted tail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", metavar="FILE", help="write the JSON here instead of standard output")

    def handle(self, *args, output=None, **options):
        text = checkpoint_json(audit_checkpoint_create())
        if not output:
            self.stdout.write(text)
            return
        try:
            Path(output).write_text(text + "\n", encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror}") from None
        self.stdout.write(f"checkpoint written to {output}")
