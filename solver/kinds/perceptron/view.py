"""What a perceptron sheet says around the steps: the data, the activation and the bias form, the
rule, and how the run ends: the decision boundary, or why no boundary exists. Math between $…$,
numbers written by solver/render/format.py."""

from __future__ import annotations

import math
from fractions import Fraction

from solver.conventions import Conventions
from solver.exercise import Exercise
from solver.kinds.perceptron.engine import Run, true_run
from solver.kinds.perceptron.reader import Part, Samples
from solver.kinds.perceptron.separability import separability, separating_weights
from solver.render.format import NumberFormat, fraction, number

SETUP_HEADING = "The samples"
GATE_FACTS = {
    "and": "the AND gate: 1 when every input is 1",
    "or": "the OR gate: 1 when at least one input is 1",
    "nand": "the NAND gate: 0 when every input is 1",
    "nor": "the NOR gate: 1 when no input is 1",
    "xor": "the XOR gate (parity): 1 when an odd number of inputs are 1",
    "majority": "the majority function (seed 003 §2.2.2.3.1): 1 when more than half of the inputs are 1",
}
LISTED = 16
"""Up to this many samples, the sheet lists every sample's inequality when no boundary exists."""


def samples_facts(exercise: Exercise, style: NumberFormat) -> tuple[str, ...]:
    samples: Samples = exercise.setup
    low, high = samples.values
    n, m = samples.features, samples.count
    facts = []
    if samples.dataset is not None:
        facts.append(f"The data: {GATE_FACTS[samples.dataset]}, with $n = {n}$ input{'s' if n > 1 else ''}, "
                     f"every one of the $m = {m}$ inputs in $\\{{0, 1\\}}^{{{n}}}$."
                     + (" Its 0 is written $-1$, the low value of Sign." if low == -1 else ""))
    pairs = ", ".join(f"${_point(samples.x[:, i], style)} \\mapsto {number(samples.t[i, 0], style)}$"
                      for i in range(m))
    facts.append(f"The samples $\\mathbf{{x}}^{{(i)}} \\mapsto t^{{(i)}}$, $i = 1 \\ldots {m}$: {pairs}.")
    name = "Threshold" if samples.activation == "threshold" else "Sign"
    facts.append(f"The activation is {name}, as seed 003 defines it: $\\operatorname{{{name}}}(s) = {number(high, style)}$ "
                 f"for $s > 0$ and ${number(low, style)}$ for $s \\leq 0$, so exactly 0 gives "
                 f"${number(low, style)}$.")
    if samples.bias == "w0":
        facts.append(r"The bias is the weight $w_0$ of an input $x_0 = 1$ (seed 003's simplified notation): "
                     r"$\mathbf{x}^{(i)}$ has $x_0 = 1$ on top, the first row of $\mathbf{X}$, and $s = \mathbf{w}^{T} "
                     r"\mathbf{x}$.")
    else:
        facts.append(r"The bias is a separate $b$: $s = \mathbf{w}^{T} \mathbf{x} + b$, and $b$ is updated as a "
                     r"weight whose input is always 1.")
    return tuple(facts)


def convention_facts(conventions: Conventions) -> tuple[str, ...]:
    return ()


