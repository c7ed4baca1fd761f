"""``jkn-report``: the analyst's command line (alone, or with ``--help``, it prints its help).

    jkn-report new-quarter QUARTER [--data DIR] [--lang id|en]
    jkn-report review QUARTER [--data DIR] [--lang id|en]
    jkn-report validate QUARTER [--data DIR] [--lang id|en] [--max-stock-change PERCENT]
    jkn-report projection QUARTER [--lang id|en] [--scenarios FILE] [--calendar FILE] [--horizon N]
                          [--override JSON]
    jkn-report build [QUARTER ... | --all] [--lang id,en] [--data DIR] [--out DIR] [--force]
    jkn-report preview QUARTER [--lang id|en] [--port 8000] [--data DIR]

``build`` with no quarter builds the latest period in the data folder, and rebuilds a period
only when its data, the data of earlier periods, the code or the parameters changed.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
import traceback
from pathlib import Path

from jkn_analysis.catalogue.definitions import LANGUAGES
from jkn_analysis.catalogue.periods import PeriodError, Quarter
from jkn_analysis.catalogue.wording import messages
from jkn_analysis.inputs.validation import MESSAGES, register_messages

# The command line's own lines, in Indonesian and English, registered with the messages of
# `jkn_analysis.inputs.validation.MESSAGES`: every line a command prints follows its --lang.
CLI_MESSAGES: dict[str, dict[str, str]] = messages("cli")


register_messages(CLI_MESSAGES)


def _say(key: str, language: str, **values: object) -> str:
    """A registered message (`CLI_MESSAGES`, or the validation's and build's) in ``language``."""
    return MESSAGES[key][language].format(**values)


def _error(language: str, text: str) -> None:
    """Print ``error: text`` (in ``language``) to standard error."""
    print(_say("cli.error", language, text=text), file=sys.stderr, flush=True)


def _languages(text: str) -> tuple[str, ...]:
    languages = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [language for language in languages if language not in LANGUAGES]
    if unknown or not languages:
        raise argparse.ArgumentTypeError(
            f"unknown language(s) {', '.join(unknown) or '(none)'}; use id, en or id,en"
        )
    return tuple(dict.fromkeys(languages))


def _language(text: str) -> str:
    if text not in LANGUAGES:
        raise argparse.ArgumentTypeError(f"unknown language {text!r}; use id or en")
    return text


def _quarter(text: str) -> Quarter:
    try:
        return Quarter.parse(text)
    except PeriodError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=Path("data"),
        help="data folder, one sub-folder per period (default: data)",
    )


def _add_out_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, default=Path("reports"), help="output folder (default: reports)"
    )


def _add_language_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--lang", type=_language, default="id", help=f"{what}: id (default) or en")


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface (also used by the tests)."""
    from jkn_analysis import __version__

    parser = argparse.ArgumentParser(
        prog="jkn-report",
        description="DJSN's quarterly JKN performance report.",
        epilog="'jkn-report COMMAND --help' lists the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    # Not required: `jkn-report` alone prints this help rather than an argparse error.
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    new = commands.add_parser(
        "new-quarter",
        help="write the data-entry files (XLSX and CSV) for a new period",
        description="Write data/<QUARTER>/figures.xlsx and figures.csv to fill in; "
        "existing data is never overwritten.",
    )
    new.add_argument("quarter", type=_quarter, metavar="QUARTER", help="period such as 2024Q2")
    _add_data_option(new)
    _add_language_option(new, "language of labels and notes")

    validate = commands.add_parser(
        "validate",
        help="check a period's data files and list every problem",
        description="Exit status 0 exactly when 'build' would build the period, 1 otherwise.",
    )
    validate.add_argument("quarter", type=_quarter, metavar="QUARTER")
    _add_data_option(validate)
    _add_language_option(validate, "language of the messages")
    validate.add_argument(
        "--max-stock-change",
        type=float,
        default=None,
        metavar="PERCENT",
        help="warn when a stock moves more than this from the previous "
        "quarter (default from the catalogue settings)",
    )

    review = commands.add_parser(
        "review",
        help="write review.yaml: the analyst's decisions on the recommendations",
        description="Write data/<QUARTER>/review.yaml listing every triggered recommendation "
        "as undecided, with its evidence; an existing file is never overwritten.",
    )
    review.add_argument("quarter", type=_quarter, metavar="QUARTER")
    _add_data_option(review)
    _add_language_option(review, "language of the comments in the file")

    projection = commands.add_parser(
        "projection",
        help="render the DJS projection notebook to HTML",
        description="Project the DJS Kesehatan five years ahead from QUARTER's figures, per "
        "scenario, into <out>/projections/proyeksi-djs-<QUARTER>.<lang>.html.",
    )
    projection.add_argument("quarter", type=_quarter, metavar="QUARTER")
    _add_data_option(projection)
    _add_out_option(projection)
    _add_language_option(projection, "language")
    projection.add_argument(
        "--scenarios",
        default="",
        metavar="FILE",
        help="scenario YAML file (default: the packaged scenarios)",
    )
    projection.add_argument(
        "--calendar",
        default="",
        metavar="FILE",
        help="policy calendar YAML file (default: the packaged calendar)",
    )
    projection.add_argument("--horizon", type=int, default=5, help="years to project (5)")
    projection.add_argument(
        "--override",
        default="",
        metavar="JSON",
        help="driver overrides within their bounds, e.g. '{\"medical_inflation\": 5}'",
    )

    build = commands.add_parser(
        "build",
        help="build HTML and PDF reports into the output folder",
        description="Build the report of each QUARTER (default: the latest period in --data).",
    )
    build.add_argument(
        "quarters",
        nargs="*",
        type=_quarter,
        metavar="QUARTER",
        help="period such as 2024Q1; several may be given",
    )
    build.add_argument("--all", action="store_true", help="build every period in --data")
    build.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    build.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=1,
        metavar="N",
        help="build up to N periods at once (default 1)",
    )
    build.add_argument(
        "--lang",
        type=_languages,
        default=("id",),
        help="report language(s): id (default), en, or id,en",
    )
    _add_data_option(build)
    _add_out_option(build)

    preview = commands.add_parser(
        "preview",
        help="serve a live preview of a report that updates when its files are saved",
        description="Serve QUARTER's report on http://127.0.0.1:PORT/ (this computer only) and "
        "render it again whenever its data files or review.yaml are saved; Ctrl-C stops it.",
    )
    preview.add_argument("quarter", type=_quarter, metavar="QUARTER")
    _add_language_option(preview, "report language")
    preview.add_argument(
        "--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0: any free one)"
    )
    _add_data_option(preview)
    return parser


