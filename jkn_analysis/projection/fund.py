"""The fund's own drivers, from the DJS statements up to the origin: the investment yield and
portfolio, and the operating and other items as shares of premium income.
"""

from __future__ import annotations

from jkn_analysis.projection.calendar import PolicyCalendar
from jkn_analysis.projection.history import Start, latest_value
from jkn_analysis.projection.wording import (
    Joined,
    Num,
    Pct,
    Period,
    Rp,
    Text,
)


def measure_investment(figures, start: Start):
    """Investment yield and the months of claims the portfolio holds beyond net assets."""
    origin, m = start.period, start.months_elapsed
    monthly_claims = start.claims / m
    out = {}
    if start.portfolio is not None:
        months = max(0.0, (start.portfolio - start.net_assets) / monthly_claims)
        out["liability_months"] = (
            months,
            "derived",
            Text(
                "drivers.liability_months.derived",
                portfolio=Rp(start.portfolio),
                assets=Rp(start.net_assets),
                claims=Rp(start.claims),
                m=m,
                months=Num(months, 2),
            ),
            (),
        )
        published = figures.value("djs_investment_yield", origin)
        if published is not None:
            rate = published * 12 / m
            text = Text(
                "drivers.investment_yield.published",
                period=Period(origin),
                published=Pct(published),
                m=m,
                rate=Pct(rate),
            )
        else:
            rate = start.investment * 12 / m / start.portfolio * 100
            text = Text(
                "drivers.investment_yield.portfolio",
                income=Rp(start.investment, None),
                m=m,
                portfolio=Rp(start.portfolio),
                rate=Pct(rate),
            )
        out["investment_yield"] = (rate, "derived", text, ())
        return out
    out["liability_months"] = (0.0, "fallback", Text("drivers.liability_months.fallback"), ())
    december = origin.previous_december
    assets_before = figures.value("djs_net_assets", december)
    history = []
    for p in figures.periods:
        if p <= origin and p.quarter == 4:
            income, before = (
                figures.value("djs_investment_income", p),
                figures.value("djs_net_assets", p.previous_december),
            )
            if income is not None and before and before > 0:
                history.append(income / before * 100)
    if start.investment > 0 and assets_before and assets_before > 0:
        rate = start.investment * 12 / m / assets_before * 100
        text = Text(
            "drivers.investment_yield.net_assets",
            income=Rp(start.investment, None),
            m=m,
            december=Period(december),
            assets=Rp(assets_before),
            rate=Pct(rate),
        )
        return out | {"investment_yield": (rate, "derived", text, tuple(history))}
    if start.investment > 0 and start.net_assets > 0:
        rate = start.investment * 12 / m / start.net_assets * 100
        text = Text(
            "drivers.investment_yield.net_assets",
            income=Rp(start.investment, None),
            m=m,
            december=Period(origin),
            assets=Rp(start.net_assets),
            rate=Pct(rate),
        )
        return out | {"investment_yield": (rate, "derived", text, tuple(history))}
    target = latest_value(figures, "djs_investment_yield_target", origin)[0]
    rate = 0.0 if target is None else target
    key = "fallback" if target is None else "target"
    return out | {
        "investment_yield": (
            rate,
            "fallback",
            Text(f"drivers.investment_yield.{key}", rate=Pct(rate)),
            (),
        )
    }


def measure_operating_share(figures, start: Start, calendar: PolicyCalendar):
    history = []
    for p in figures.periods:
        if p <= start.period:
            expense, premium = (
                figures.value("bpjs_operating_expense", p),
                figures.value("premium_income", p),
            )
            if expense is not None and premium:
                history.append((p, expense, premium, expense / premium * 100))
    if history:
        period, expense, premium, share = history[-1]
        text = Text(
            "drivers.operating_share.derived",
            period=Period(period),
            expense=Rp(expense),
            premium=Rp(premium),
            share=Pct(share),
        )
        return share, "derived", text, tuple(h[-1] for h in history)
    cap = calendar.cap(start.period.year)
    if cap is not None:
        return cap.share, "assumption", Text("drivers.operating_share.at_cap", cap=cap.label), ()
    return 0.0, "fallback", Text("drivers.operating_share.fallback"), ()


def measure_other_share(figures, start: Start, operating_share: float):
    """Other income less other non-claims expenses, share of premium: mean of the history."""
    observations = []
    for p in figures.periods:
        if p > start.period:
            continue
        surplus = figures.value("djs_surplus_reported", p)
        if surplus is None:
            revenue, expenses = (
                figures.value("djs_revenue_total", p),
                figures.value("djs_expense_total", p),
            )
            surplus = None if revenue is None or expenses is None else revenue - expenses
        premium, claims = (
            figures.value("premium_income", p),
            figures.value("claims_expense_total", p),
        )
        if surplus is None or not premium or claims is None:
            continue
        investment = figures.value("djs_investment_income", p) or 0.0
        operating = figures.value("bpjs_operating_expense", p)
        operating = operating_share / 100 * premium if operating is None else operating
        other = surplus - (premium - claims + investment - operating)
        observations.append((p, other, premium, other / premium * 100))
    if not observations:
        return 0.0, "fallback", Text("drivers.other_share.fallback"), ()
    shares = [o[-1] for o in observations]
    mean = sum(shares) / len(shares)
    items = Joined(
        [
            Text("drivers.other_share.item", period=Period(p), other=Rp(o), share=Pct(s))
            for p, o, _, s in observations
        ],
        "; ",
    )
    text = Text("drivers.other_share.derived", items=items, n=len(shares), rate=Pct(mean))
    return mean, "derived", text, tuple(shares)
