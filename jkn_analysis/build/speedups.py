"""Process-wide speed-ups of the processes a build runs: the command line and its kernel.

None of them changes a result, only how fast it is reached:

* `quiet_garbage_collector`: once the modules are imported, their objects are moved out of
  the collector's sight (``gc.freeze``) and young objects are collected less often, so the
  collector stops rescanning hundreds of thousands of long-lived objects (pandas, matplotlib,
  WeasyPrint) during the work and at exit.
* `prepare_kernel`: what a build's kernel runs once, at its start, while the command line
  checks the data: the modules the report notebook imports, then the above.
"""

from __future__ import annotations

import gc

# The modules the report notebook's cells import (notebooks/quarterly_report.ipynb).
NOTEBOOK_MODULES = (
    "jkn_analysis.report.quarterly",
    "jkn_analysis.analysis.summary",
    "jkn_analysis.analysis.frames",
    "jkn_analysis.analysis.participation",
    "jkn_analysis.analysis.facilities",
    "jkn_analysis.analysis.finance",
    "jkn_analysis.analysis.appendix",
)


_FROZEN = False  # whether `quiet_garbage_collector` ran in this process


def quiet_garbage_collector() -> None:
    """Leave what is imported already to the permanent generation, and collect less often.

    Once per process: a later call (the next period of ``build --all``) would freeze the
    previous build's garbage with it, never to be collected."""
    global _FROZEN
    if _FROZEN:
        return
    _FROZEN = True
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def prepare_kernel() -> None:
    """Run in a build's kernel before its first notebook (`jkn_analysis.build.notebook`)."""
    import importlib

    for name in NOTEBOOK_MODULES:
        importlib.import_module(name)
    quiet_garbage_collector()
