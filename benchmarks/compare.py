"""Cold `solve` of the current tree against an earlier revision, in the same run.

Checks REV out into a temporary git worktree and times `python -m solver solve EXERCISE` from each
tree as fresh processes, alternating them, then reports the medians and the slowdown.

    python benchmarks/compare.py REV [--runs 15] [--exercise exercises/mlp-5-3-2-sigmoid.toml]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def seconds(tree: Path, exercise: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "solver", "solve", str(exercise)], check=True, stdout=subprocess.DEVNULL,
                   env=env, cwd=tree)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rev")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--exercise", default="exercises/mlp-5-3-2-sigmoid.toml")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        before = Path(scratch) / "before"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(before), args.rev],
                       check=True, capture_output=True)
        try:
            trees = {"before": before, "now": REPO}
            exercise = {name: tree / args.exercise for name, tree in trees.items()}
            for name, tree in trees.items():
                seconds(tree, exercise[name])  # warm the file cache
            times = {name: [] for name in trees}
            for _ in range(args.runs):
                for name, tree in trees.items():
                    times[name].append(seconds(tree, exercise[name]))
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(before)], capture_output=True)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"{args.rev[:12]:>12}: {medians['before'] * 1000:7.1f} ms (median of {args.runs})")
    print(f"{'now':>12}: {medians['now'] * 1000:7.1f} ms (median of {args.runs})")
    print(f"slowdown: {medians['now'] / medians['before'] - 1:+.1%}")


if __name__ == "__main__":
    main()