def _new_quarter(args: argparse.Namespace) -> int:
    from jkn_analysis.inputs.workbook import write_data_entry_files

    try:
        paths = write_data_entry_files(args.quarter, args.data, language=args.lang)
    except FileExistsError as error:
        _error(args.lang, str(error))
        return 1
    for path in paths:
        print(_say("cli.wrote", args.lang, path=path))
    _folder_warnings(args.data, args.lang)  # a misnamed folder holding this period's figures?
    return 0


def _folder_warnings(data: Path, language: str, stream=None) -> None:
    """Print a warning for each folder or file of ``data`` named almost like a period (to
    ``stream``, standard output by default)."""
    from jkn_analysis.inputs.loading import misnamed_period_issues

    for issue in misnamed_period_issues(data):
        text = MESSAGES["report.folder_warning"][language].format(text=issue.describe(language))
        print(text, file=stream or sys.stdout, flush=True)


def _validate(args: argparse.Namespace) -> int:
    from jkn_analysis.indicators.checks import data_check
    from jkn_analysis.inputs.validation import format_validation

    if not (args.data / str(args.quarter)).is_dir():
        _error(args.lang, _say("cli.no_folder", args.lang, path=args.data / str(args.quarter)))
        _folder_warnings(args.data, args.lang, sys.stderr)
        return 2
    _folder_warnings(args.data, args.lang)
    # The check `build` runs (the report's appendix too, published-versus-computed included,
    # and whether the period holds enough figures for a report of its own): exit 0 exactly
    # when `build` would proceed, with the words `build` prints when it stops.
    result = data_check(args.data, args.quarter, max_stock_change_percent=args.max_stock_change)
    print(format_validation(result, args.lang), end="")
    if not result.ok:
        return 1
    # The analyst's review of the recommendations: problems in review.yaml, undecided ones.
    # They keep the report a draft (its status says so) but do not stop the build.
    from jkn_analysis.recommendations.review import apply_review, format_review_status, load_review

    review, _ = load_review(args.data, args.quarter)
    outcome = apply_review(_triggered_rules(args.data, args.quarter), review, args.lang)
    for issue in outcome.issues:
        print(f"  - {issue.describe(args.lang)}")
    print(format_review_status(outcome, args.quarter, args.lang, review), end="")
    return 0


