"""Build: notebooks turned into publications, safely, and only when something changed.

One period's report: the notebook run with papermill, exported to HTML, rendered to PDF and
written without touching what the pack did not write (`quarter`); what an edition depends on
(`fingerprint`); rebuilding only what changed and the index page (`batch`); and the live
preview (`preview`). The nbconvert template and the preview's page are in ``templates/``.

May import: catalogue, inputs, indicators, recommendations, projection, analysis, report.
"""
