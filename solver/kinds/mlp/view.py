"""What an MLP sheet says around the steps: sentences about the network, the conventions and
each part, and how the output delta follows from the loss (shown before a training part's
backward pass). Math between $…$, numbers written by solver/render/format.py."""

from __future__ import annotations

from solver.conventions import Conventions
from solver.exercise import Exercise
from solver.kinds.mlp.counts import count_fact
from solver.kinds.mlp.dropout import dropout_fact
from solver.kinds.mlp.initialization import initialization_fact
from solver.kinds.mlp.reader import Part
from solver.kinds.mlp.engine import plan, shows_epochs
from solver.kinds.mlp.regularization_view import gradient_check_facts, regularization_facts
from solver.render.format import NumberFormat, matrix
from solver.render.formula_latex import derivation_lines, expression_latex
from solver.render.training import clipping_fact, optimizer_fact, schedule_fact
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
        units = f"{layer.units} unit{'s' if layer.units > 1 else ''}"
        fact = f"Layer {index} ({kind}): {units}, {entry.title} activation"
        if layer.activation == "custom":
            fact = f"Layer {index} ({kind}): {units}, activation $f(z) = {expression_latex(entry.expression)}$"
        fact += f" (${entry.latex_name}$ with {settings})" if settings else ""
        if entry.kink is not None:
            at_kink = layer.derivative_at_kink if layer.derivative_at_kink is not None else float(
                entry.derivative.subs(ACTIVATION_INPUT, entry.kink))
            fact += rf"; at $z = {entry.kink:g}$, where ${entry.latex_name}$ has no derivative, ${entry.latex_name}' = {at_kink:g}$"
        facts.append(fact + ".")
        if layer.normalization is not None:
            facts.append(_normalization_fact(index, layer.normalization, style))
        if layer.initialization is not None:
            facts.append(initialization_fact(index, layer.initialization))
        if layer.dropout is not None:
            given = None if layer.dropout.masks is None else layer.dropout.masks.shape[1]
            keep = layer.dropout.keep_prob
            facts.append(dropout_fact(index, layer.dropout, _parameter_value(keep, style),
                                      _parameter_value(1 - keep, style), given, exercise.parts[0].conventions.notation))
    facts.append(count_fact(network))
    return tuple(facts)


def _normalization_fact(index: int, settings, style: NumberFormat) -> str:
    """How a batch-norm layer is worked, with its ε and the convention of its running averages."""
    epsilon, momentum = _parameter_value(settings.epsilon, style), _parameter_value(settings.momentum, style)
    return (rf"Layer {index} has batch norm and no bias: $z = W x$; over the batch's columns the mean $\mu$ and "
            rf"the biased variance $\sigma^2$ (divided by m); $\hat{{z}} = (z - \mu)/\sqrt{{\sigma^2 + \epsilon}}$ "
            rf"with $\epsilon = {epsilon}$; $\tilde{{z}} = \gamma \circ \hat{{z}} + \beta$, the activation's input. "
            rf"$\gamma$ and $\beta$ are trained like the weights. After each update the running averages "
            rf"$\bar{{\mu}} \leftarrow {momentum}\,\bar{{\mu}} + (1 - {momentum})\,\mu$ and likewise "
            rf"$\bar{{\sigma}}^2$ (from 0 and 1); queries and epoch losses normalise with them.")


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
        facts += _training_facts(part, style)
        criterion = part.criterion()
        if part.loss == "custom":
            facts.append(rf"Loss: $E = \sum_i \ell(x_i, t_i)$ with $\ell(x, t) = {expression_latex(criterion.term)}$.")
        else:
            facts.append(f"Loss: {criterion.title}.")
        if part.log_clip is not None:
            clip = matrix(part.probability_clip, style)
            facts.append(rf"Predicted probabilities are clipped to $[\varepsilon, 1 - \varepsilon]$, "
                         rf"$\varepsilon = {clip}$, before the log; where the clip moves an output the loss does "
                         r"not change with it, so $\partial E/\partial x$ is 0 there (when the clip moves one, $\delta$ has the "
                         r"factor $[\varepsilon \le x \le 1 - \varepsilon]$: 1 where it holds, else 0).")
        facts += regularization_facts(part, style) + gradient_check_facts(part, style)
    if part.queries:
        facts.append(
            f"Class of {len(part.queries)} new point{'s' if len(part.queries) > 1 else ''}: "
            "the index of the largest output."
        )
    return tuple(facts)


def _training_facts(part: Part, style: NumberFormat) -> list[str]:
    """How the part's updates are made: mode, epochs, order, optimiser, schedule, clipping."""
    count = len(part.samples)
    n = part.conventions.notation
    plain = part.optimizer.name == "sgd"
    rate = f", ${n.rate} = {matrix(part.rate, style)}$" if plain else ""
    epochs = f" per epoch, for {part.epochs} epochs" if part.epochs > 1 else ""
    if part.mode == "batch":
        facts = [f"One batch gradient-descent update on {count} sample{'s' if count > 1 else ''} "
                 f"(one column each){epochs}{rate}."]
    elif part.mode == "minibatch":
        facts = [f"Mini-batch gradient descent: batches of {part.batch_size} of the {count} samples "
                 f"(one column each), one update per batch{epochs}{rate}."]
    else:
        updates = "one update" if count == 1 else f"{count} updates, one sample at a time"
        facts = [f"Stochastic gradient descent: {updates}{epochs}{rate}."]
    if part.shuffle:
        orders = "; ".join(f"epoch {epoch}: " + ", ".join(map(str, order)) for epoch, order in _orders(part))
        facts.append(f"Samples are shuffled each epoch (seed {part.seed}); the order is {orders}.")
    if part.epochs > 1 or part.mode == "minibatch":
        facts.append("Iterations $t$ are numbered across epochs.")
    if not plain:
        facts.append(optimizer_fact(part.optimizer, part.rate, n.rate, style))
    if part.schedule.name != "constant":
        facts.append(schedule_fact(part.schedule, n.rate, style))
    if part.clipping is not None:
        facts.append(clipping_fact(part.clipping, style))
    if part.validation:
        count = len(part.validation)
        facts.append(f"After each epoch, the loss over the training set and over the {count} validation "
                     f"sample{'s' if count > 1 else ''}, without any update.")
    elif shows_epochs(part):
        facts.append("After each epoch, the loss over the whole training set.")
    return facts


def _orders(part: Part) -> list[tuple[int, tuple[int, ...]]]:
    """The sample order of each epoch (positions from 1), as the engine plans it."""
    orders: dict[int, tuple[int, ...]] = {}
    for update in plan(part):
        orders[update.epoch] = orders.get(update.epoch, ()) + update.positions
    return list(orders.items())


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
    clip = part.log_clip is not None  # where it acts, δ takes a factor
    title = "Output delta, derived (where the clip moves no output)" if clip else "Output delta, derived"
    return Block(title, tuple(Equation("", left, (right,)) for left, right in derivation_lines(derivation)))


def _parameter_symbol(name: str) -> str:
    return rf"\{name}" if name in GREEK else name


def _parameter_value(value, style: NumberFormat) -> str:
    """A parameter's value: a number, or one per unit as a column."""
    return matrix(value if not isinstance(value, tuple) else [[v] for v in value], style)
