"""``jkn-report``: build the JKN quarterly report from the command line.

    jkn-report build [QUARTER ...] [--lang id,en] [--data DIR] [--out DIR]

With no quarter, the latest period in the data folder is built.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

from jkn_analysis.catalogue import LANGUAGES
from jkn_analysis.periods import PeriodError, Quarter


def _languages(text: str) -> tuple[str, ...]:
    languages = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [language for language in languages if language not in LANGUAGES]
    if unknown or not languages:
        raise argparse.ArgumentTypeError(
            f"unknown language(s) {', '.join(unknown) or '(none)'}; use id, en or id,en"
        )
    return tuple(dict.fromkeys(languages))


def _quarter(text: str) -> Quarter:
    try:
        return Quarter.parse(text)
    except PeriodError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface (also used by the tests)."""
    parser = argparse.ArgumentParser(
        prog="jkn-report", description="Build DJSN's quarterly JKN performance report."
    )
    commands = parser.add_subparsers(dest="command", required=True)
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
    build.add_argument(
        "--lang",
        type=_languages,
        default=("id",),
        help="report language(s): id (default), en, or id,en",
    )
    build.add_argument(
        "--data",
        type=Path,
        default=Path("data"),
        help="data folder, one sub-folder per period (default: data)",
    )
    build.add_argument(
        "--out", type=Path, default=Path("reports"), help="output folder (default: reports)"
    )
    return parser


def _build(args: argparse.Namespace) -> int:
    from jkn_analysis.build import BuildError, build_quarter
    from jkn_analysis.loading import available_periods

    periods = available_periods(args.data)
    if not periods:
        print(f"error: no period folders with data files in {args.data.resolve()}", file=sys.stderr)
        return 2
    quarters = args.quarters or [periods[-1]]
    missing = [q for q in quarters if q not in periods]
    if missing:
        print(
            f"error: no data for {', '.join(map(str, missing))} in {args.data.resolve()}; "
            f"available: {', '.join(map(str, periods))}",
            file=sys.stderr,
        )
        return 2
    failures = 0
    for quarter in quarters:
        started = time.perf_counter()
        try:
            result = build_quarter(
                quarter,
                languages=args.lang,
                data_dir=args.data,
                out_dir=args.out,
                progress=lambda m: print(m, flush=True),
            )
        except BuildError as error:
            failures += 1
            log = args.out / f"build-{quarter}.log"
            args.out.mkdir(parents=True, exist_ok=True)
            log.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
            print(f"FAILED {quarter} at step '{error.step}': {error.cause}", file=sys.stderr)
            print(
                f"  the previous report of {quarter}, if any, is unchanged; details in {log}",
                file=sys.stderr,
            )
            continue
        seconds = time.perf_counter() - started
        print(f"built {quarter} in {seconds:.1f} s -> {result.folder}")
        for path in result.files:
            print(f"  {path}")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``jkn-report`` console command."""
    args = build_parser().parse_args(argv)
    if args.command == "build":
        return _build(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
