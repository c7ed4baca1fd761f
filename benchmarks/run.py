"""Build benchmark: whole commands timed in one run, with ratios against baselines measured in
the same run (absolute seconds drift between machines and minutes; ratios much less).

    .venv/bin/python benchmarks/run.py [--runs N]

Cases (each a fresh process, as an analyst runs them):
  a  floor: a fresh Jupyter kernel that imports pandas and seaborn, then shuts down
  b  one period, one language, HTML and PDF (jkn-report build 2024Q1 --force)
  b0 the same with nothing cached (JKN_REPORT_CACHE=off: every chart drawn, every period's
     readiness checked), as on a machine's first build
  c  one period, both languages
  d1 build --all from cold (a new output folder), 1 worker
  d2 build --all from cold, 2 workers
  e  rebuild with nothing changed (build --all on an up-to-date folder)
  f  what a user of stock tools would run: papermill, then jupyter nbconvert --to html
     (no PDF: nbconvert's PDF needs LaTeX, which this machine does not have)
  g  preview refresh: `jkn-report preview` running, seconds from saving review.yaml (commentary
     or a decision, alternately) until the server announces the new page and serves it

The pack's cache (`jkn_analysis.inputs.paths.cache_folder`) is a folder of this run, empty at
its start: each case's warm-up run fills it as an analyst's previous build would have.

The cases run in turn, one run of each per round after a warm-up of each, so that a ratio
compares runs of the same minutes. Prints median, min and max wall seconds and the peak memory
of each case, then the ratios b/a, b0/a, c/b, d1/d2, b/f and g/a of the cases run (``--cases
b,c`` runs only those), each against its target (issue 13) with "met" or "MISSED". Every
command runs this checkout's code (``PYTHONPATH``), from bytecode compiled first. Not part of
the test suite: tests assert correctness, never time.
"""

from __future__ import annotations

import argparse
import compileall
import http.client
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "quarterly_report.ipynb"

# Every command runs this checkout's code (a worktree's, not the one the venv was installed
# from): the kernels the builds start inherit the path too.
ENVIRONMENT = {**os.environ, "PYTHONPATH": str(ROOT)}

FLOOR = """
from jupyter_client.manager import start_new_kernel
manager, client = start_new_kernel(kernel_name="python3")
client.execute_interactive("import pandas, seaborn", timeout=120)
client.stop_channels()
manager.shutdown_kernel(now=True)
"""


def run(command: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of a command and the children it waited for."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=ENVIRONMENT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(
            f"failed ({process.returncode}): {' '.join(command)}\n"
            f"{process.stderr.read().decode()[-2000:]}"
        )
    return seconds, usage.ru_maxrss / 1024


@dataclass(frozen=True)
class Case:
    """A command to time: its label, a function giving the command, and what resets its state
    before each run (``None``: nothing)."""

    name: str
    command: Callable[[], list[str]]
    prepare: Callable[[], None] | None = None

    def run(self) -> tuple[float, float]:
        if self.prepare:
            self.prepare()
        return run(self.command())


def measure_in_turn(cases: dict[str, Case], runs: int) -> dict[str, dict]:
    """Time every case ``runs`` times after one warm-up each, in rounds (a b c, a b c, ...).

    In turn rather than case after case, so that a ratio compares runs of the same minutes:
    on a shared machine the speed drifts by a quarter over the minutes a case takes.
    """
    for case in cases.values():  # warms the file cache and the pack's cache
        case.run()
    samples: dict[str, list[tuple[float, float]]] = {code: [] for code in cases}
    for _ in range(runs):
        for code, case in cases.items():
            samples[code].append(case.run())
    results = {}
    for code, case in cases.items():
        times = [seconds for seconds, _ in samples[code]]
        result = {
            "name": case.name,
            "median": statistics.median(times),
            "min": min(times),
            "max": max(times),
            "memory": max(memory for _, memory in samples[code]),
        }
        print(
            f"{case.name:<46} median {result['median']:6.2f} s  min {result['min']:6.2f}  "
            f"max {result['max']:6.2f}  peak {result['memory']:6.0f} MiB",
            flush=True,
        )
        results[code] = result
    return results


