"""JKN quarterly report pack: figures, indicators, charts and report rendering for DJSN.

The notebooks in ``notebooks/`` call this package; the ``jkn-report`` command builds reports.
Submodules are imported on use so that a command such as ``jkn-report --help`` stays quick.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jkn-analysis")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"