# Problems of a period whose data is sound but too thin for a report of its own.
READINESS_PROBLEMS = ("not_filled", "too_few_figures")


def _triggered_rules(data: Path, quarter: Quarter) -> list:
    """The recommendations the rules trigger for ``quarter`` (the data must be valid)."""
    from jkn_analysis.indicators.checks import load_figures
    from jkn_analysis.indicators.compute import compute_history
    from jkn_analysis.recommendations.rules import evaluate, load_rules

    return evaluate(load_rules(), compute_history(load_figures(data, up_to=quarter)), quarter)


def _review(args: argparse.Namespace) -> int:
    from jkn_analysis.indicators.checks import validate_period
    from jkn_analysis.recommendations.review import write_review_template

    result = validate_period(args.data, args.quarter, readiness=True)
    unready = [issue for issue in result.errors if issue.problem in READINESS_PROBLEMS]
    if unready and len(unready) == len(result.errors):
        _error(args.lang, unready[0].describe(args.lang))
        return 1
    if not result.ok:
        _error(args.lang, _say("review.data_has_errors", args.lang, period=args.quarter))
        return 1
    try:
        path = write_review_template(
            args.data, args.quarter, _triggered_rules(args.data, args.quarter), language=args.lang
        )
    except FileExistsError as error:
        _error(args.lang, _say("review.file_exists", args.lang, path=error.filename or error))
        return 1
    print(_say("review.wrote", args.lang, path=path))
    return 0


def _message_language(args: argparse.Namespace) -> str:
    """The language of a command's messages: its ``--lang`` (the first one for ``build``)."""
    return args.lang[0] if isinstance(args.lang, tuple) else args.lang


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
    from jkn_analysis.build.quarter import message

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
    from jkn_analysis.build.quarter import BuildError, BuildInterrupted, build_quarter, interrupted

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
            _say("build.failed", language, period=item.quarter, step=step, cause=cause),
            file=sys.stderr,
        )
        print(where, file=sys.stderr, flush=True)
        return False
    log = _log_path(out_dir, item.quarter)
    if log.exists() and _is_pack_log(log):
        with contextlib.suppress(OSError):
            log.unlink()  # the failure it describes is gone
    from jkn_analysis.catalogue.formatting import format_number

    seconds = format_number(time.perf_counter() - started, 1, language=language)
    print(
        _say("build.built", language, prefix=prefix, seconds=seconds, folder=result.folder),
        flush=True,
    )
    return True


def _buildable(
    args: argparse.Namespace, periods: list[Quarter], language: str
) -> tuple[list[Quarter], int] | int:
    """The periods to build and the number refused; or an exit status when there are none.

    Every period without a report of its own (`jkn_analysis.inputs.loading.report_readiness`:
    nothing filled in yet, or too few figures) is named with its reason. ``--all`` skips them;
    with no period given, the latest period that can be built is chosen; a period asked for by
    name is refused (and counted, so that the command exits 1).
    """
    from jkn_analysis.inputs.loading import report_readiness

    def reason(quarter: Quarter) -> str | None:
        blocker = report_readiness(args.data, quarter)
        return None if blocker is None else blocker.describe(language)

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
    _error(language, MESSAGES["build.none_buildable"][language].format(folder=args.data.resolve()))
    return 1


def _run_builds(todo: list[tuple], jobs: int) -> tuple[list[bool | None], bool]:
    """Run the planned builds, in worker processes when ``jobs`` > 1; Ctrl-C stops them all.

    Each worker handles Ctrl-C itself (the terminal sends it to every process of the command,
    and the main process passes it on when it alone received it): its running build unwinds,
    and the builds still queued return at once without starting a kernel. Returns each build's
    outcome (see `_build_one`) and whether Ctrl-C was pressed.
    """
    from jkn_analysis.build.quarter import install_interrupt_handler, interrupted, stop_on_interrupt

    with stop_on_interrupt():
        if jobs > 1 and len(todo) > 1:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(
                max_workers=jobs, initializer=install_interrupt_handler
            ) as pool:
                outcomes = list(pool.map(_build_one, todo))
        else:
            outcomes = [_build_one(task) for task in todo]
        return outcomes, interrupted() or None in outcomes


