"""The projection's default drivers, derived from the figures up to the origin only.

Each driver is measured (`trends`, `fund`) or a stated assumption of the pack; the figures
beyond the origin are hidden (`jkn_analysis.projection.history.UpTo`).
"""

from __future__ import annotations

from jkn_analysis.projection.calendar import PolicyCalendar
from jkn_analysis.projection.drivers import Drivers
from jkn_analysis.projection.fund import (
    measure_investment,
    measure_operating_share,
    measure_other_share,
)
from jkn_analysis.projection.history import (
    GOVERNMENT_COLLECTION,
    TREND_FADE,
    UTILISATION_LONG_RUN,
    Start,
    UpTo,
)
from jkn_analysis.projection.trends import (
    consecutive_pairs,
    measure_member_growth,
    measure_population_growth,
    measure_premium_rate_growth,
    measure_registered_growth,
    measure_utilisation_and_inflation,
    year_points,
)
from jkn_analysis.projection.wording import Pct, Text


def derive_drivers(figures, start: Start, calendar: PolicyCalendar) -> Drivers:
    """Default drivers from the figures up to ``start.period``, measured as
    `jkn_analysis.projection.history` describes.

    Each driver's explanation gives its formula and inputs, or why it falls back; ``basis``
    says ``derived``, ``assumption`` or ``fallback``; ``spread`` keeps its history where the
    data give it more than once.
    """
    figures = figures if isinstance(figures, UpTo) else UpTo(figures, start.period)
    derived: dict[str, tuple] = {}
    registered = measure_registered_growth(figures, start)
    for group, item in measure_member_growth(figures, start, registered).items():
        derived[f"member_growth_{group}"] = item
    derived["registered_growth"] = registered
    derived["population_growth"] = measure_population_growth(figures, start)
    derived["trend_fade"] = (
        TREND_FADE,
        "assumption",
        Text("drivers.trend_fade.assumption", rate=Pct(TREND_FADE, 0)),
        (),
    )
    derived["government_collection"] = (
        GOVERNMENT_COLLECTION,
        "assumption",
        Text("drivers.government_collection.assumption"),
        (),
    )
    points = year_points(figures, start.period, start.groups) if start.members_known else []
    pairs = consecutive_pairs(points)
    derived["premium_rate_growth"] = measure_premium_rate_growth(figures, start, pairs, calendar)
    member_growth = {group: derived[f"member_growth_{group}"][0] for group in start.groups}
    derived |= measure_utilisation_and_inflation(figures, start, pairs, calendar, member_growth)
    derived["utilisation_long_run"] = (
        UTILISATION_LONG_RUN,
        "assumption",
        Text("drivers.utilisation_long_run.assumption", rate=Pct(UTILISATION_LONG_RUN, 0)),
        (),
    )
    derived |= measure_investment(figures, start)
    derived["operating_share"] = measure_operating_share(figures, start, calendar)
    derived["other_share"] = measure_other_share(figures, start, derived["operating_share"][0])
    return Drivers(
        values={name: float(item[0]) for name, item in derived.items()},
        basis={name: item[1] for name, item in derived.items()},
        explanation={name: item[2] for name, item in derived.items()},
        spread={name: tuple(item[3]) for name, item in derived.items() if len(item[3]) >= 2},
    )
