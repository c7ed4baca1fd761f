"""Process-wide speed-ups of the processes a build runs: the command line and its kernel.

None of them changes a result, only how fast it is reached:

* `fast_yaml`: ``yaml.safe_load`` parses with libyaml (``yaml.CSafeLoader``) where PyYAML was
  built with it. The catalogue, the wording and the rules are YAML files of some thousand
  lines each; the pure-Python parser spent 1-2 s of every build on them, in the command line
  and again in the kernel. The C parser feeds the same constructor and resolver
  (``SafeConstructor``, ``Resolver``), so the documents come out the same; only the scanning
  and parsing are done in C; a malformed document is parsed again by the Python parser, so
  its error message stays word for word.
* `quiet_garbage_collector`: once the modules are imported, their objects are moved out of
  the collector's sight (``gc.freeze``) and young objects are collected less often, so the
  collector stops rescanning hundreds of thousands of long-lived objects (pandas, matplotlib,
  WeasyPrint) during the work and at exit.
* `prepare_kernel`: what a build's kernel runs once, at its start, while the command line
  checks the data: both of the above, and the modules the report notebook imports.
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


_PYTHON_SAFE_LOAD = None  # PyYAML's own ``safe_load``, once `fast_yaml` replaced it


def _fast_safe_load(stream):
    """``yaml.safe_load`` with the C parser; a malformed document is parsed again by the
    pure-Python one, so that its error reads as before (the C parser words it differently)."""
    import yaml

    try:
        return yaml.load(stream, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        if hasattr(stream, "seek"):
            stream.seek(0)
        return _PYTHON_SAFE_LOAD(stream)


def fast_yaml() -> None:
    """Make ``yaml.safe_load`` parse with libyaml, when PyYAML has it (see the module)."""
    global _PYTHON_SAFE_LOAD
    import yaml

    if getattr(yaml, "__with_libyaml__", False) and yaml.safe_load is not _fast_safe_load:
        _PYTHON_SAFE_LOAD = yaml.safe_load
        yaml.safe_load = _fast_safe_load


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

    fast_yaml()
    for name in NOTEBOOK_MODULES:
        importlib.import_module(name)
    quiet_garbage_collector()