def _events(port: int) -> Iterator[dict]:
    """The preview's server-sent ``update`` events, as status dictionaries."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request("GET", "/events")
    response = connection.getresponse()
    for raw in response:
        line = raw.decode("utf-8").rstrip("\n")
        if line.startswith("data: "):
            yield json.loads(line[len("data: ") :])


def _page(port: int) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/report.html")
    return connection.getresponse().read().decode("utf-8")


def preview_refresh(work: Path, runs: int) -> dict:
    """Case g: seconds from saving review.yaml to the preview serving the page with the change.

    One preview runs on a copy of the data; each edit writes the executive summary's commentary
    or the decision on a recommendation (alternately) with a new text, and the time is taken
    when the server has announced the new version (server-sent event) and ``/report.html``
    holds the text. The browser's own reload (loopback fetch and layout) is not included.
    """
    data = work / "preview-data"
    shutil.copytree(ROOT / "data", data)
    review = data / "2024Q1" / "review.yaml"
    shipped = review.read_text(encoding="utf-8")
    commentary = '  summary:\n    id: ""\n    en: ""'
    decision = "fktp_network:\n    decision: undecided"
    if commentary not in shipped or decision not in shipped:
        raise SystemExit("benchmark g: the shipped 2024Q1/review.yaml changed; update the edits")
    process = subprocess.Popen(
        [str(BIN / "jkn-report"), "preview", "2024Q1", "--port", "0", "--data", str(data)],
        cwd=ROOT,
        env=ENVIRONMENT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        port = int(re.search(r"127\.0\.0\.1:(\d+)/", process.stdout.readline()).group(1))
        events = _events(port)
        status = next(events)
        while status["state"] != "ok":
            status = next(events)
        samples = []
        for attempt in range(runs + 1):
            text = f"Benchmark edit {attempt}"
            if attempt % 2:
                edited = shipped.replace(
                    decision, f'fktp_network:\n    decision: confirm\n    note: "{text}"'
                )
            else:
                edited = shipped.replace(
                    commentary, f'  summary:\n    id: "{text}"\n    en: "{text}"'
                )
            started = time.perf_counter()
            review.write_text(edited, encoding="utf-8")
            version = status["report_version"]
            while status["report_version"] == version:
                status = next(events)
                if status["state"] == "error":
                    raise SystemExit(f"benchmark g: the preview failed: {status['messages']}")
            if text not in _page(port):
                raise SystemExit(f"benchmark g: the new page lacks {text!r}")
            if attempt:  # the first edit warms what the first render did not use
                samples.append(time.perf_counter() - started)
    finally:
        process.send_signal(signal.SIGINT)
        _, _, usage = os.wait4(process.pid, 0)
        process.returncode = 0
    result = {
        "name": "g  preview refresh after a review.yaml edit",
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "memory": usage.ru_maxrss / 1024,
    }
    print(
        f"{result['name']:<46} median {result['median']:6.2f} s  min {result['min']:6.2f}  "
        f"max {result['max']:6.2f}  peak {result['memory']:6.0f} MiB",
        flush=True,
    )
    return result


CASES = ("a", "b", "b0", "c", "d1", "d2", "e", "f", "g")


def _cases(text: str) -> tuple[str, ...]:
    cases = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [case for case in cases if case not in CASES]
    if unknown or not cases:
        raise argparse.ArgumentTypeError(f"unknown case(s) {unknown}; known: {', '.join(CASES)}")
    return cases


def _measure_cases(cases: tuple[str, ...], runs: int, work: Path) -> dict[str, dict]:
    """The chosen cases, measured in turn (`measure_in_turn`), then the preview's (g)."""
    report = str(BIN / "jkn-report")

    def cold(folder: Path):
        return lambda: shutil.rmtree(folder, ignore_errors=True)

    def stock_script() -> Path:
        executed = work / "stock.ipynb"
        stock = work / "stock.sh"
        papermill = f'"{BIN / "papermill"}" "{NOTEBOOK}" "{executed}"'
        stock.write_text(
            f'set -e\n{papermill} -p data_dir "{ROOT / "data"}" '
            f'--cwd "{NOTEBOOK.parent}" >/dev/null 2>&1\n'
            f'"{BIN / "jupyter"}" nbconvert --to html "{executed}" >/dev/null 2>&1\n'
        )
        return stock

    build_all = [report, "build", "--all", "--out"]
    both = ["--lang", "id,en"]
    plans = {
        "a": Case(
            "a  floor: kernel + import pandas, seaborn", lambda: [sys.executable, "-c", FLOOR]
        ),
        "b": Case(
            "b  one period, id, HTML + PDF",
            lambda: [report, "build", "2024Q1", "--force", "--out", str(work / "b")],
        ),
        "b0": Case(
            "b0 one period, id, nothing cached",
            lambda: [
                "env",
                "JKN_REPORT_CACHE=off",
                *[report, "build", "2024Q1", "--force", "--out", str(work / "b0")],
            ],
        ),
        "c": Case(
            "c  one period, id + en",
            lambda: [report, "build", "2024Q1", "--force", *both, "--out", str(work / "c")],
        ),
        "d1": Case(
            "d1 build --all, cold, 1 worker",
            lambda: [*build_all, str(work / "d1")],
            prepare=cold(work / "d1"),
        ),
        "d2": Case(
            "d2 build --all, cold, 2 workers",
            lambda: [report, "build", "--all", "--jobs", "2", "--out", str(work / "d2")],
            prepare=cold(work / "d2"),
        ),
        "e": Case("e  rebuild, nothing changed", lambda: [*build_all, str(work / "e")]),
        "f": Case(
            "f  stock: papermill + nbconvert --to html", lambda: ["bash", str(stock_script())]
        ),
    }
    if "e" in cases:  # an up-to-date folder of its own
        run([report, "build", "--all", "--jobs", "2", "--out", str(work / "e")])
    chosen = {code: plans[code] for code in CASES if code in cases and code in plans}
    results = measure_in_turn(chosen, runs)
    if "g" in cases:
        results["g"] = preview_refresh(work, max(runs, 4))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="counted runs per case (default 3)")
    parser.add_argument(
        "--cases",
        type=_cases,
        default=CASES,
        help=f"the cases to run, comma-separated (default all: {','.join(CASES)})",
    )
    arguments = parser.parse_args()
    runs = arguments.runs
    # As an installed pack runs: from bytecode, even where PYTHONDONTWRITEBYTECODE is set.
    compileall.compile_dir(ROOT / "jkn_analysis", quiet=1)
    work = Path(tempfile.mkdtemp(prefix="jkn-bench-"))
    ENVIRONMENT["JKN_REPORT_CACHE"] = str(work / "cache")  # not the user's; empty at the start
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {runs} counted runs per case after one warm-up\n"
    )
    try:
        results = _measure_cases(arguments.cases, runs, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    # (top, bottom, label, target, whether the ratio must stay below the target)
    ratios = (
        ("b", "a", "b / a   one report, HTML + PDF, against the floor", 3.0, True),
        ("b0", "a", "b0 / a  the same, nothing cached, against the floor", 3.0, True),
        ("c", "b", "c / b   both languages against one", 1.25, True),
        ("d1", "d2", "d1 / d2 build --all, 1 worker against 2 (speed-up)", 1.8, False),
        ("b", "f", "b / f   one report, HTML+PDF, against stock HTML", 1.0, True),
        ("g", "a", "g / a   preview refresh against the floor", 1.0, True),
    )
    for top, bottom, label, target, below in ratios:
        if top in results and bottom in results:
            value = results[top]["median"] / results[bottom]["median"]
            met = value <= target if below else value >= target
            sign = "<=" if below else ">="
            print(f"{label:<54} {value:5.2f}  target {sign} {target:4.2f}  {_verdict(met)}")
    if "e" in results:
        seconds = results["e"]["median"]
        label = "e       rebuild with nothing changed (seconds)"
        print(f"{label:<54} {seconds:5.2f}  target <  0.50  {_verdict(seconds < 0.5)}")
    cases_run = [case for case in ("b", "b0", "c") if case in results]
    if cases_run:
        memory = max(results[case]["memory"] for case in cases_run)
        label = "        peak memory of one build (MiB, b, b0 and c)"
        print(f"{label:<54} {memory:5.0f}  target <   300  {_verdict(memory < 300)}")


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


if __name__ == "__main__":
    main()
