"""Batch and incremental builds: rebuild a period only when something it depends on changed.

A period's report depends on its own data files, on the data of every earlier period (the
comparisons and the history charts), on the code, templates and notebook, and on the build
parameters. Their content hashes form the fingerprint of each edition (language), kept in
``reports/<QUARTER>/build.json``; an edition whose fingerprint matches, and whose files are all
there, is skipped. Hashes, not timestamps: a fresh clone or a touched file does not trigger a
rebuild.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from jkn_analysis.build.errors import UnsafeOutputError, message
from jkn_analysis.build.fingerprint import fingerprint
from jkn_analysis.build.outputs import (
    SHARED_FILES,
    editions_of,
    file_mode,
    read_record,
    report_status,
)
from jkn_analysis.catalogue.definitions import LANGUAGES
from jkn_analysis.catalogue.periods import PeriodError, Quarter
from jkn_analysis.catalogue.wording import load_text, messages
from jkn_analysis.inputs.validation import register_messages
from jkn_analysis.report.filenames import REPORT_CSS, report_paths

# Build times on the index are shown in Western Indonesia Time (WIB, UTC+7).
JAKARTA = ZoneInfo("Asia/Jakarta")

# Why an edition is (re)built, in the words of `jkn-report build`'s "building (...)" line.
BATCH_MESSAGES: dict[str, dict[str, str]] = messages("batch")
register_messages(BATCH_MESSAGES)


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
    (`jkn_analysis.inputs.validation.DataIssue.as_record`), or the plain text of older builds."""
    if isinstance(warning, dict):
        messages = warning.get("message") or {}
        return str(messages.get(language) or next(iter(messages.values()), ""))
    return str(warning)


# The index carries this mark, so that a later build knows the file is its own to replace.
INDEX_MARK = '<meta name="generator" content="jkn-report">'


def _is_pack_index(path: Path) -> bool:
    """Whether ``path`` is an index written by this pack (marked, or as versions before the
    mark wrote it: their title)."""
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


def _in_words(message: str, language: str) -> str:
    """A data-check message with its figure codes given as the figures' names:
    ``active_bp (Non-workers (BP))`` and a bare ``active_bp`` both become ``Non-workers (BP)``."""
    from jkn_analysis.catalogue.definitions import load_catalogue

    names = {code: figure.label[language] for code, figure in load_catalogue().figures.items()}
    for code in sorted(names, key=len, reverse=True):
        message = message.replace(f"{code} ({names[code]})", names[code])
    codes = "|".join(re.escape(code) for code in sorted(names, key=len, reverse=True))
    return re.sub(rf"\b(?:{codes})\b", lambda found: names[found.group()], message)


def _build_time(built_at: str, pattern: str, language: str) -> str:
    """A ``built_at`` of ``build.json`` (UTC) as a ``<time>`` in Jakarta time (WIB), worded by
    Babel in ``language``; the text as recorded when it is not a time."""
    from babel.dates import format_datetime

    try:
        moment = dt.datetime.strptime(built_at, "%Y-%m-%d %H:%M:%S UTC").replace(tzinfo=dt.UTC)
    except ValueError:
        return html.escape(built_at)
    local = moment.astimezone(JAKARTA)
    return (
        f'<time datetime="{local.isoformat()}">'
        f"{html.escape(format_datetime(local, pattern, locale=language))}</time>"
    )


def _link(href: str, label: str, **attributes: str) -> str:
    extra = "".join(f' {name}="{html.escape(value)}"' for name, value in attributes.items())
    return f'<a href="{html.escape(href)}"{extra}>{html.escape(label)}</a>'


