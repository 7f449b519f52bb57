"""`make bench`: run every benchmark once, one after the other, and print a summary of their last
lines (each ends with its ratio). Extra arguments are not passed on; run a script on its own to
change its settings. Exit status 1 when a benchmark failed to run (not when it missed a target).

    python bench/run_all.py [--only submit,pdf] [--keep]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("pdf", "submit", "openrosa", "dashboard", "records", "triage", "export")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(BENCHMARKS))
    parser.add_argument(
        "--keep", action="store_true", help="keep the million-report database for the next run"
    )
    args = parser.parse_args()
    chosen = [name for name in args.only.split(",") if name]
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")

    summary: list[tuple[str, str, float]] = []
    failed = False
    for name in chosen:
        command = [sys.executable, str(HERE / f"{name}.py")]
        if name == "dashboard" and args.keep:
            command.append("--keep")
        print(f"=== {name}: {' '.join(command[1:])}", flush=True)
        started = time.monotonic()
        finished = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.monotonic() - started
        lines = [line for line in finished.stdout.splitlines() if line.strip()]
        print("\n".join(lines), flush=True)
        if finished.returncode != 0 or not lines or not lines[-1].startswith("ratio"):
            failed = True
            print(finished.stderr[-4000:], file=sys.stderr)
            summary.append((name, f"FAILED (exit {finished.returncode})", seconds))
        else:
            summary.append((name, lines[-1], seconds))

    print("\n=== summary")
    for name, last, seconds in summary:
        print(f"{name:<10} {seconds:6.0f} s   {last}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
