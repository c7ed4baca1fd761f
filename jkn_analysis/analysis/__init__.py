"""Analysis: one period's figures, indicators, rules and review, once, in no language.

`period` computes everything a quarterly report states about a period — the figures loaded and
checked, the indicators of every period up to it, the projection, the rules it triggers and
the analyst's review of them — in a `PeriodAnalysis`, and `analyse` keeps it for the process,
so that the Indonesian and English editions built in one kernel share one analysis. Each
section's data is a pure function of it: `summary`, `participation`, `facilities`, `finance`,
`appendix` (tables as DataFrames of codes, chart data, and the indicators its paragraphs
state, `facts`).
`frames` shows the data checks and the triggered rules as DataFrames for an analyst in
JupyterLab. The report (`jkn_analysis.report`) words and renders all of it.

May import: catalogue, inputs, indicators, recommendations, projection.
"""
