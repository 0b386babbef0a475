import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from steplog.chain import Mark
from steplog.services import chain_verify
from steplog.signing import checkpoint_signature_problem, public_key_load


class Command(BaseCommand):
    help = (
        "Walk the hash-chained step log. Exits 0 when it is intact, 1 naming the first broken step and why "
        "(edited, missing, reordered, or a tail shorter than the checkpoint). A signed checkpoint's signature "
        "is checked first, with the bureau's key or --public-key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint", metavar="FILE", help="a checkpoint JSON written by audit_checkpoint and kept elsewhere"
        )
        parser.add_argument(
            "--public-key", metavar="PEM", help="check the checkpoint's signature with this key (default: the bureau's)"
        )

    def handle(self, *args, checkpoint=None, public_key=None, **options):
        mark = self._read_checkpoint(checkpoint, public_key) if checkpoint else None
        result = chain_verify(checkpoint=mark)
        if not result.ok:
            self.stderr.write(f"BROKEN at step {result.broken_seq}: {result.reason}")
            self.stderr.write(f"intact up to step {result.verified_seq}")
            raise SystemExit(1)
        self.stdout.write(
            f"OK: {result.verified_seq} steps verified in {result.seconds:.1f} s, head {result.head_hash}"
        )

    def _read_checkpoint(self, path: str, key_path: str | None) -> Mark:
        text = self._read(path)
        try:
            mark = Mark.from_json(text, label=f"checkpoint file {path}")
        except ValueError as error:
            raise CommandError(f"{path}: {error}") from None
        payload = json.loads(text)
        if "signature" not in payload:
            self.stderr.write(f"WARNING: {path} is not signed; it proves only what its keeper vouches for.")
            return mark
        problem = checkpoint_signature_problem(payload, self._public_key(key_path) if key_path else None)
        if problem:
            self.stderr.write(f"FORGED checkpoint {path}: {problem}")
            raise SystemExit(1)
        return mark

    def _public_key(self, path: str):
        try:
            return public_key_load(self._read(path).encode())
        except ValueError as error:
            raise CommandError(f"{path}: not an Ed25519 key ({error})") from None

    def _read(self, path: str) -> str:
        try:
            return Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
