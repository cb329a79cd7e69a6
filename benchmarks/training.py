"""A training run in one process: byhand against the same arithmetic written in plain NumPy.

A 784-100-10 network (ReLU, softmax with cross-entropy), mini-batches of 32, Adam, 10 iterations,
every quantity written as JSON. byhand: `solve` and `render("json")`. Plain NumPy: the same
forward pass, loss, deltas, gradients and Adam states of the 10 iterations, then `json.dump` of
the same quantities. Target (issue 9): byhand within 3x of plain NumPy.

    python benchmarks/training.py [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import time

import numpy as np

import solver
from solver.exercise import parse_exercise
from solver.limits import Limits

SIZES = (784, 100, 10)
BATCH, ITERATIONS, RATE = 32, 10, 0.001
BETA1, BETA2, EPSILON = 0.9, 0.999, 1e-8


def problem(seed: int = 0):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, np.sqrt(2 / n_in), (n_out, n_in)) for n_in, n_out in zip(SIZES, SIZES[1:])]
    inputs = rng.random((BATCH * ITERATIONS, SIZES[0]))
    targets = np.eye(SIZES[-1])[rng.integers(0, SIZES[-1], BATCH * ITERATIONS)]
    return weights, inputs, targets


def exercise(weights, inputs, targets):
    layers = [{"units": W.shape[0], "activation": activation, "weights": W.tolist(), "biases": [0.0] * W.shape[0]}
              for W, activation in zip(weights, ("relu", "softmax"))]
    data = {
        "title": "784-100-10, Adam, mini-batches of 32",
        "network": {"inputs": SIZES[0], "layers": layers},
        "training": {"loss": "cross_entropy", "mode": "minibatch", "batch_size": BATCH, "learning_rate": RATE,
                     "optimizer": {"name": "adam"}, "detail": "summary",
                     "samples": [{"input": x.tolist(), "target": t.tolist()} for x, t in zip(inputs, targets)]},
    }
    return parse_exercise(data, "benchmark.toml", limits=Limits(parameters=10**6, steps=10**4, values=10**8))


def byhand(prepared) -> str:
    return solver.solve(prepared).render("json")


def plain_numpy(weights, inputs, targets) -> str:
    """The seeds' pseudo-code (seed 004's Adam), recording what byhand records."""
    W = [w.copy() for w in weights]
    b = [np.zeros((w.shape[0], 1)) for w in weights]
    m = [[np.zeros_like(p) for p in (w_, b_)] for w_, b_ in zip(W, b)]
    s = [[np.zeros_like(p) for p in (w_, b_)] for w_, b_ in zip(W, b)]
    record = []
    for t in range(1, ITERATIONS + 1):
        x0 = inputs[(t - 1) * BATCH : t * BATCH].T
        target = targets[(t - 1) * BATCH : t * BATCH].T
        z1 = W[0] @ x0 + b[0]
        x1 = np.maximum(z1, 0)
        z2 = W[1] @ x1 + b[1]
        e = np.exp(z2 - z2.max(axis=0))
        x2 = e / e.sum(axis=0)
        loss = -np.sum(target * np.log(x2))
        delta2 = x2 - target
        fprime1 = (z1 > 0).astype(float)
        delta1 = (W[1].T @ delta2) * fprime1
        gradients = [(delta1 @ x0.T, delta1.sum(axis=1, keepdims=True)), (delta2 @ x1.T, delta2.sum(axis=1, keepdims=True))]
        step = {"W1": W[0], "b1": b[0], "W2": W[1], "b2": b[1], "x0": x0, "t": target, "z1": z1, "x1": x1, "z2": z2,
                "x2": x2, "E": loss, "delta2": delta2, "fprime1": fprime1, "delta1": delta1}
        for l in (1, 0):
            for k, (param, g) in enumerate(zip((W[l], b[l]), gradients[l])):
                name = f"{'Wb'[k]}{l + 1}"
                m[l][k] = BETA1 * m[l][k] + (1 - BETA1) * g
                s[l][k] = BETA2 * s[l][k] + (1 - BETA2) * g * g
                m_hat = m[l][k] / (1 - BETA1**t)
                s_hat = s[l][k] / (1 - BETA2**t)
                new = param - RATE * m_hat / (np.sqrt(s_hat) + EPSILON)
                step |= {f"d{name}": g, f"m_{name}": m[l][k], f"s_{name}": s[l][k], f"mhat_{name}": m_hat,
                         f"shat_{name}": s_hat, f"{name}_new": new}
                if k == 0:
                    W[l] = new
                else:
                    b[l] = new
        record.append({key: np.asarray(value).tolist() for key, value in step.items()})
    out = io.StringIO()
    json.dump(record, out, indent=2)
    return out.getvalue(), W


def agree(prepared, weights, inputs, targets) -> bool:
    """The two computations give the same final weights (a benchmark of a wrong answer is no use)."""
    solution = solver.solve(prepared)
    _, final = plain_numpy(weights, inputs, targets)
    return all(np.allclose(solution[f"a.t{ITERATIONS}.W{l}_new"], final[l - 1], rtol=1e-10, atol=1e-12) for l in (1, 2))


def timed(function, *arguments) -> float:
    start = time.perf_counter()
    function(*arguments)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    weights, inputs, targets = problem()
    prepared = exercise(weights, inputs, targets)
    byhand(prepared)  # warm: SymPy derivations and compiled functions are made once per process
    ours, theirs = [], []
    for _ in range(args.runs):
        ours.append(timed(byhand, prepared))
        theirs.append(timed(plain_numpy, weights, inputs, targets))
    mine, plain = statistics.median(ours), statistics.median(theirs)
    assert agree(prepared, weights, inputs, targets), "byhand and plain NumPy disagree"
    solution = solver.solve(prepared)
    print(f"steps recorded: {len(solution.steps)}, numbers: {sum(step.value.size for step in solution.steps):,}")
    print(f"byhand solve + JSON:   {mine:.2f} s (median of {args.runs})")
    print(f"plain NumPy + JSON:    {plain:.2f} s")
    print(f"ratio: {mine / plain:.2f} (target 3)")


if __name__ == "__main__":
    main()
