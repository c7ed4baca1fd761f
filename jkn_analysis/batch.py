"""Batch and incremental builds: rebuild a period only when something it depends on changed.

A period's report depends on its own data files, on the data of every earlier period (the
comparisons and the history charts), on the code, templates and notebook, and on the build
parameters. Their content hashes form the period's fingerprint, kept in
``reports/<QUARTER>/build.json``; a build whose fingerprint matches is skipped. Hashes, not
timestamps: a fresh clone or a touched file does not trigger a rebuild.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jkn_analysis.build import BUILD_RECORD
from jkn_analysis.loading import available_periods, period_files, unsupported_files
from jkn_analysis.periods import Quarter
from jkn_analysis.review import review_path

PACKAGE_DIR = Path(__file__).resolve().parent
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


def data_fingerprint(data_dir: Path, quarter: Quarter) -> dict[str, str]:
    """Hashes of the files the period's report reads: its own and every earlier period's data,
    and its own ``review.yaml``."""
    hashes = {}
    for period in available_periods(data_dir):
        if period > quarter:
            continue
        # A spreadsheet in a format the pack does not read counts too: one added after a build
        # must rebuild the period, whose data checks then name it, not leave it "up to date".
        folder = data_dir / str(period)
        for path in [*period_files(folder), *unsupported_files(folder)]:
            hashes[f"{period}/{path.name}"] = _sha256(path)
    review = review_path(data_dir, quarter)  # the analyst's decisions for this period
    if review.exists():
        hashes[f"{quarter}/{review.name}"] = _sha256(review)
    return hashes


def fingerprint(
    quarter: Quarter, data_dir: Path, languages: tuple[str, ...], notebook: Path
) -> dict:
    """Everything a period's report depends on, as content hashes."""
    return {
        "quarter": str(quarter),
        "languages": list(languages),
        "code": code_fingerprint(notebook),
        "data": data_fingerprint(data_dir, quarter),
    }


def read_record(folder: Path) -> dict | None:
    """The ``build.json`` of a built report, or ``None`` when there is none or it is unreadable."""
    try:
        return json.loads((folder / BUILD_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def rebuild_reason(current: dict, record: dict | None) -> str | None:
    """Why a period must be rebuilt, in one line; ``None`` when its report is up to date."""
    if record is None:
        return "no previous build"
    previous = record.get("fingerprint", {})
    if previous.get("languages") != current["languages"]:
        return (
            f"languages changed ({','.join(previous.get('languages', [])) or '-'} -> "
            f"{','.join(current['languages'])})"
        )
    old_data, new_data = previous.get("data", {}), current["data"]
    changed = sorted(
        name
        for name in new_data.keys() | old_data.keys()
        if old_data.get(name) != new_data.get(name)
    )
    if changed:
        shown = ", ".join(changed[:3]) + (
            f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        )
        return f"data changed: {shown}"
    if previous.get("code") != current["code"]:
        return "code, templates or notebook changed"
    return None


@dataclass(frozen=True)
class PlannedBuild:
    """One period of a batch: its fingerprint and why it is (re)built, or ``None`` to skip."""

    quarter: Quarter
    fingerprint: dict
    reason: str | None


def plan(
    quarters: list[Quarter],
    *,
    data_dir: Path,
    out_dir: Path,
    languages: tuple[str, ...],
    notebook: Path,
    force: bool = False,
) -> list[PlannedBuild]:
    """Decide, for each period, whether to build it and why."""
    planned = []
    for quarter in quarters:
        current = fingerprint(quarter, data_dir, languages, notebook)
        reason = rebuild_reason(current, read_record(out_dir / str(quarter)))
        if force and reason is None:
            reason = "forced (--force)"
        planned.append(PlannedBuild(quarter, current, reason))
    return planned


def _warning_text(warning: object, language: str) -> str:
    """A data check of ``build.json`` in ``language``: a record with its message per language
    (`jkn_analysis.validation.DataIssue.as_record`), or the plain text of older builds."""
    if isinstance(warning, dict):
        messages = warning.get("message") or {}
        return str(messages.get(language) or next(iter(messages.values()), ""))
    return str(warning)


def write_index(out_dir: Path, *, language: str = "id") -> Path:
    """Write ``reports/index.html``: every built report with links, build time and warnings."""
    from jkn_analysis.report import TEMPLATE_DIR, load_text

    text = load_text()
    rows = []
    for folder in sorted((p for p in out_dir.iterdir() if p.is_dir()), reverse=True):
        record = read_record(folder)
        if record is None:
            continue
        quarter = Quarter.parse(folder.name)
        links = " ".join(
            f'<a href="{html.escape(folder.name)}/{html.escape(name)}">{label}</a>'
            for language_code in record["fingerprint"]["languages"]
            for name, label in (
                (f"laporan-kinerja-jkn-{quarter}.{language_code}.html", f"HTML ({language_code})"),
                (f"laporan-kinerja-jkn-{quarter}.{language_code}.pdf", f"PDF ({language_code})"),
            )
        )
        warnings = [_warning_text(warning, language) for warning in record.get("warnings", [])]
        warning_html = (
            "<ul>" + "".join(f"<li>{html.escape(w)}</li>" for w in warnings) + "</ul>"
            if warnings
            else "–"
        )
        rows.append(
            f"<tr><td>{html.escape(quarter.label(language))}</td><td>{links}</td>"
            f"<td>{html.escape(record.get('built_at', ''))}</td><td>{warning_html}</td></tr>"
        )
    title = f"{text['report_title'][language]}: {text['index_title'][language]}"
    css = (TEMPLATE_DIR / "report.css").read_text("utf-8")
    page = (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{css}</style></head>\n"
        f'<body><main class="report"><h1>{html.escape(title)}</h1>'
        f'<table class="data"><thead><tr><th>{text["index_period"][language]}</th>'
        f"<th>{text['index_files'][language]}</th><th>{text['build_time'][language]}</th>"
        f"<th>{text['data_checks'][language]}</th></tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table></main></body></html>\n"
    )
    target = out_dir / "index.html"
    handle, temporary = tempfile.mkstemp(prefix=".index.", suffix=".html", dir=out_dir)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(page)
    os.replace(temporary, target)
    return target
