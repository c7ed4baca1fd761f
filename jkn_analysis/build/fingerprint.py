"""What an edition of a period's report depends on, as content hashes (its fingerprint).

A period's report depends on its own data files, on the data of every earlier period (the
comparisons and the history charts), on its ``review.yaml``, and on the pack's code, catalogue,
templates and notebook. `jkn_analysis.build.batch` compares these hashes with those kept in
``build.json`` to rebuild only what changed.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.inputs.folders import available_periods, period_files, unsupported_files
from jkn_analysis.recommendations.decisions import review_path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
CODE_SUFFIXES = {".py", ".yaml", ".j2", ".css", ".json", ".ipynb"}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def code_fingerprint(notebook: Path) -> str:
    """One hash over the package's code, catalogue, templates and the report notebook."""
    digest = hashlib.sha256()
    files = sorted(
        p
        for p in PACKAGE_DIR.rglob("*")
        if p.suffix in CODE_SUFFIXES and "__pycache__" not in p.parts
    )
    for path in [*files, notebook]:
        digest.update(path.relative_to(path.parents[1]).as_posix().encode())
        digest.update(_sha256(path).encode())
    return digest.hexdigest()


def period_file_hashes(data_dir: Path, period: Quarter) -> dict[str, str]:
    """The hash of each data file of one period, by name (``figures.csv``).

    A spreadsheet in a format the pack does not read counts too: one added after a build must
    rebuild the period, whose data checks then name it, not leave it "up to date".
    """
    folder = Path(data_dir) / str(period)
    return {
        path.name: _sha256(path) for path in [*period_files(folder), *unsupported_files(folder)]
    }


def data_fingerprint(data_dir: Path, quarter: Quarter) -> dict[str, str]:
    """Hashes of the files the period's report reads: its own and every earlier period's data,
    and its own ``review.yaml``."""
    hashes = {}
    for period in available_periods(data_dir):
        if period > quarter:
            continue
        for name, digest in period_file_hashes(data_dir, period).items():
            hashes[f"{period}/{name}"] = digest
    review = review_path(data_dir, quarter)  # the analyst's decisions for this period
    if review.exists():
        hashes[f"{quarter}/{review.name}"] = _sha256(review)
    return hashes


def fingerprint(quarter: Quarter, data_dir: Path, language: str, notebook: Path) -> dict:
    """Everything one edition (language) of a period's report depends on, as content hashes."""
    return {
        "quarter": str(quarter),
        "language": language,
        "code": code_fingerprint(notebook),
        "data": data_fingerprint(data_dir, quarter),
    }