def part_facts(exercise: Exercise, part: Part, style: NumberFormat) -> tuple[str, ...]:
    samples: Samples = exercise.setup
    separate = samples.bias == "b"
    bias_update = r" and $b \leftarrow b + \eta (t - y)$" if separate else ""
    facts = [f"Learning rate $\\eta = {number(part.learning_rate, style)}$, at most {part.max_epochs} epoch"
             f"{'s' if part.max_epochs > 1 else ''}. Sample by sample: $s$, $y = f(s)$, the error $e = t - y$, and "
             f"$\\mathbf{{w}} \\leftarrow \\mathbf{{w}} + \\eta (t - y) \\mathbf{{x}}${bias_update}; "
             r"$\mathbf{w}_{k}$ are the weights after the $k$-th sample worked, counted across epochs. Training stops "
             "after an epoch without an update."]
    run = true_run(exercise, part)
    if not run.separable:
        return (*facts, *_no_boundary(samples, style))
    bias_columns = r", the change $\eta\, e$ of $b$ and $b_{k}$" if separate else ""
    facts.append(r"The two classes are linearly separable (an exact test before training, so "
                 r"$\text{separable} = 1$; it would be 0 if no hyperplane separated them). Each epoch is a table, "
                 r"one row per sample $i$: $s = \mathbf{w}_{k-1}^{T} \mathbf{x}^{(i)}"
                 + (" + b_{k-1}" if separate else "") + r"$, $y = f(s)$, $e = t - y$, the change "
                 rf"$\eta\, e\, \mathbf{{x}}^{{(i)}}$ of the weights and the weights $\mathbf{{w}}_{{k}}$ after it{bias_columns}.")
    if run.converged:
        facts.append(f"Epoch {run.epochs} made no update: the rule has converged"
                     + (" (the starting weights already classify every sample)." if run.epochs == 1 else "."))
    else:
        witness = separating_weights(samples.x, samples.t == samples.values[1])
        facts.append(f"Epoch {run.epochs}, the last one allowed, still updated the weights, so the rule has not "
                     f"converged. The samples are linearly separable (for example "
                     f"${_hyperplane([Fraction(w) for w in witness], fraction)}$ separates them, found by "
                     "exact linear programming), so more epochs would end it.")
    facts.append(_boundary(run, samples, style))
    return tuple(facts)


def derived_blocks(exercise: Exercise, part: Part) -> tuple:
    return ()


def _boundary(run: Run, samples: Samples, style: NumberFormat) -> str:
    w = [float(v) for v in run.weights.ravel()]
    low, high = samples.values
    written = _hyperplane(w, lambda v: number(v, style))
    if all(abs(v) < style.zero_tolerance for v in w[1:]):
        return (f"The final weights $({', '.join(number(v, style) for v in w)})$ give every input the same class: "
                "there is no boundary.")
    sentence = (f"The decision boundary of the final weights is the {_shape(len(w) - 1)} ${written} = 0$: "
                f"$y = {number(high, style)}$ where ${written} > 0$, ${number(low, style)}$ elsewhere")
    if len(w) == 3 and abs(w[2]) >= style.zero_tolerance:
        sentence += f"; that is the line $x_{{2}} = {_line(-w[1] / w[2], -w[0] / w[2], style)}$"
    elif len(w) == 3:  # w₂ = 0: a vertical line
        sentence += f"; that is the vertical line $x_{{1}} = {number(-w[0] / w[1], style)}$"
    elif len(w) == 2:
        sentence += f"; that is the point $x_{{1}} = {number(-w[0] / w[1], style)}$"
    check = "The check below shows every sample on its side." if run.converged else \
        "The check below shows the samples it still gets wrong."
    return sentence + ". " + check


def _line(slope: float, intercept: float, style: NumberFormat) -> str:
    """a x₁ + c as a hand writes it: a coefficient of ±1 left out (x₂ = −x₁, not −1 x₁), the sign
    of c joined to the operator, zero terms left out."""
    line = ""
    if abs(slope) >= style.zero_tolerance:
        magnitude = number(abs(slope), style)
        line = ("-" if slope < 0 else "") + ("" if magnitude == "1" else magnitude + " ") + "x_{1}"
    if abs(intercept) >= style.zero_tolerance or not line:
        sign = (" - " if intercept < 0 else " + ") if line else ("-" if intercept < 0 else "")
        line += f"{sign}{number(abs(intercept), style)}"
    return line


def _shape(features: int) -> str:
    return {1: "point", 2: "line", 3: "plane"}.get(features, "hyperplane")


def _hyperplane(coefficients, write) -> str:
    """w₀ + w₁ x₁ + … with each coefficient written by `write`, zero terms left out."""
    text = ""
    for j, c in enumerate(coefficients):
        if c == 0:
            continue
        variable = f"x_{{{j}}}" if j else ""
        magnitude = "" if abs(c) == 1 and j else write(abs(c)) + (" " if j else "")
        sign = ("-" if c < 0 else "") if not text else (" - " if c < 0 else " + ")
        text += f"{sign}{magnitude}{variable}"
    return text or "0"


