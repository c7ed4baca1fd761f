"""Process-wide speed-ups of the processes a build runs: the command line and its kernel.

None of them changes a result, only how fast it is reached:

* `quiet_garbage_collector`: once the modules are imported, their objects are moved out of
  the collector's sight (``gc.freeze``) and young objects are collected less often, so the
  collector stops rescanning hundreds of thousands of long-lived objects (pandas, matplotlib,
  WeasyPrint) during the work and at exit.
* `prepare_kernel`: what a build's kernel runs once, at its start, while the command line
  checks the data: the modules the report notebook imports, pandera's checks (`load_validation`),
  then the above.
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


def load_validation() -> None:
    """Have pandera load its pandas checks now, by checking an empty table.

    pandera loads them at its first validation, with hypothesis's strategies when hypothesis is
    installed (the test environment has it): about 0,2 s, which the notebook's first cell would
    otherwise spend reading the data files.
    """
    import pandas as pd

    from jkn_analysis.catalogue.definitions import load_catalogue
    from jkn_analysis.inputs.schema import RAW_COLUMNS, raw_table_schema

    empty = pd.DataFrame({column: pd.Series(dtype=str) for column in RAW_COLUMNS})
    raw_table_schema(load_catalogue()).validate(empty)


def prepare_kernel() -> None:
    """Run in a build's kernel before its first notebook (`jkn_analysis.build.notebook`)."""
    import importlib

    for name in NOTEBOOK_MODULES:
        importlib.import_module(name)
    load_validation()
    quiet_garbage_collector()
