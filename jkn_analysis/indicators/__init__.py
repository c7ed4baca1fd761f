"""Indicators: what the report measures, computed from the checked figures.

One pure, documented formula per indicator (`formulas`); the catalogue's declarations of which
formula computes an indicator from which inputs, resolved and checked (`declarations`); every
indicator of a period, computed by going through those declarations, with its bounds and the
published-versus-computed comparison (`compute`); and the checks that need
the computed indicators: loading that refuses an impossible indicator and the one data check
of ``jkn-report validate`` and ``build`` (`checks`).

May import: catalogue, inputs.
"""
