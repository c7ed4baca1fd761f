"""Batch and incremental builds: rebuild a period only when something it depends on changed.

A period's report depends on its own data files, on the data of every earlier period (the
comparisons and the history charts), on the code, templates and notebook, and on the build
parameters. Their content hashes form the fingerprint of each edition (language), kept in
``reports/<QUARTER>/build.json``; an edition whose fingerprint matches, and whose files are all
there, is skipped. Hashes, not timestamps: a fresh clone or a touched file does not trigger a
rebuild.
"""

from __future__ import annotations

import hashlib
import html
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jkn_analysis.build import (
    SHARED_FILES,
    UnsafeOutputError,
    editions_of,
    file_mode,
    message,
    read_record,
    report_paths,
)
from jkn_analysis.catalogue import LANGUAGES
from jkn_analysis.loading import available_periods, period_files, unsupported_files
from jkn_analysis.periods import PeriodError, Quarter
from jkn_analysis.review import review_path
from jkn_analysis.validation import register_messages

PACKAGE_DIR = Path(__file__).resolve().parent
CODE_SUFFIXES = {".py", ".yaml", ".j2", ".css", ".json", ".ipynb"}

# Why an edition is (re)built, in the words of `jkn-report build`'s "building (...)" line.
BATCH_MESSAGES: dict[str, dict[str, str]] = {
    "batch.no_previous_build": {"id": "belum pernah dibuat", "en": "no previous build"},
    "batch.file_missing": {"id": "berkas hilang: {names}", "en": "file missing: {names}"},
    "batch.data_changed": {"id": "data berubah: {names}", "en": "data changed: {names}"},
    "batch.and_more": {"id": "{names} dan {count} lainnya", "en": "{names} and {count} more"},
    "batch.code_changed": {
        "id": "kode, templat atau notebook berubah",
        "en": "code, templates or notebook changed",
    },
    "batch.forced": {"id": "dipaksa (--force)", "en": "forced (--force)"},
}
register_messages(BATCH_MESSAGES)


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


def fingerprint(quarter: Quarter, data_dir: Path, language: str, notebook: Path) -> dict:
    """Everything one edition (language) of a period's report depends on, as content hashes."""
    return {
        "quarter": str(quarter),
        "language": language,
        "code": code_fingerprint(notebook),
        "data": data_fingerprint(data_dir, quarter),
    }


def rebuild_reason(
    current: dict, record: dict | None, folder: Path | None = None, language: str = "en"
) -> str | None:
    """Why an edition must be rebuilt, in one line in ``language``; ``None`` when it is up to
    date.

    ``current`` is the edition's `fingerprint`; ``record`` the period's ``build.json``; given
    the report ``folder``, an edition with a file deleted by hand is rebuilt too.
    """
    edition = editions_of(record).get(current["language"])
    if edition is None:
        return message("batch.no_previous_build", language)
    if folder is not None:
        missing = [
            name for name in [*edition["files"], *SHARED_FILES] if not (folder / name).is_file()
        ]
        if missing:
            return message("batch.file_missing", language, names=", ".join(missing))
    previous = edition.get("fingerprint", {})
    old_data, new_data = previous.get("data", {}), current["data"]
    changed = sorted(
        name
        for name in new_data.keys() | old_data.keys()
        if old_data.get(name) != new_data.get(name)
    )
    if changed:
        shown = ", ".join(changed[:3])
        if len(changed) > 3:
            shown = message("batch.and_more", language, names=shown, count=len(changed) - 3)
        return message("batch.data_changed", language, names=shown)
    if previous.get("code") != current["code"]:
        return message("batch.code_changed", language)
    return None


@dataclass(frozen=True)
class PlannedBuild:
    """One period of a batch: each edition's fingerprint and why it is (re)built, or ``None``
    to skip it."""

    quarter: Quarter
    fingerprints: dict[str, dict]
    reasons: dict[str, str | None]

    @property
    def languages(self) -> tuple[str, ...]:
        """The editions to build, in the order asked for."""
        return tuple(language for language, reason in self.reasons.items() if reason)

    @property
    def reason(self) -> str | None:
        """Why the period is built, in one line (``None``: every edition is up to date).

        The reason alone when every edition asked for is rebuilt for it; otherwise each
        rebuilt edition's language and reason ("en: no previous build").
        """
        reasons = [self.reasons[language] for language in self.languages]
        if not reasons:
            return None
        if len(reasons) == len(self.reasons) and len(set(reasons)) == 1:
            return reasons[0]
        return "; ".join(f"{language}: {self.reasons[language]}" for language in self.languages)


