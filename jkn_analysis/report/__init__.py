"""The report: one period's analysis worded and rendered in one language, for the notebook.

A section is rendered in two steps: its data comes from `jkn_analysis.analysis`, in no
language; its render step words that data and gives the HTML fragment: the cover, contents
and executive summary (`opening`), sections I to III (`participation`, `facilities`,
`finance`) and the appendix (`appendix`, with the edition's provenance from `provenance`).
`quarterly` holds `QuarterlyReport`, the edition they render for (its shape: `edition`);
`sections` numbers the captions from each section's list of tables and charts; `rendering`
has the templates, their filters and the one way an indicator is written. Charts (`charts`,
whose `ChartCache` keeps their SVGs on disk so that an equal chart is not drawn again),
accessible tables and the data behind them (`tabledata`), the projection notebook's view
(`projection_view`), `Fragment` (`fragment`) and the names of an edition's files
(`filenames`) complete it. The Jinja2 templates and the stylesheet are in ``templates/``.

May import: catalogue, inputs, indicators, recommendations, projection, analysis.
"""
