"""What an MLP sheet says around the steps: sentences about the network, the conventions and
each part, and how the output delta follows from the loss (shown before a training part's
backward pass). Math between $…$, numbers written by solver/render/format.py."""

from __future__ import annotations

from solver.conventions import Conventions
from solver.exercise import Exercise
from solver.kinds.mlp.reader import Part
from solver.render.format import NumberFormat, derivation_lines, expression_latex, matrix
from solver.render.view import SECTION_TITLES, Block, Equation
from solver.symbolic import ACTIVATIONS
from solver.symbolic.activations import z as ACTIVATION_INPUT
from solver.symbolic.derivations import delta_derivation

SETUP_HEADING = "The network"
GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "eta", "theta", "kappa", "lambda", "mu", "rho", "sigma", "tau"}


def network_facts(exercise: Exercise, style: NumberFormat) -> tuple[str, ...]:
    """The network's shape, then each layer's size and activation."""
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


def convention_facts(conventions: Conventions) -> tuple[str, ...]:
    """The symbols and the settings the sheet is written with."""
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


def part_facts(exercise: Exercise, part: Part, style: NumberFormat) -> tuple[str, ...]:
    """Plain sentences about how the part is worked."""
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


def derived_blocks(exercise: Exercise, part: Part) -> tuple[tuple[str, Block], ...]:
    """A training part's output-delta derivation, placed before its (first) backward pass."""
    if not part.train:
        return ()
    return ((SECTION_TITLES["backward"], _output_delta_block(exercise, part)),)


def _output_delta_block(exercise: Exercise, part: Part) -> Block:
    """How δ[L] follows from this part's loss and output activation, in the part's notation."""
    n = part.conventions.notation
    layers = exercise.setup.layers
    L = len(layers)
    derivation = delta_derivation(
        part.criterion(), layers[-1].function,
        output=n.layered(n.activation, L), net=n.layered(n.net, L), target=n.target,
        outputs=layers[-1].units,
    )
    return Block("Output delta, derived", tuple(Equation("", left, (right,)) for left, right in derivation_lines(derivation)))


def _parameter_symbol(name: str) -> str:
    return rf"\{name}" if name in GREEK else name


def _parameter_value(value, style: NumberFormat) -> str:
    """A parameter's value: a number, or one per unit as a column."""
    return matrix(value if not isinstance(value, tuple) else [[v] for v in value], style)
