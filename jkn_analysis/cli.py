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

This module holds the parser (one function per command) and the short commands; ``build``
runs in `jkn_analysis.build.command`, ``preview`` in `jkn_analysis.build.preview`. Each command
imports what it needs when it runs, so that ``jkn-report --help`` stays quick.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

# First: the build package makes YAML parse in C (`jkn_analysis.build.speedups`) before the
# messages below are read.
import jkn_analysis.build  # noqa: F401
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


def _add_new_quarter_command(commands: argparse._SubParsersAction) -> None:
    """``new-quarter``: the data-entry files of a new period."""
    new = commands.add_parser(
        "new-quarter",
        help="write the data-entry files (XLSX and CSV) for a new period",
        description="Write data/<QUARTER>/figures.xlsx and figures.csv to fill in; "
        "existing data is never overwritten.",
    )
    new.add_argument("quarter", type=_quarter, metavar="QUARTER", help="period such as 2024Q2")
    _add_data_option(new)
    _add_language_option(new, "language of labels and notes")


def _add_validate_command(commands: argparse._SubParsersAction) -> None:
    """``validate``: the data check; exit status 0 exactly when build would proceed."""
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


def _add_review_command(commands: argparse._SubParsersAction) -> None:
    """``review``: the analyst's review.yaml."""
    review = commands.add_parser(
        "review",
        help="write review.yaml: the analyst's decisions on the recommendations",
        description="Write data/<QUARTER>/review.yaml listing every triggered recommendation "
        "as undecided, with its evidence; an existing file is never overwritten.",
    )
    review.add_argument("quarter", type=_quarter, metavar="QUARTER")
    _add_data_option(review)
    _add_language_option(review, "language of the comments in the file")


def _add_projection_command(commands: argparse._SubParsersAction) -> None:
    """``projection``: the DJS projection page."""
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


def _add_build_command(commands: argparse._SubParsersAction) -> None:
    """``build``: reports of one or more periods."""
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


def _add_preview_command(commands: argparse._SubParsersAction) -> None:
    """``preview``: the live preview server."""
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
    _add_new_quarter_command(commands)
    _add_validate_command(commands)
    _add_review_command(commands)
    _add_projection_command(commands)
    _add_build_command(commands)
    _add_preview_command(commands)
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
    from jkn_analysis.build.command import folder_warnings

    folder_warnings(args.data, args.lang)  # a misnamed folder holding this period's figures?
    return 0


def _validate(args: argparse.Namespace) -> int:
    from jkn_analysis.build.command import folder_warnings
    from jkn_analysis.indicators.checks import data_check
    from jkn_analysis.inputs.validation import format_validation

    if not (args.data / str(args.quarter)).is_dir():
        _error(args.lang, _say("cli.no_folder", args.lang, path=args.data / str(args.quarter)))
        folder_warnings(args.data, args.lang, sys.stderr)
        return 2
    folder_warnings(args.data, args.lang)
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
    """The recommendations the rules trigger for ``quarter`` (the data must be valid): those of
    the period's one analysis, which the report states too (the projection's first year below
    the floor included, which the actuarial rule reads)."""
    from jkn_analysis.analysis.period import analyse

    return list(analyse(quarter, data).triggered)


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


def _build(args: argparse.Namespace) -> int:
    from jkn_analysis.build.command import build_command

    return build_command(args, _message_language(args))


def _projection(args: argparse.Namespace) -> int:
    from jkn_analysis.build.errors import BuildError
    from jkn_analysis.build.quarter import build_projection

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
        status = handlers[args.command](args)
    except KeyboardInterrupt:
        # Ctrl-C: one line, no traceback; a build has removed its temporary folders already.
        from jkn_analysis.build.errors import message

        key = "build.interrupted" if args.command == "build" else "cli.interrupted"
        print(message(key, _message_language(args)), file=sys.stderr, flush=True)
        return 130
    if argv is None and args.command == "build":
        # Run as the command (not called by a test or a script): every file is written and
        # closed, every kernel and worker stopped, so the interpreter's teardown of the heap
        # (pandas, WeasyPrint; half a second or more) is skipped.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
