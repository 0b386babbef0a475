from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from steplog.signing import fingerprint, public_key, public_key_pem


class Command(BaseCommand):
    help = (
        "Print the public half of the bureau's signing key (PEM) for auditors and outside keepers of "
        "checkpoints: tools/verify_bundle.py --public-key takes it. --fingerprint prints only its SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fingerprint", action="store_true", help="print only the key's SHA-256 fingerprint")

    def handle(self, *args, **options):
        try:
            key = public_key()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        if options["fingerprint"]:
            self.stdout.write(fingerprint(key))
        else:
            self.stdout.write(public_key_pem(key), ending="")
