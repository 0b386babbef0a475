from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from steplog.signing import fingerprint, key_create


class Command(BaseCommand):
    help = (
        "Make the bureau's Ed25519 signing key (PEM, private, mode 0600) at PATH; refuses to overwrite a file. "
        "Point TIDU_SIGNING_KEY_FILE at it and give the public key (signing_key_public) to the auditors."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH")

    def handle(self, *args, path, **options):
        try:
            public = key_create(Path(path))
        except FileExistsError:
            raise CommandError(f"{path} exists: a signing key is never overwritten") from None
        except OSError as error:
            raise CommandError(f"cannot write {path}: {error.strerror}") from None
        self.stdout.write(f"signing key written to {path}\nfingerprint (SHA-256): {fingerprint(public)}")
