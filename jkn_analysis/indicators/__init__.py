"""Indicators: what the report measures, computed from the checked figures.

One pure, documented formula per indicator (`formulas`); every indicator of a period, with
its bounds and the published-versus-computed comparison (`compute`); and the checks that need
the computed indicators: loading that refuses an impossible indicator and the one data check
of ``jkn-report validate`` and ``build`` (`checks`).

May import: catalogue, inputs.
"""