def _no_boundary(samples: Samples, style: NumberFormat) -> tuple[str, ...]:
    """Farkas' argument as a hand solution writes it: each sample asks for an inequality on the
    weights; adding those of the high class with one set of positive multipliers and those of the
    low class with another gives the same sum, which would be > 0 and ≤ 0 at once."""
    low, high = samples.values
    found = separability(samples.x, samples.t == high)
    weights = found.combination
    scale = math.lcm(*(w.denominator for w in weights))
    multipliers = [w * scale for w in weights]
    is_high = [samples.t[i, 0] == high for i in range(samples.count)]
    shown = range(samples.count) if samples.count <= LISTED else [i for i in range(samples.count) if weights[i]]
    inequalities = "; ".join(
        f"${_point(samples.x[:, i], style)} \\mapsto {number(samples.t[i, 0], style)}$: "
        f"${_inequality(samples.x[:, i], is_high[i], samples.bias)}$" for i in shown)
    total = _hyperplane_symbols([scale] + [sum((multipliers[i] * Fraction(repr(float(samples.x[j, i])))
                                        for i in range(samples.count) if is_high[i]), Fraction(0))
                                   for j in range(samples.features)], samples.bias)
    name = f"the {samples.dataset.upper()} gate" if samples.dataset not in (None, "majority") else "this set"
    return (
        f"No weights separate these samples: {name} is not linearly separable. Each sample asks for one "
        f"inequality (with $s = {'b' if samples.bias == 'b' else 'w_0'} + w_1 x_1 + \\ldots$, "
        f"$f(s) = {number(high, style)}$ needs $s > 0$ and "
        f"${number(low, style)}$ needs $s \\leq 0$): {inequalities}.",
        f"Adding the inequalities of {_sum_of(samples, multipliers, True, style)} gives ${total} > 0$; adding those "
        f"of {_sum_of(samples, multipliers, False, style)} gives ${total} \\leq 0$. The same sum cannot be both, so there are no "
        f"weights ${_unknowns(samples)}$ that satisfy every inequality. (Geometrically: the point "
        f"${_point(found.point, style, exact=True)}$ is a weighted average both of samples of class "
        f"${number(high, style)}$ and of samples of class ${number(low, style)}$; a hyperplane with every sample of "
        f"class ${number(high, style)}$ strictly on its positive side has that point there too, and then some sample "
        f"of class ${number(low, style)}$ as well.)",
        r"So $\text{separable} = 0$ (1 would mean a hyperplane separates the classes). The perceptron rule "
        "therefore never has an epoch without an update; instead of running it to the last epoch, the sheet "
        "stops here.",
    )


def _unknowns(samples: Samples) -> str:
    """The weights as a list: w_0, w_1, w_2 (b, w_1, w_2 with a separate bias); with more than
    three inputs, w_0, w_1, \\ldots, w_n."""
    names = ["b" if samples.bias == "b" else "w_{0}"] + [f"w_{{{j}}}" for j in range(1, samples.features + 1)]
    return ", ".join(names if len(names) <= 4 else [*names[:2], r"\ldots", names[-1]])


def _inequality(x, high: bool, bias: str) -> str:
    terms = [Fraction(1)] + [Fraction(repr(float(v))) for v in x]
    left = _hyperplane_symbols(terms, bias)
    return f"{left} > 0" if high else f"{left} \\leq 0"


def _hyperplane_symbols(coefficients, bias: str = "w0") -> str:
    """c₀ w₀ + c₁ w₁ + … for the inequalities on the weights (the unknowns), zero terms left out;
    the bias is w₀, or b when it is separate."""
    text = ""
    for j, c in enumerate(coefficients):
        if c == 0:
            continue
        magnitude = "" if abs(c) == 1 else fraction(abs(c)) + " "
        sign = ("-" if c < 0 else "") if not text else (" - " if c < 0 else " + ")
        text += f"{sign}{magnitude}" + ("b" if j == 0 and bias == "b" else f"w_{{{j}}}")
    return text or "0"


def _sum_of(samples: Samples, multipliers, high: bool, style: NumberFormat) -> str:
    used = [(i, m) for i, m in enumerate(multipliers) if m and (samples.t[i, 0] == samples.values[1]) == high]
    parts = [("" if m == 1 else f"${fraction(m)} \\times$ ") + f"${_point(samples.x[:, i], style)}$" for i, m in used]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _point(values, style: NumberFormat, exact: bool = False) -> str:
    if exact:
        return "(" + ", ".join(fraction(v) for v in values) + ")"
    return "(" + ", ".join(number(float(v), style) for v in values) + ")"
