"""Build: notebooks turned into publications, safely, and only when something changed.

One period's report (`quarter`): the data checked, the notebook run for each language in one
kernel (`notebook`), each edition exported to HTML and rendered to PDF (`export`), and written
without touching what the pack did not write (`outputs`: build records, safe replacement,
modes, leftovers); what a failure says (`errors`) and what Ctrl-C does (`interrupts`). What an
edition depends on (`fingerprint`); whether a period can have a report, remembered by its files'
content (`readiness`); rebuilding only what changed and the index page (`batch`);
the ``jkn-report build`` command over many periods (`command`). The live preview: the watched
files (`preview_watcher`), the warm report rendered (`preview_rendering`) and its server
(`preview`). What makes the build's processes faster without changing a result: the C YAML
parser, a quieter garbage collector, the kernel's modules loaded at its start (`speedups`).
The nbconvert template and the preview's page are in ``templates/``.

May import: catalogue, inputs, indicators, recommendations, projection, analysis, report.
"""

import sys

# jsonschema (imported by nbformat, under papermill and nbconvert) loads rfc3987-syntax when it
# is installed, and that module builds a Lark grammar at import: about a second on every build.
# JupyterLab needs the package (through jupyter-events), so it stays installed; this process
# never validates IRI formats, so it does without it. Here, so that it precedes every import of
# nbformat by the build's modules.
sys.modules.setdefault("rfc3987_syntax", None)