def plan(
    quarters: list[Quarter],
    *,
    data_dir: Path,
    out_dir: Path,
    languages: tuple[str, ...],
    notebook: Path,
    force: bool = False,
    language: str = "en",
) -> list[PlannedBuild]:
    """Decide, for each period and edition, whether to build it and why (in ``language``)."""
    planned = []
    for quarter in quarters:
        folder = out_dir / str(quarter)
        record = read_record(folder)
        fingerprints, reasons = {}, {}
        for edition in languages:
            fingerprints[edition] = fingerprint(quarter, data_dir, edition, notebook)
            reasons[edition] = rebuild_reason(fingerprints[edition], record, folder, language)
            if force and reasons[edition] is None:
                reasons[edition] = message("batch.forced", language)
        planned.append(PlannedBuild(quarter, fingerprints, reasons))
    return planned


def _warning_text(warning: object, language: str) -> str:
    """A data check of ``build.json`` in ``language``: a record with its message per language
    (`jkn_analysis.validation.DataIssue.as_record`), or the plain text of older builds."""
    if isinstance(warning, dict):
        messages = warning.get("message") or {}
        return str(messages.get(language) or next(iter(messages.values()), ""))
    return str(warning)


# The index carries this mark, so that a later build knows the file is its own to replace.
INDEX_MARK = '<meta name="generator" content="jkn-report">'


def _is_pack_index(path: Path) -> bool:
    """Whether ``path`` is an index written by this pack (marked, or as versions before the
    mark wrote it: their title)."""
    from jkn_analysis.report import load_text

    try:
        page = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    text = load_text()
    titles = (_index_title(text, code) for code in LANGUAGES)
    return INDEX_MARK in page or any(f"<title>{html.escape(t)}</title>" in page for t in titles)


def _index_title(text: dict, language: str) -> str:
    return f"{text['report_title'][language]}: {text['index_title'][language]}"


def check_index(out_dir: Path) -> None:
    """Refuse to build when ``out_dir/index.html`` exists and was not written by this pack.

    Raises
    ------
    UnsafeOutputError
        Naming the file; it is left as it is.
    """
    target = out_dir / "index.html"
    if target.exists() and not _is_pack_index(target):
        raise UnsafeOutputError("build.foreign_index", path=target)


def write_index(out_dir: Path, *, language: str = "id") -> Path:
    """Write ``reports/index.html``: every built edition with links, build time and warnings.

    One row per period and edition, newest period first. The page gets an ordinary file's
    mode under the umask (``mkstemp`` makes it 0600), so colleagues can open it.

    Raises
    ------
    UnsafeOutputError
        When an ``index.html`` the pack did not write is in the way (`check_index`).
    """
    from jkn_analysis.report import TEMPLATE_DIR, load_text

    check_index(out_dir)
    text = load_text()
    rows = []
    for folder in sorted((p for p in out_dir.iterdir() if p.is_dir()), reverse=True):
        try:
            quarter = Quarter.parse(folder.name)
        except PeriodError:
            continue
        for edition_language, edition in editions_of(read_record(folder)).items():
            paths = report_paths(folder, quarter, edition_language)
            links = " ".join(
                f'<a href="{html.escape(folder.name)}/{html.escape(paths[kind].name)}">{label}</a>'
                for kind, label in (("html", "HTML"), ("pdf", "PDF"))
            )
            warnings = edition.get("warnings", [])
            warning_html = (
                "<ul>"
                + "".join(f"<li>{html.escape(_warning_text(w, language))}</li>" for w in warnings)
                + "</ul>"
                if warnings
                else "–"
            )
            rows.append(
                f"<tr><td>{html.escape(quarter.label(language))}</td>"
                f"<td>{html.escape(text[f'edition_{edition_language}'][language])}</td>"
                f"<td>{links}</td><td>{html.escape(edition.get('built_at', ''))}</td>"
                f"<td>{warning_html}</td></tr>"
            )
    title = _index_title(text, language)
    css = (TEMPLATE_DIR / "report.css").read_text("utf-8")
    page = (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head><meta charset="utf-8">'
        f"{INDEX_MARK}<title>{html.escape(title)}</title><style>{css}</style></head>\n"
        f'<body><main class="report"><h1>{html.escape(title)}</h1>'
        f'<table class="data"><thead><tr><th>{text["index_period"][language]}</th>'
        f"<th>{text['index_edition'][language]}</th>"
        f"<th>{text['index_files'][language]}</th><th>{text['build_time'][language]}</th>"
        f"<th>{text['data_checks'][language]}</th></tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table></main></body></html>\n"
    )
    target = out_dir / "index.html"
    handle, temporary = tempfile.mkstemp(prefix=".index.", suffix=".html", dir=out_dir)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            os.fchmod(stream.fileno(), file_mode())
            stream.write(page)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
