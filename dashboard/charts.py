"""Chart geometry for the server-drawn SVG (no JavaScript): bars, a funnel, progress against target.

Each function turns figures into shapes in a fixed coordinate box; the templates in
``templates/dashboard/includes/`` draw them, each shape a link to the list behind it.
"""

from dataclasses import dataclass, field

WIDTH = 600
ROW = 30


@dataclass(frozen=True)
class Bar:
    label: str
    value: object
    x: float
    y: float
    width: float
    params: dict = field(default_factory=dict)
    target_x: float | None = None
    met: bool = False
    text: str = ""


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    width: int = WIDTH
    label_width: int = 150

    @property
    def plot_width(self) -> int:
        return self.width - self.label_width - 70


def progress_chart(progresses) -> Chart:
    """One bar per figure, filled to its share of the target (capped at the end), the target a line."""
    chart = Chart(bars=[], height=len(progresses) * ROW + 10)
    bars = []
    for index, progress in enumerate(progresses):
        scale = progress.target or max(progress.total, 1)
        filled = min(progress.total / scale, 1) * chart.plot_width
        bars.append(
            Bar(
                label=progress.label, value=progress.total, x=chart.label_width, y=index * ROW + 5, width=filled,
                params={"key": progress.key}, target_x=chart.label_width + chart.plot_width if progress.target else None,
                met=bool(progress.target) and progress.total >= progress.target,
                text=f"{progress.total} / {progress.target}" if progress.target else str(progress.total),
            )
        )
    return Chart(bars=bars, height=chart.height)


def funnel_chart(stages) -> Chart:
    """Stages centred, each as wide as its share of the widest stage."""
    chart = Chart(bars=[], height=len(stages) * ROW + 10)
    widest = max((stage.count for stage in stages), default=0) or 1
    bars = []
    for index, stage in enumerate(stages):
        width = max(stage.count / widest * chart.plot_width, 2)
        x = chart.label_width + (chart.plot_width - width) / 2
        bars.append(
            Bar(label=stage.label, value=stage.count, x=x, y=index * ROW + 5, width=width,
                params={"stage": stage.key}, text=str(stage.count))
        )
    return Chart(bars=bars, height=chart.height)


def jurisdiction_chart(progress, jurisdictions) -> Chart:
    """One bar per jurisdiction for one figure, scaled to the largest."""
    chart = Chart(bars=[], height=len(jurisdictions) * ROW + 10)
    largest = max((progress.count_in(j) for j in jurisdictions), default=0) or 1
    bars = [
        Bar(
            label=j.name, value=progress.count_in(j), x=chart.label_width, y=index * ROW + 5,
            width=progress.count_in(j) / largest * chart.plot_width, params={"jurisdiction": j.code},
            text=str(progress.count_in(j)),
        )
        for index, j in enumerate(jurisdictions)
    ]
    return Chart(bars=bars, height=chart.height)
