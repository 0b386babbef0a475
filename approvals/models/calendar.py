"""The mainland working-day calendar: weekends, statutory holidays and make-up workdays.

Each year the State Council publishes which weekdays are holidays and which weekend days
are worked instead (调休). A year is covered once its row exists in ``CalendarYear``; its
exceptions to the Monday–Friday rule are ``CalendarDay`` rows. Seeded from the
``chinesecalendar`` package, then kept by administrators: a year nobody entered is never
guessed (deadlines falling in it are marked provisional).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where the holiday arrangement comes from, e.g. the State Council notice."),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """A day that breaks the weekend rule: a weekday holiday or a worked weekend day."""

    year = models.ForeignKey(CalendarYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=64, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")

    def __str__(self):
        return f"{self.date} {self.note}"

    def clean(self):
        super().clean()
        if self.date and self.year_id and self.date.year != self.year.year:
            raise ValidationError({"date": _("The date must lie in %(year)s.") % {"year": self.year.year}})
