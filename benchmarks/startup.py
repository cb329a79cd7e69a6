"""Cold start of `byhand solve` against the floor of importing its three dependencies.

Runs each command as a fresh process, alternating them, and reports the medians, their ratio,
and the median of the ratios pair by pair (each solve against the floor run just before it). Target (issue 13): byhand solve of the 5-3-2 exercise to Markdown within 1.25x of
`python -c "import numpy, sympy, jinja2"`.

"Cold" is a new process, as a user starts byhand, with what any installed program has on disk
after its first run: Python's compiled modules (pip writes them on install; this script lets
Python write them, whatever PYTHONDONTWRITEBYTECODE says) and byhand's own cache of compiled
templates and derivations (solver/cache.py). The first run, with an empty byhand cache, is
reported too.

    python benchmarks/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXERCISE = REPO / "exercises" / "mlp-5-3-2-sigmoid.toml"


def seconds(command: list[str], env: dict[str, str]) -> float:
    """The wall time of `command` as a fresh process."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def byhand_script() -> str:
    """The `byhand` command installed beside this Python, as a user of this environment starts it.

    Found beside `sys.executable` first, as the floor is run with `sys.executable` itself: a `byhand`
    found on the PATH may be a shell shim (pyenv's) that costs a process of its own and that the floor
    does not pay.
    """
    beside = Path(sys.executable).parent / "byhand"
    return str(beside) if beside.exists() else shutil.which("byhand") or "byhand"


def cold_environment() -> dict[str, str]:
    """This environment, with Python allowed to write compiled modules as an installed program has them."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    script = byhand_script()
    floor_command = [sys.executable, "-c", "import numpy, sympy, jinja2"]
    solve_command = [script, "solve", str(EXERCISE)]
    env = cold_environment()
    with tempfile.TemporaryDirectory() as cache:
        env["BYHAND_CACHE_DIR"] = cache
        seconds(floor_command, env), seconds(solve_command, env)  # compiled modules and byhand's cache
        floor, solve, first = [], [], []
        for _ in range(runs):
            floor.append(seconds(floor_command, env))
            solve.append(seconds(solve_command, env))
            with tempfile.TemporaryDirectory() as empty:
                first.append(seconds(solve_command, {**env, "BYHAND_CACHE_DIR": empty}))
    floor_median, solve_median = statistics.median(floor), statistics.median(solve)
    print(f"import numpy, sympy, jinja2 : {floor_median * 1000:7.1f} ms (median of {runs})")
    print(f"byhand solve {EXERCISE.name} : {solve_median * 1000:7.1f} ms (median of {runs})")
    print(f"  the same with an empty byhand cache (a first run) : {statistics.median(first) * 1000:7.1f} ms")
    # each solve is paired with the floor run just before it, so that a machine whose speed drifts
    # during the run (other processes) moves both sides of a ratio alike
    paired = statistics.median(s / f for s, f in zip(solve, floor))
    print(f"ratio of the medians: {solve_median / floor_median:.2f}")
    print(f"ratio, median of the {runs} pairs: {paired:.2f} (target ≤ 1.25)")


if __name__ == "__main__":
    main()
