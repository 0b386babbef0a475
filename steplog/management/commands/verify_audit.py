from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from steplog.chain import Mark
from steplog.services import chain_verify


class Command(BaseCommand):
    help = (
        "Walk the hash-chained step log. Exits 0 when it is intact, 1 naming the first broken step and why "
        "(edited, missing, reordered, or a tail shorter than the checkpoint)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint", metavar="FILE", help="a checkpoint JSON written by audit_checkpoint and kept elsewhere"
        )

    def handle(self, *args, checkpoint=None, **options):
        mark = self._read_checkpoint(checkpoint) if checkpoint else None
        result = chain_verify(checkpoint=mark)
        if not result.ok:
            self.stderr.write(f"BROKEN at step {result.broken_seq}: {result.reason}")
            self.stderr.write(f"intact up to step {result.verified_seq}")
            raise SystemExit(1)
        self.stdout.write(
            f"OK: {result.verified_seq} steps verified in {result.seconds:.1f} s, head {result.head_hash}"
        )

    def _read_checkpoint(self, path: str) -> Mark:
        try:
            return Mark.from_json(Path(path).read_text(encoding="utf-8"), label=f"checkpoint file {path}")
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        except ValueError as error:
            raise CommandError(f"{path}: {error}") from None
