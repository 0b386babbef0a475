import time

from django.core.management.base import BaseCommand, CommandError

from approvals.services.sla import due_sweeps_run


class Command(BaseCommand):
    help = (
        "Run the due-timer sweep in this process: reminders for overdue tasks, escalation to the city "
        "queue, viewflow's due timers, and the sweeps of TIDU_DUE_SWEEP_HOOKS (notifications to send "
        "again, title-expiry reminders). Celery beat runs the same sweeps on its schedule; in eager or "
        "development mode run it once, or with --every to keep sweeping (what `make run` does)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, metavar="SECONDS", help="repeat the sweep every SECONDS until stopped")

    def handle(self, *args, every=None, **options):
        if every is not None and every < 1:
            raise CommandError("--every takes a whole number of seconds, at least 1")
        while True:
            counts = due_sweeps_run()
            self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
            if every is None:
                return
            time.sleep(every)
