"""Cold `byhand solve` of a 784-100-10 network, one batch of 32, one gradient step.

Writes the exercise as a TOML file (ReLU then softmax with cross-entropy, weights drawn with a fixed
seed), then times fresh processes of `byhand solve` to JSON (every value) and to Markdown (large
matrices elided), and to HTML and PDF where their tools are installed, and reports the medians.
Targets (issue 13): JSON within 2 s, elided Markdown within 3 s.

    python benchmarks/large_sheet.py [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

import numpy as np

from startup import byhand_script, cold_environment, seconds  # benchmarks/ is on the path of a script in it

SIZES = (784, 100, 10)
BATCH = 32


def exercise_text(seed: int = 0) -> str:
    """The exercise as TOML, written by hand: numbers with repr, one matrix row per line."""
    rng = np.random.default_rng(seed)
    lines = ['title = "784-100-10, one batch of 32, one step"', "", "[network]", f"inputs = {SIZES[0]}", ""]
    for (n_in, n_out), activation in zip(zip(SIZES, SIZES[1:]), ("relu", "softmax")):
        weights = rng.normal(0, np.sqrt(2 / n_in), (n_out, n_in))
        rows = ",\n".join("  [" + ", ".join(repr(float(v)) for v in row) + "]" for row in weights)
        lines += ["[[network.layers]]", f"units = {n_out}", f'activation = "{activation}"', f"weights = [\n{rows},\n]",
                  f"biases = {[0.0] * n_out}", ""]
    lines += ["[training]", 'loss = "cross_entropy"', 'mode = "batch"', "learning_rate = 0.1", ""]
    for _ in range(BATCH):
        target = [0.0] * SIZES[-1]
        target[int(rng.integers(0, SIZES[-1]))] = 1.0
        inputs = ", ".join(repr(float(v)) for v in rng.random(SIZES[0]))
        lines += ["[[training.samples]]", f"input = [{inputs}]", f"target = {target}", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    script = byhand_script()
    env = cold_environment()
    formats = [("json", 2.0), ("md", 3.0)]
    try:
        import latex2mathml  # noqa: F401

        formats.append(("html", None))
    except ImportError:
        print("html: skipped, latex2mathml is not installed")
    if shutil.which("pdflatex"):
        formats.append(("pdf", None))
    else:
        print("pdf: skipped, pdflatex is not installed")
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "mlp-784-100-10-batch-32.toml"
        path.write_text(exercise_text())
        env["BYHAND_CACHE_DIR"] = str(Path(work) / "cache")
        limits = ["--max-parameters", "1000000", "--max-values", "100000000"]
        for format, target in formats:
            command = [script, "solve", str(path), "--format", format, "-o", str(Path(work) / f"sheet.{format}"),
                       *limits]
            seconds(command, env)  # compiled modules and byhand's cache, as after a first run
            times = [seconds(command, env) for _ in range(runs)]
            size = (Path(work) / f"sheet.{format}").stat().st_size
            verdict = "" if target is None else f" (target ≤ {target:g} s: {'met' if statistics.median(times) <= target else 'NOT met'})"
            print(f"{format:5}: {statistics.median(times):6.2f} s median of {runs}, {size / 1024:,.0f} kB{verdict}")


if __name__ == "__main__":
    main()
