"""200 variant sheets of the 5-3-2 exercise in one process, as `byhand variants` makes them:
each variant drawn, checked against its conditions, written as TOML, read back, solved, and its
Markdown sheet and answer key rendered (everything but the writing to disk, which write_all does
once at the end). Target (issue 14): ≤ 10 s on these machines.

Also timed: how long a spec whose condition no draw meets takes to be refused (issue 14, point 7:
bad input refused well under a second), and the Moodle export of 20 variants with their slips.

    python benchmarks/variants.py [--count 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from solver.errors import ExerciseError
from solver.variants.files import variant_files
from solver.variants.make import make_variants
from solver.variants.quiz import moodle_quiz

REPO = Path(__file__).resolve().parent.parent
EXERCISE = REPO / "exercises" / "mlp-5-3-2-sigmoid.toml"


def seconds(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    variant_files(make_variants(EXERCISE, 2, seed=0))  # imports, SymPy derivations and templates, once
    runs = [seconds(lambda: variant_files(make_variants(EXERCISE, args.count, seed=2026), ["md"]))
            for _ in range(args.runs)]
    median = statistics.median(runs)
    print(f"{args.count} variants of {EXERCISE.name} (exercise, md sheet, key): {median:.2f} s "
          f"(median of {args.runs}; target ≤ 10 s), {median / args.count * 1000:.1f} ms per variant")

    with tempfile.TemporaryDirectory() as directory:
        impossible = Path(directory) / "impossible.toml"
        # equal rows of the output layer's weights: the two outputs are always tied
        impossible.write_text(EXERCISE.read_text().replace(
            '"network.layers[1].weights" = { from = -1, to = 1, step = 0.1, shape = [2, 3] }',
            '"network.layers[1].weights" = { choices = [0.5], shape = [2, 3] }'))
        refusals = []
        for _ in range(args.runs):
            start = time.perf_counter()
            try:
                make_variants(impossible, args.count, seed=1)
            except ExerciseError:
                refusals.append(time.perf_counter() - start)
        print(f"a condition no draw meets, refused after its tries: {statistics.median(refusals) * 1000:.0f} ms")
    quiz = seconds(lambda: moodle_quiz(EXERCISE, 20, 2026))
    print(f"Moodle XML of 20 variants with their slips: {quiz:.2f} s, {quiz / 20 * 1000:.0f} ms per question")


if __name__ == "__main__":
    main()
