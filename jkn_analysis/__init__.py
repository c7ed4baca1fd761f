"""JKN quarterly report pack: figures, indicators, charts and report rendering for DJSN.

The notebooks in ``notebooks/`` call this package; the ``jkn-report`` command (`cli`) builds
reports. Its subpackages are the stages of the flow, each importing only those before it:

    catalogue -> inputs -> indicators -> recommendations, projection -> analysis -> report
      -> build -> cli

Each subpackage's docstring says what it does and, in its ``May import:`` line, which stages
it may use; ``tests/unit/test_architecture.py`` holds the code to those lines and refuses
import cycles. Submodules are imported on use so that ``jkn-report --help`` stays quick.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jkn-analysis")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"
