from django.core.management.base import BaseCommand

from approvals.services.sla import due_timers_run


class Command(BaseCommand):
    help = (
        "Run the due-timer sweep once, in this process: reminders for overdue tasks, escalation to the city "
        "queue, and viewflow's due timers. Celery beat runs the same sweep every minute; use this in eager "
        "or development mode."
    )

    def handle(self, *args, **options):
        counts = due_timers_run()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
