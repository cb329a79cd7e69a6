"""Cold start of `byhand solve` against the floor of importing its three dependencies.

Runs each command as a fresh process, alternating them, and reports the medians and their
ratio. Target (issue 2): byhand solve within 1.5x of `python -c "import numpy, sympy, jinja2"`.

    python benchmarks/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXERCISE = REPO / "exercises" / "mlp-5-3-2-sigmoid.toml"


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    script = shutil.which("byhand") or str(Path(sys.executable).parent / "byhand")
    floor_command = [sys.executable, "-c", "import numpy, sympy, jinja2"]
    solve_command = [script, "solve", str(EXERCISE)]
    seconds(floor_command), seconds(solve_command)  # warm the file cache, not the interpreter
    floor, solve = [], []
    for _ in range(runs):
        floor.append(seconds(floor_command))
        solve.append(seconds(solve_command))
    floor_median, solve_median = statistics.median(floor), statistics.median(solve)
    print(f"import numpy, sympy, jinja2 : {floor_median * 1000:7.1f} ms (median of {runs})")
    print(f"byhand solve {EXERCISE.name} : {solve_median * 1000:7.1f} ms (median of {runs})")
    print(f"ratio: {solve_median / floor_median:.2f} (target ≤ 1.5)")


if __name__ == "__main__":
    main()
