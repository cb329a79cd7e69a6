"""Solution → a view of finished strings that the templates only place.

A sheet is a title and some prose about the network, then for each part the groups of its
calculation (the training update, each sample of a stochastic part, each query), each made
of blocks (Given, Forward pass, Loss, ...) of equations. An equation is the three lines a
careful hand solution writes: the general formula, the numbers substituted, the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from solver.engine.steps import Solution, Step
from solver.render.format import FormulaPrinter, NumberFormat, derivation_lines, expression_latex, matrix
from solver.symbolic.derivations import delta_derivation
from solver.symbolic import ACTIVATIONS
from solver.symbolic.activations import z as ACTIVATION_INPUT

SECTION_TITLES = {
    "given": "Given",
    "forward": "Forward pass",
    "loss": "Loss",
    "backward": "Backward pass",
    "gradients": "Gradients",
    "update": "Update",
    "class": "Class",
}


@dataclass(frozen=True)
class Equation:
    """`symbol` = `lines[0]` = `lines[1]` …, each line already LaTeX."""

    step_id: str
    symbol: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    """Equations under one title; `compact` when each is a single value (shown as one display)."""

    title: str
    equations: tuple[Equation, ...]

    @property
    def compact(self) -> bool:
        return all(len(equation.lines) == 1 for equation in self.equations)


@dataclass(frozen=True)
class Group:
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class PartView:
    name: str
    title: str
    facts: tuple[str, ...]
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class SheetView:
    title: str
    source: str
    description: str
    network: tuple[str, ...]
    conventions: tuple[str, ...]
    parts: tuple[PartView, ...]


def sheet_view(solution: Solution, precision: int | None = None) -> SheetView:
    """Everything a template needs, numbers and formulas already written out."""
    exercise = solution.exercise
    style = NumberFormat(precision=precision or exercise.precision)
    printer = FormulaPrinter({step.id: step for step in solution.steps}, style)
    parts = []
    for part in exercise.parts:
        steps = [step for step in solution.steps if step.part == part.name]
        derived = _output_delta_block(exercise, part) if part.train else None
        groups = []
        for group, group_steps in groupby(steps, key=lambda step: step.group):
            blocks = _blocks(list(group_steps), printer)
            at = next((i for i, block in enumerate(blocks) if block.title == SECTION_TITLES["backward"]), None)
            if derived is not None and at is not None:
                blocks = (*blocks[:at], derived, *blocks[at:])
                derived = None  # once per part
            groups.append(Group(_group_heading(group), blocks))
        groups = tuple(groups)
        facts = _part_facts(part, style)
        if part.conventions != exercise.parts[0].conventions:
            facts += ("In this part: " + " ".join(_convention_facts(part.conventions)),)
        parts.append(PartView(part.name, part.title, facts, groups))
    return SheetView(
        title=exercise.title,
        source=exercise.source,
        description=exercise.description,
        network=_network_facts(exercise, style),
        conventions=_convention_facts(exercise.parts[0].conventions),
        parts=tuple(parts),
    )


def _output_delta_block(exercise, part) -> Block:
    """How δ[L] follows from this part's loss and output activation, in the part's notation."""
    n = part.conventions.notation
    L = len(exercise.setup.layers)
    derivation = delta_derivation(
        part.criterion(), exercise.setup.layers[-1].function,
        output=n.layered(n.activation, L), net=n.layered(n.net, L), target=n.target,
        outputs=exercise.setup.layers[-1].units,
    )
    return Block("Output delta, derived", tuple(Equation("", left, (right,)) for left, right in derivation_lines(derivation)))


def _blocks(steps: list[Step], printer: FormulaPrinter) -> tuple[Block, ...]:
    return tuple(
        Block(SECTION_TITLES[section], tuple(_equation(step, printer) for step in section_steps))
        for section, section_steps in groupby(steps, key=lambda step: step.section)
    )


def _equation(step: Step, printer: FormulaPrinter) -> Equation:
    result = printer.result(step)
    if step.formula is None:
        return Equation(step.id, step.symbol, (result,))
    lines = [printer.symbolic(step.formula)]
    if step.formula.substitute:
        lines.append(printer.substituted(step.formula))
    lines.append(result)
    # a line that only repeats the one before it (db = delta) says nothing new
    distinct = [line for index, line in enumerate(lines) if index == 0 or line != lines[index - 1]]
    return Equation(step.id, step.symbol, tuple(distinct))


def _group_heading(group: str) -> str:
    if group.startswith("s"):
        return f"Sample {group[1:]}"
    if group.startswith("q"):
        return f"Query {group[1:]}"
    return ""


def _part_facts(part, style: NumberFormat) -> tuple[str, ...]:
    """Plain sentences about how the part is worked; math between $…$."""
    facts = []
    if part.start == "previous":
        facts.append("Starts from the weights and biases at the end of the previous part.")
    else:
        facts.append("Starts from the initial weights and biases.")
    if part.train:
        count = len(part.samples)
        n = part.conventions.notation
        rate = f"${n.rate} = {matrix(part.learning_rate, style)}$"
        if part.mode == "batch":
            facts.append(
                f"One batch gradient-descent update on {count} sample{'s' if count > 1 else ''} "
                f"(one column each), {rate}."
            )
        else:
            updates = "one update" if count == 1 else f"{count} updates, one sample at a time"
            facts.append(f"Stochastic gradient descent: {updates}, {rate}.")
        criterion = part.criterion()
        if part.loss == "custom":
            facts.append(rf"Loss: $E = \sum_i \ell(x_i, t_i)$ with $\ell(x, t) = {expression_latex(criterion.term)}$.")
        else:
            facts.append(f"Loss: {criterion.title}.")
        if part.probability_clip is not None and part.criterion().uses_log:
            clip = matrix(part.probability_clip, style)
            facts.append(rf"Predicted probabilities are clipped to $[\varepsilon, 1 - \varepsilon]$, "
                         rf"$\varepsilon = {clip}$, before the log.")
    if part.queries:
        facts.append(
            f"Class of {len(part.queries)} new point{'s' if len(part.queries) > 1 else ''}: "
            "the index of the largest output."
        )
    return tuple(facts)


def _parameter_symbol(name: str) -> str:
    return rf"\{name}" if name in GREEK else name


def _parameter_value(value, style: NumberFormat) -> str:
    """A parameter's value: a number, or one per unit as a column."""
    return matrix(value if not isinstance(value, tuple) else [[v] for v in value], style)


GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "kappa", "lambda", "mu", "rho", "sigma", "tau"}


def _network_facts(exercise, style: NumberFormat) -> tuple[str, ...]:
    network = exercise.setup
    sizes = "-".join(str(size) for size in [network.inputs, *(layer.units for layer in network.layers)])
    facts = [f"A {sizes} network: {network.inputs} inputs and {len(network.layers)} layers of units."]
    for index, layer in enumerate(network.layers, 1):
        entry = layer.function
        kind = "output layer" if index == len(network.layers) else "hidden layer"
        family = ACTIVATIONS.get(layer.activation)
        defaults = {p.name: p.default for p in family.parameters} if family else {}
        changed = any(value != defaults.get(name) for name, value in entry.parameters)
        settings = ", ".join(f"${_parameter_symbol(name)} = {_parameter_value(value, style)}$"
                             for name, value in entry.parameters) if changed else ""
        fact = f"Layer {index} ({kind}): {layer.units} units, {entry.title} activation"
        if layer.activation == "custom":
            fact = f"Layer {index} ({kind}): {layer.units} units, activation $f(z) = {expression_latex(entry.expression)}$"
        fact += f" (${entry.latex_name}$ with {settings})" if settings else ""
        if entry.kink is not None:
            at_kink = layer.derivative_at_kink if layer.derivative_at_kink is not None else float(
                entry.derivative.subs(ACTIVATION_INPUT, entry.kink))
            fact += rf"; at $z = {entry.kink:g}$, where ${entry.latex_name}$ has no derivative, ${entry.latex_name}' = {at_kink:g}$"
        facts.append(fact + ".")
    return tuple(facts)


def _convention_facts(conventions) -> tuple[str, ...]:
    n = conventions.notation
    net, act = n.layered(n.net, 1), n.layered(n.activation, 1)
    delta = n.layered(n.delta, 1)
    sign = "" if conventions.delta_sign > 0 else "-"
    reduction = "mean" if conventions.batch_reduction == "mean" else "sum"
    return (
        f"${net}$ is the net input and ${act}$ the activation of layer 1; ${n.target}$ is the target.",
        rf"${delta} = {sign}\partial {n.loss} / \partial {net}$.",
        f"A batch gradient is the {reduction} over the samples.",
        "Biases are updated with the weights." if conventions.update_biases else "Biases are not updated.",
        f"Classes are numbered from {conventions.first_class}.",
    )
