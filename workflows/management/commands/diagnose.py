"""``manage.py diagnose CREDIT_CODE``: the gap diagnosis of one enterprise, as text or JSON."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, Tier
from enterprises.validators import normalise_credit_code
from workflows.criteria import Kind
from workflows.criteria.report import diagnosis_data
from workflows.exceptions import CaseError
from workflows.selectors.diagnosis import diagnose, next_tier

STATUS_MARKS = {"met": "✔", "not_met": "✘", "unknown": "?", "review": "…"}


class Command(BaseCommand):
    help = (
        "Diagnose an enterprise against a tier's criteria: verdict, score, every rule with its value, points "
        "won and lost, and the smallest change that wins them back. Without --tier, the next tier up the "
        "ladder. Exit status 1 for an unknown credit code or tier."
    )

    def add_arguments(self, parser):
        parser.add_argument("credit_code", help="the enterprise's unified social credit code")
        parser.add_argument("--tier", help="innovative, srdi, little_giant or champion (default: the next tier up)")
        parser.add_argument("--as-of", dest="as_of", help="diagnosis date, YYYY-MM-DD (default: today)")
        parser.add_argument("--kind", default=Kind.NEW, help="new (default) or renewal (复核)")
        parser.add_argument("--format", dest="output_format", default="text", help="text (default) or json")

    def handle(self, *args, credit_code, tier, as_of, kind, output_format, **options):
        enterprise = self._enterprise(credit_code)
        day = self._day(as_of)
        if output_format not in {"text", "json"}:
            raise CommandError(_("Unknown format “%(format)s”; use text or json.") % {"format": output_format})
        if kind not in Kind.values:
            raise CommandError(_("Unknown kind “%(kind)s”; use new or renewal.") % {"kind": kind})
        tier = tier or next_tier(enterprise, day)
        if tier not in Tier.values:
            raise CommandError(
                _("Unknown tier “%(tier)s”; use one of: %(tiers)s.") % {"tier": tier, "tiers": ", ".join(Tier.values)}
            )
        try:
            data = diagnosis_data(diagnose(enterprise, tier, day, kind=kind))
        except CaseError as error:
            raise CommandError(str(error)) from None
        if output_format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self._print(data)

    def _enterprise(self, credit_code: str) -> Enterprise:
        code = normalise_credit_code(credit_code)
        enterprise = Enterprise.objects.filter(credit_code=code).first()
        if enterprise is None:
            raise CommandError(_("No enterprise with credit code %(code)s.") % {"code": code})
        return enterprise

    def _day(self, as_of: str | None) -> datetime.date:
        if not as_of:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(as_of)
        except ValueError:
            raise CommandError(_("--as-of must be a date like 2026-05-31, not “%(value)s”.") % {"value": as_of}) from None

    def _print(self, data: dict) -> None:
        write = self.stdout.write
        write(f"{data['enterprise']['name']} ({data['enterprise']['credit_code']})")
        write(f"{Tier(data['tier']).label} · {data['ruleset']['code']} v{data['ruleset']['version']} · {data['as_of']}")
        write(self._verdict(data))
        for group in data["groups"]:
            write(f"  {group['label']}: {group['points']}/{group['max_points']}")
        for rule in data["rules"]:
            values = "; ".join(f"{v['label']}: {v['text']}" for v in rule["values"].values())
            points = f" {rule['points']}/{rule['max_points']}" if rule["max_points"] is not None else ""
            write(f"{STATUS_MARKS[rule['status']]} {rule['label']}{points}  [{values}]")
            if rule["remedy"]:
                write(f"    → {rule['remedy']}")
        for note in data["notes"]:
            write(f"* {note}")

    def _verdict(self, data: dict) -> str:
        verdict = {True: _("passes"), False: _("does not pass"), None: _("undetermined")}[data["passed"]]
        text = _("Verdict: %(verdict)s") % {"verdict": verdict}
        if data["score"] is not None:
            text += " · " + _("score %(score)s (pass mark %(pass)s)") % {"score": data["score"], "pass": data["pass_score"]}
        return text