def _build(args: argparse.Namespace) -> int:
    from jkn_analysis.build.quarter import BuildError, message

    language = _message_language(args)
    try:
        return _build_checked(args, language)
    except BuildError as error:  # a refused output folder, before anything was touched
        _error(language, error.describe(language))
        return 1
    except OSError as error:  # a permission error, a full disk: one line naming the path
        path = error.filename or args.out
        reason = error.strerror or str(error)
        _error(language, message("build.file_error", language, path=path, reason=reason))
        return 1


def _build_checked(args: argparse.Namespace, language: str) -> int:
    from jkn_analysis.build.batch import check_index, plan, write_index
    from jkn_analysis.build.quarter import (
        NOTEBOOK,
        BuildInterrupted,
        check_output,
        message,
        remove_leftovers,
    )
    from jkn_analysis.inputs.loading import available_periods

    if args.data.exists() and not args.data.is_dir():
        _error(language, message("build.not_a_folder", language, option="--data", path=args.data))
        return 1
    check_output(args.out, args.data, [])  # --out is, holds or lies in --data: refused first
    _folder_warnings(args.data, language)
    periods = available_periods(args.data)
    if not periods:
        _error(language, _say("build.no_periods", language, folder=args.data.resolve()))
        return 2
    if args.jobs < 1:
        _error(language, _say("build.bad_jobs", language))
        return 2
    if args.all and args.quarters:
        _error(language, _say("build.quarters_and_all", language))
        return 2
    missing = [q for q in args.quarters if q not in periods]
    if missing:
        text = _say(
            "build.no_data",
            language,
            periods=", ".join(map(str, missing)),
            folder=args.data.resolve(),
            available=", ".join(map(str, periods)),
        )
        _error(language, text)
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
            print(_say("build.up_to_date", language, prefix=prefix), flush=True)
        else:
            print(_say("build.building", language, prefix=prefix, reason=item.reason), flush=True)
            todo.append((prefix, item, item.languages, args.data, args.out, language))
    outcomes, stopped = _run_builds(todo, args.jobs)
    failures = sum(1 for ok in outcomes if ok is False)
    built = sum(1 for ok in outcomes if ok)
    if args.out.is_dir():
        try:
            index = write_index(args.out, language=language)
            print(_say("build.index", language, path=index))
        except OSError:
            if not failures:
                raise
            # The failed builds said why already (a full disk, a read-only folder).
    if stopped:
        raise BuildInterrupted
    current = len(planned) - built - failures
    print(_say("build.summary", language, built=built, current=current, failed=failures))
    return 1 if failures or refused else 0


def _projection(args: argparse.Namespace) -> int:
    from jkn_analysis.build.quarter import BuildError, build_projection

    try:
        path = build_projection(
            args.quarter,
            language=args.lang,
            data_dir=args.data,
            out_dir=args.out,
            scenario_file=args.scenarios,
            calendar_file=args.calendar,
            horizon=args.horizon,
            overrides=args.override,
        )
    except BuildError as error:
        text = _say(
            "projection.failed",
            args.lang,
            period=args.quarter,
            step=error.step_words(args.lang),
            cause=error.describe(args.lang),
        )
        print(text, file=sys.stderr)
        return 1
    print(_say("cli.wrote", args.lang, path=path))
    return 0


def _preview(args: argparse.Namespace) -> int:
    import os

    from jkn_analysis.build.preview import serve

    status = serve(args.quarter, language=args.lang, data_dir=args.data, port=args.port)
    # Tearing down the warm report's heap at interpreter exit takes a second or two after the
    # "stopped" line; the preview has nothing left to write, so it leaves at once.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``jkn-report`` console command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    handlers = {
        "new-quarter": _new_quarter,
        "validate": _validate,
        "review": _review,
        "projection": _projection,
        "build": _build,
        "preview": _preview,
    }
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        # Ctrl-C: one line, no traceback; a build has removed its temporary folders already.
        from jkn_analysis.build.quarter import message

        key = "build.interrupted" if args.command == "build" else "cli.interrupted"
        print(message(key, _message_language(args)), file=sys.stderr, flush=True)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
