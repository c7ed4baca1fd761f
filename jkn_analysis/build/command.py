"""The ``jkn-report build`` command: which periods, built one by one or by worker processes.

`build_command` checks the folders and the periods asked for (`_buildable`: a period without
a report of its own is skipped or refused, with its reason), plans what changed
(`jkn_analysis.build.batch.plan`), builds each period (`_build_one`, a top-level function so
that worker processes can run it), writes a failure's details to ``build-<QUARTER>.log`` and
the index page, and prints one line per step in the language of the command. The parser and
the other commands are in `jkn_analysis.cli`.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
import traceback
from pathlib import Path

from jkn_analysis.build.errors import BuildError, message
from jkn_analysis.build.interrupts import (
    BuildInterrupted,
    install_interrupt_handler,
    interrupted,
    stop_on_interrupt,
)
from jkn_analysis.build.outputs import check_output, remove_leftovers
from jkn_analysis.catalogue.formatting import format_number
from jkn_analysis.catalogue.periods import Quarter
from jkn_analysis.catalogue.wording import messages
from jkn_analysis.inputs.folders import available_periods, misnamed_period_issues, period_files
from jkn_analysis.inputs.validation import MESSAGES, register_messages

# The command line's lines (`jkn_analysis.cli` registers the same ones).
register_messages(messages("cli"))


def say(key: str, language: str, **values: object) -> str:
    """A registered message (the command line's, the validation's or the build's) in
    ``language``."""
    return MESSAGES[key][language].format(**values)


def error_line(language: str, text: str) -> None:
    """Print ``error: text`` (in ``language``) to standard error."""
    print(say("cli.error", language, text=text), file=sys.stderr, flush=True)


def folder_warnings(data: Path, language: str, stream=None) -> None:
    """Print a warning for each folder or file of ``data`` named almost like a period (to
    ``stream``, standard output by default)."""
    for issue in misnamed_period_issues(data):
        text = MESSAGES["report.folder_warning"][language].format(text=issue.describe(language))
        print(text, file=stream or sys.stdout, flush=True)


# The first line of every build log, so that a later build knows the log is its own to remove.
LOG_HEADER = "jkn-report build log"


def _log_path(out_dir: Path, quarter: Quarter) -> Path:
    return out_dir / f"build-{quarter}.log"


def _is_pack_log(path: Path) -> bool:
    """Whether ``path`` is a build log of this pack (versions before the header wrote only the
    BuildError traceback)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return text.startswith(LOG_HEADER) or "jkn_analysis.build.quarter.BuildError" in text


def _write_log(out_dir: Path, quarter: Quarter, error: BaseException, language: str) -> str:
    """Write the failure's details to ``build-<QUARTER>.log``; the line saying where they are
    (or why they could not be written: a full disk, a read-only folder, a file not ours)."""
    log = _log_path(out_dir, quarter)
    if log.exists() and not _is_pack_log(log):
        return message("build.log_foreign", language, path=log)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        log.write_text(
            f"{LOG_HEADER}: {quarter}\n" + "".join(traceback.format_exception(error)),
            encoding="utf-8",
        )
    except OSError as failure:
        with contextlib.suppress(OSError):
            log.unlink(missing_ok=True)  # half a log (disk full) is no help
        return message("build.log_not_written", language, path=log, reason=failure.strerror)
    return message("build.log_written", language, period=quarter, path=log)


def _build_one(task: tuple) -> bool | None:
    """Build one planned period and report it on the terminal; ``False`` when it failed,
    ``None`` when Ctrl-C stopped it (or came before it started).

    A top-level function, so that parallel builds can run it in worker processes.
    """
    from jkn_analysis.build.quarter import build_quarter

    prefix, item, languages, data_dir, out_dir, language = task
    if interrupted():
        return None  # no new build, and no new kernel, after Ctrl-C
    started = time.perf_counter()
    try:
        result = build_quarter(
            item.quarter,
            languages=languages,
            data_dir=data_dir,
            out_dir=out_dir,
            fingerprints={code: item.fingerprints[code] for code in languages},
            progress=lambda message: print(f"{prefix}:   {message.split(': ', 1)[1]}", flush=True),
            message_language=language,
        )
    except BuildInterrupted:
        return None
    except BuildError as error:
        where = _write_log(out_dir, item.quarter, error, language)
        # A failed data check prints validate's report, several lines, below the headline.
        cause = error.describe(language).rstrip()
        cause = f"\n{cause}" if "\n" in cause else f" {cause}"
        step = error.step_words(language)
        print(
            say("build.failed", language, period=item.quarter, step=step, cause=cause),
            file=sys.stderr,
        )
        print(where, file=sys.stderr, flush=True)
        return False
    log = _log_path(out_dir, item.quarter)
    if log.exists() and _is_pack_log(log):
        with contextlib.suppress(OSError):
            log.unlink()  # the failure it describes is gone
    seconds = format_number(time.perf_counter() - started, 1, language=language)
    print(
        say("build.built", language, prefix=prefix, seconds=seconds, folder=result.folder),
        flush=True,
    )
    return True


def _buildable(
    args: argparse.Namespace, periods: list[Quarter], language: str
) -> tuple[list[Quarter], int] | int:
    """The periods to build and the number refused; or an exit status when there are none.

    Every period without a report of its own (`jkn_analysis.build.readiness.blocking_reason`:
    nothing filled in yet, or too few figures) is named with its reason. ``--all`` skips them;
    with no period given, the latest period that can be built is chosen; a period asked for by
    name is refused (and counted, so that the command exits 1).
    """

    from jkn_analysis.build.fingerprint import code_fingerprint
    from jkn_analysis.build.notebook import NOTEBOOK
    from jkn_analysis.build.readiness import blocking_reason

    code = code_fingerprint(NOTEBOOK)

    def reason(quarter: Quarter) -> str | None:
        blocker = blocking_reason(args.data, quarter, code)
        return None if blocker is None else blocker[language]

    if args.all:
        quarters = []
        for quarter in periods:
            why = reason(quarter)
            if why is None:
                quarters.append(quarter)
            else:
                print(MESSAGES["build.skipped"][language].format(reason=why), flush=True)
        return quarters, 0
    if args.quarters:
        quarters, refused = [], 0
        for quarter in dict.fromkeys(args.quarters):
            why = reason(quarter)
            if why is None:
                quarters.append(quarter)
            else:
                print(MESSAGES["build.not_built"][language].format(reason=why), file=sys.stderr)
                refused += 1
        return quarters, refused
    for quarter in reversed(periods):  # the latest period that can be built
        why = reason(quarter)
        if why is None:
            print(MESSAGES["build.latest"][language].format(period=quarter), flush=True)
            return [quarter], 0
        print(MESSAGES["build.skipped"][language].format(reason=why), flush=True)
    error_line(
        language, MESSAGES["build.none_buildable"][language].format(folder=args.data.resolve())
    )
    return 1


def _expected_work(task: tuple) -> tuple[int, Quarter]:
    """How long a planned build should take, to order the builds of parallel workers: the size
    of the period's data files (the report's pages grow with its figures: 9 pages for 2023Q1's
    15 figures, 27 for 2024Q1's 73), times its editions; the later period first at equal size."""
    _, item, languages, data_dir, _, _ = task
    size = 0
    for path in period_files(data_dir / str(item.quarter)):
        with contextlib.suppress(OSError):
            size += path.stat().st_size
    return size * len(languages), item.quarter


def _run_builds(todo: list[tuple], jobs: int) -> tuple[list[bool | None], bool]:
    """Run the planned builds, in worker processes when ``jobs`` > 1; Ctrl-C stops them all.

    Each worker handles Ctrl-C itself (the terminal sends it to every process of the command,
    and the main process passes it on when it alone received it): its running build unwinds,
    and the builds still queued return at once without starting a kernel. Returns each build's
    outcome (see `_build_one`) and whether Ctrl-C was pressed.
    """
    with stop_on_interrupt():
        if jobs > 1 and len(todo) > 1:
            from concurrent.futures import ProcessPoolExecutor

            # The longest builds first, so that none started last keeps one worker busy while
            # the others wait (longest-first scheduling); see `_expected_work`.
            order = sorted(range(len(todo)), key=lambda number: _expected_work(todo[number]))
            order.reverse()
            with ProcessPoolExecutor(
                max_workers=jobs, initializer=install_interrupt_handler
            ) as pool:
                done = dict(zip(order, pool.map(_build_one, [todo[n] for n in order]), strict=True))
            outcomes = [done[number] for number in range(len(todo))]
        else:
            outcomes = [_build_one(task) for task in todo]
        return outcomes, interrupted() or None in outcomes


def build_command(args: argparse.Namespace, language: str) -> int:
    """Run ``jkn-report build`` with messages in ``language``; its exit status (0: built or up to
    date, 1: a failure, 2: a usage error; Ctrl-C raises `BuildInterrupted`)."""
    try:
        return _build_checked(args, language)
    except BuildError as error:  # a refused output folder, before anything was touched
        error_line(language, error.describe(language))
        return 1
    except OSError as error:  # a permission error, a full disk: one line naming the path
        path = error.filename or args.out
        reason = error.strerror or str(error)
        error_line(language, message("build.file_error", language, path=path, reason=reason))
        return 1


def _build_checked(args: argparse.Namespace, language: str) -> int:
    # Here, not at the top: `folder_warnings` serves commands that never build.
    from jkn_analysis.build.batch import check_index, plan, write_index
    from jkn_analysis.build.notebook import NOTEBOOK

    if args.data.exists() and not args.data.is_dir():
        error_line(
            language, message("build.not_a_folder", language, option="--data", path=args.data)
        )
        return 1
    check_output(args.out, args.data, [])  # --out is, holds or lies in --data: refused first
    folder_warnings(args.data, language)
    periods = available_periods(args.data)
    if not periods:
        error_line(language, say("build.no_periods", language, folder=args.data.resolve()))
        return 2
    if args.jobs < 1:
        error_line(language, say("build.bad_jobs", language))
        return 2
    if args.all and args.quarters:
        error_line(language, say("build.quarters_and_all", language))
        return 2
    missing = [q for q in args.quarters if q not in periods]
    if missing:
        text = say(
            "build.no_data",
            language,
            periods=", ".join(map(str, missing)),
            folder=args.data.resolve(),
            available=", ".join(map(str, periods)),
        )
        error_line(language, text)
        return 2
    chosen = _buildable(args, periods, language)
    if isinstance(chosen, int):
        return chosen
    quarters, refused = chosen
    planned = plan(
        quarters,
        data_dir=args.data,
        out_dir=args.out,
        languages=args.lang,
        notebook=NOTEBOOK,
        force=args.force,
        language=language,
    )
    # Every folder the run would replace, and the index, checked before any build starts.
    check_output(args.out, args.data, [item.quarter for item in planned if item.reason])
    check_index(args.out)
    if args.out.is_dir():
        remove_leftovers(args.out)  # of killed builds, even when every period is up to date
    todo = []
    for number, item in enumerate(planned, start=1):
        prefix = f"[{number}/{len(planned)}] {item.quarter}"
        if item.reason is None:
            print(say("build.up_to_date", language, prefix=prefix), flush=True)
        else:
            print(say("build.building", language, prefix=prefix, reason=item.reason), flush=True)
            todo.append((prefix, item, item.languages, args.data, args.out, language))
    outcomes, stopped = _run_builds(todo, args.jobs)
    failures = sum(1 for ok in outcomes if ok is False)
    built = sum(1 for ok in outcomes if ok)
    if args.out.is_dir():
        try:
            index = write_index(args.out, language=language)
            print(say("build.index", language, path=index))
        except OSError:
            if not failures:
                raise
            # The failed builds said why already (a full disk, a read-only folder).
    if stopped:
        raise BuildInterrupted
    current = len(planned) - built - failures
    print(say("build.summary", language, built=built, current=current, failed=failures))
    return 1 if failures or refused else 0
