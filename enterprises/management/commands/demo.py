"""Load the demo city: runs each step of ``settings.TIDU_DEMO_STEPS`` in order, idempotently."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load the demo city (jurisdictions, ~300 enterprises, users of every role, cases at every stage). Safe to run again."

    def handle(self, *args, **options):
        steps = list(settings.TIDU_DEMO_STEPS)
        if not steps:
            raise CommandError("No demo steps are configured (settings.TIDU_DEMO_STEPS is empty).")
        for dotted_path in steps:
            self.stdout.write(f"-- {dotted_path}")
            import_string(dotted_path)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo city ready."))