def _period_block(out_dir: Path, folder: Path, quarter: Quarter, text: dict, language: str) -> str:
    """One period of the index: its status, each edition's files and build time, the shared
    indicator files and the data-check warnings (once when every edition has the same)."""
    editions = editions_of(read_record(folder))
    if not editions:
        return ""
    status = report_status(folder)
    status_word = text["draft_word" if status == "draft" else "status_final"][language]
    name = html.escape(folder.name)
    items = []
    for code, edition in editions.items():
        paths = report_paths(folder, quarter, code)
        files = [
            _link(f"{name}/{paths[kind].name}", label, **attributes)
            for kind, label, attributes in (
                ("html", "HTML", {"hreflang": code}),
                ("pdf", "PDF", {"hreflang": code, "type": "application/pdf"}),
                ("workbook", text["index_workbook"][language], {"hreflang": code}),
            )
            if paths[kind].is_file()
        ]
        projection = out_dir / "projections" / f"proyeksi-djs-{quarter}.{code}.html"
        if projection.is_file():
            href = f"projections/{projection.name}"
            files.append(_link(href, text["index_projection"][language], hreflang=code))
        checks = ""
        if len({json.dumps(e.get("warnings", []), sort_keys=True) for e in editions.values()}) > 1:
            checks = _checks(edition.get("warnings", []), text, language)
        pattern = text["build_time_pattern"][language]
        when = _build_time(edition.get("built_at", ""), pattern, language)
        items.append(
            f"<li><h3>{html.escape(text[f'edition_{code}'][language])}</h3>"
            f'<ul class="index-links">{"".join(f"<li>{f}</li>" for f in files)}</ul>'
            f'<p class="index-meta">{html.escape(text["build_time"][language])}: '
            f"{when}"
            f"</p>{checks}</li>"
        )
    shared = [_link(f"{name}/{file}", file) for file in SHARED_FILES if (folder / file).is_file()]
    shared_html = (
        f'<p class="index-meta">{html.escape(text["index_shared"][language])}: '
        + " · ".join(shared)
        + "</p>"
        if shared
        else ""
    )
    warnings = [e.get("warnings", []) for e in editions.values()]
    common = _checks(warnings[0], text, language) if all(w == warnings[0] for w in warnings) else ""
    return (
        f'<section class="index-period" aria-labelledby="period-{name}">'
        f'<h2 id="period-{name}">{html.escape(quarter.title(language))} '
        f'<span class="status status-{html.escape(status)}">{html.escape(status_word)}</span></h2>'
        f'<ul class="index-editions">{"".join(items)}</ul>{shared_html}{common}</section>'
    )


def _checks(warnings: list, text: dict, language: str) -> str:
    """The data-check warnings of a build, in words."""
    if not warnings:
        return f'<p class="index-meta">{html.escape(text["data_checks_none"][language])}</p>'
    entries = "".join(
        f"<li>{html.escape(_in_words(_warning_text(w, language), language))}</li>" for w in warnings
    )
    return (
        f'<div class="index-checks"><h3>{html.escape(text["data_checks"][language])} '
        f"({len(warnings)})</h3><ul>{entries}</ul></div>"
    )


def write_index(out_dir: Path, *, language: str = "id") -> Path:
    """Write ``reports/index.html``, the landing page: every built period, newest first, with
    its status (draft or final), each edition's HTML, PDF, data workbook and DJS projection,
    the shared ``indicators.json`` and ``indicators.csv``, build times in WIB and the data-check
    warnings in words. Only files that exist are linked.

    The page gets an ordinary file's mode under the umask (``mkstemp`` makes it 0600), so
    colleagues can open it, and is moved into place whole.

    Raises
    ------
    UnsafeOutputError
        When an ``index.html`` the pack did not write is in the way (`check_index`).
    """
    check_index(out_dir)
    text = load_text()
    blocks = []
    built = set()
    for folder in sorted((p for p in out_dir.iterdir() if p.is_dir()), reverse=True):
        try:
            quarter = Quarter.parse(folder.name)
        except PeriodError:
            continue
        if block := _period_block(out_dir, folder, quarter, text, language):
            blocks.append(block)
            built.add(str(quarter))
    projections = sorted(
        (
            page
            for page in (out_dir / "projections").glob("proyeksi-djs-*.html")
            if page.name.removeprefix("proyeksi-djs-").split(".")[0] not in built
        ),
        reverse=True,
    )
    if projections:
        links = "".join(
            f"<li>{_link(f'projections/{page.name}', page.name)}</li>" for page in projections
        )
        blocks.append(
            f'<section class="index-period"><h2>'
            f"{html.escape(text['index_other_projections'][language])}</h2>"
            f'<ul class="index-links">{links}</ul></section>'
        )
    if not blocks:
        blocks.append(f"<p>{html.escape(text['index_none'][language])}</p>")
    title = _index_title(text, language)
    css = REPORT_CSS.read_text("utf-8")
    page = (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"{INDEX_MARK}<title>{html.escape(title)}</title><style>{css}</style></head>\n"
        f'<body><main class="report index"><h1>{html.escape(title)}</h1>'
        f'<p class="index-intro">{html.escape(text["index_intro"][language])}</p>\n'
        + "\n".join(blocks)
        + "\n</main></body></html>\n"
    )
    target = out_dir / "index.html"
    if _unchanged(target, page):
        return target  # a rebuild with nothing new leaves the page (and its time) as it was
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


def _unchanged(target: Path, page: str) -> bool:
    """Whether ``target`` holds ``page`` already, with the mode an index is given."""
    try:
        same = target.read_text(encoding="utf-8") == page
        return same and (target.stat().st_mode & 0o777) == file_mode()
    except (OSError, UnicodeDecodeError):
        return False
