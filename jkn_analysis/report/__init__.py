"""The report: one period's sections, tables and charts, rendered for the notebook.

The quarterly report's sections as HTML fragments (`quarterly`), with their charts (`charts`),
accessible tables and the data behind them (`tabledata`); the projection notebook's view
(`projection_view`); and the names of the files of an edition (`filenames`). The Jinja2
templates and the stylesheet are in ``templates/``.

May import: catalogue, inputs, indicators, recommendations, projection, analysis.
"""
