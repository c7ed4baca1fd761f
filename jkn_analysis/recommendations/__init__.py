"""Recommendations: what the report proposes, and what the analyst decided.

The rules of ``catalogue/rules.yaml`` evaluated on a period's indicators and its history
(`rules`); the analyst's decisions and commentary in the period's ``review.yaml`` (`review`);
and the objects both share, a triggered rule with its evidence and a recommendation
(`evidence`).

May import: catalogue, inputs, indicators.
"""
