"""A multilayer perceptron trained by hand: each part's updates, epoch by epoch, then its queries.

A part's updates follow its mode: one sample at a time ("stochastic"), all samples at once
("batch"), or `batch_size` at a time ("minibatch"), in the order given or shuffled reproducibly,
for `epochs` passes. Each update is backprop.py's arithmetic followed by the optimiser's update of
every weight and bias (solver/engine/optimizer.py). Step ids: see README "Step ids"; an update
is group ``s<k>`` (sample k of a single stochastic pass) or ``t<k>`` (iteration k across epochs),
or no group when the part makes one update; an epoch's learning rate and losses are group ``e<n>``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from solver.engine import optimizer as optimiser
from solver.engine.optimizer import Iteration, Parameter
from solver.engine.scope import Scope, Tracked
from solver.engine.slips import Slip
from solver.engine.steps import Recorder, Solution
from solver.errors import LimitError, blamed_on
from solver.exercise import Exercise
from solver.formula import Constant, Expression, Formula, Ref
from solver.kinds.mlp import regularization as penalty
from solver.kinds.mlp.backprop import backpropagate, dataset_loss
from solver.kinds.mlp.forward import Parameters, query
from solver.kinds.mlp.gradient_check import check_gradients
from solver.kinds.mlp.dropout import part_masks
from solver.kinds.mlp.initialization import record_draws, record_initialization
from solver.kinds.mlp.network import Network
from solver.kinds.mlp.normalization import RUNNING_START, running_averages, starting_averages
from solver.kinds.mlp.reader import Part, Sample
from solver.symbolic.numeric import numpy_function
from solver.symbolic.optimizers import BASE, DECAY, EPOCH, ETA0, K, SCHEDULES

States = tuple[tuple[Mapping[str, np.ndarray], ...], ...]
"""The optimiser's states of (weights, biases), or (weights, γ, β), per layer, by state name."""
Averages = tuple[tuple[np.ndarray, np.ndarray] | None, ...]
"""The running (mean, variance) of each batch-norm layer; None for a layer without."""


@dataclass(frozen=True)
class Progress:
    """Where training stands after a part: weights and biases per layer, optimiser states, and
    the number of updates made (the iteration counter t), and batch norm's running averages."""

    values: tuple[tuple[np.ndarray, ...], ...]
    states: States | None = None
    updates: int = 0
    running: Averages = ()


@dataclass(frozen=True)
class Update:
    """One update: its epoch (from 1), its iteration t within the part (from 1), its group, and
    its samples with their positions in the part's sample list (from 1)."""

    epoch: int
    t: int
    group: str
    samples: tuple[Sample, ...]
    positions: tuple[int, ...]


def solve(exercise: Exercise, overrides: Mapping[str, np.ndarray] | None = None, slip: Slip | None = None,
          *, require_finite: bool = True) -> Solution:
    """Work every part of the MLP `exercise` (solver.engine.solve calls this). `overrides` replaces
    the value of the steps it names (later steps use it); `slip` makes the engine commit that
    mistake. A value that is not finite raises NumericError unless `require_finite` is False."""
    recorder = Recorder(overrides, source=exercise.path, require_finite=require_finite, limits=exercise.limits,
                        fractions=exercise.number_format == "fraction")
    layers = exercise.setup.layers
    initial = Progress(_initial_values(Scope(recorder, exercise.parts[0], "init", slip), layers),
                       running=tuple(tuple(np.full((layer.units, 1), v) for v in RUNNING_START)
                                     if layer.normalization else None for layer in layers))
    final = initial
    # float64 trouble is reported as NumericError on the step it happens in, not as NumPy warnings
    with np.errstate(all="ignore"):
        for part in exercise.parts:
            start = initial if part.start == "initial" else final
            # the reader refuses what is sure to outgrow the step limit; what still does is the epochs' doing
            with blamed_on(part.size_at, LimitError):
                final = _solve_part(Scope(recorder, part, "", slip), exercise.setup, start)
    return Solution(exercise, recorder.steps(), recorder.recomputed())


def _initial_values(scope: Scope, layers) -> tuple[tuple[np.ndarray, ...], ...]:
    """Each layer's starting (W, b) or (W, γ, β); drawn weights are recorded first (group ``init``
    of the first part) and their recorded value used, so that an override of them is followed."""
    draws = [record_draws(scope, l, layer.initialization) if layer.initialization is not None else None
             for l, layer in enumerate(layers, 1)]  # all given values first, then the working
    return tuple((record_initialization(scope, l, layer.initialization, drawn).value, *layer.initial_values[1:])
                 if layer.initialization is not None else layer.initial_values
                 for l, (layer, drawn) in enumerate(zip(layers, draws), 1))


def plan(part: Part) -> list[Update]:
    """The part's updates in order. With `shuffle`, each epoch's order is a Fisher–Yates shuffle
    driven by Python's random.Random(seed).random(), whose sequence Python keeps the same on every
    machine and version."""
    if not part.train:
        return []
    size = part.batch
    draw = random.Random(part.seed)
    batches: list[tuple[int, tuple[int, ...]]] = []
    for epoch in range(1, part.epochs + 1):
        order = list(range(len(part.samples)))
        if part.shuffle:
            for i in range(len(order) - 1, 0, -1):
                j = int(draw.random() * (i + 1))
                order[i], order[j] = order[j], order[i]
        batches += [(epoch, tuple(order[k : k + size])) for k in range(0, len(order), size)]
    single_pass = part.mode == "stochastic" and part.epochs == 1
    return [Update(epoch, t, "" if len(batches) == 1 else (f"s{t}" if single_pass else f"t{t}"),
                   tuple(part.samples[i] for i in indexes), tuple(i + 1 for i in indexes))
            for t, (epoch, indexes) in enumerate(batches, 1)]


def shows_epochs(part: Part) -> bool:
    """Whether the part records the loss after each epoch (and so ends with a table of them)."""
    return part.train and (part.epochs > 1 or bool(part.validation) or part.mode == "minibatch")


def _solve_part(scope: Scope, network: Network, start: Progress) -> Progress:
    """Record the part's steps; returns where training stands at its end."""
    part = scope.part
    rule = part.optimizer.rule(scope.slip)
    names = _parameters(scope, network)
    progress, latest, states, running = start, None, None, None
    rate: Tracked | Constant = Constant(scope.notation.rate, np.array(part.rate))
    updates = plan(part)
    masks, presented = part_masks(network, part), 0
    for update in updates:
        group = scope.within(update.group)
        if update.t == 1 or updates[update.t - 2].epoch != update.epoch:
            rate = _epoch_rate(scope.within(f"e{update.epoch}"), update.epoch, rate)
        parameters = _given_parameters(group, network, progress.values)
        if running is None:  # the running averages this part starts from, as given steps
            running = _given_averages(group, progress.running, "_start")
        if states is None:  # the states this part starts from are given steps of its first update
            states = _starting_states(group, rule, names, parameters, progress)
        counter = optimiser.iteration(group, rule, progress.updates)
        parameters_used = parameters
        if rule.look_ahead is not None:
            parameters_used = tuple(tuple(optimiser.look_ahead(group, part.optimizer, rule, name, value, state,
                                                               progress.updates + 1)
                                          for name, value, state in zip(*layer))
                                    for layer in zip(names, parameters, states))
        dropout = tuple(None if mask is None else mask[:, presented:presented + len(update.samples)] for mask in masks)
        presented += len(update.samples)
        gradients, statistics = backpropagate(group, network, parameters_used, update.samples, part.rate, dropout)
        decay = penalty.WeightDecay(gradients, len(update.samples))
        if part.regularization.active:
            gradients = penalty.regularize(group, names, parameters_used, gradients, len(update.samples))
        if part.gradient_check is not None and update.t == 1:
            check_gradients(group, network, names, parameters_used, gradients, update.samples)
        if part.clipping is not None:
            flat = iter(optimiser.clip(group, part.clipping, [n for layer in names for n in layer],
                                       [g for layer in gradients for g in layer]))
            gradients = tuple(tuple(next(flat) for _ in layer) for layer in gradients)
        iteration = Iteration(rate, counter)
        latest, states = _update(group, rule, names, parameters, gradients, states, iteration, progress.updates + 1,
                                 decay)
        running = tuple(None if found is None else
                        running_averages(group, l, network.layers[l - 1].normalization, running[l - 1], found)
                        for l, found in enumerate(statistics, 1))
        progress = Progress(tuple(tuple(p.value for p in layer) for layer in latest),
                            tuple(tuple({k: v.value for k, v in s.items()} for s in layer) for layer in states),
                            progress.updates + 1, _values(running))
        last_of_epoch = update.t == len(updates) or updates[update.t].epoch != update.epoch
        if last_of_epoch and shows_epochs(part):
            _epoch_losses(scope.within(f"e{update.epoch}"), network, latest, running)
    if latest is None:  # a part that does not train still states the weights it uses
        latest = _given_parameters(scope, network, progress.values)
        running = _given_averages(scope, progress.running, "")
    for j, point in enumerate(part.queries, 1):
        query(scope.within(f"q{j}"), network, latest, point, running)
    return progress


def _values(running) -> Averages:
    return tuple(None if pair is None else (pair[0].value, pair[1].value) for pair in running)


def _given_averages(scope: Scope, values: Averages, suffix: str):
    """The running averages as given steps (``running_mean1_start`` where a part starts training)."""
    return tuple(None if pair is None else starting_averages(scope, l, pair, suffix)
                 for l, pair in enumerate(values, 1))


def _parameters(scope: Scope, network: Network) -> tuple[tuple[Parameter, ...], ...]:
    """Per layer: W and b, or W, γ and β with batch norm."""
    return tuple(tuple(Parameter(name, symbol, f"updated {kind}") for name, symbol, kind, _ in _trained(scope, l, layer))
                 for l, layer in enumerate(network.layers, 1))


def _trained(scope: Scope, l: int, layer) -> tuple[tuple[str, str, str, str], ...]:
    """(id stem, symbol, kind, given kind) of layer `l`'s trained parameters."""
    n = scope.notation
    weights = (f"W{l}", n.layered(n.weight, l), "weights", "weights")
    if layer.normalization is not None:
        return (weights, (f"gamma{l}", n.layered(r"\gamma", l), "scales", "scale"),
                (f"beta{l}", n.layered(r"\beta", l), "shifts", "shift"))
    return weights, (f"b{l}", n.layered(n.bias, l), "biases", "biases")


def _given_parameters(scope: Scope, network: Network, values) -> Parameters:
    return tuple(tuple(scope.record(name, "given", kind, symbol, value)
                       for (name, symbol, _, kind), value in zip(_trained(scope, l, layer), layer_values))
                 for l, (layer, layer_values) in enumerate(zip(network.layers, values), 1))


def _starting_states(scope: Scope, rule, names, parameters: Parameters, progress: Progress):
    """The optimiser's states at the start of the part: carried from the previous part, else 0."""
    carried = progress.states or tuple(tuple({} for _ in layer) for layer in names)
    return tuple(tuple(optimiser.starting_state(scope, rule, name, value.value.shape, given, progress.updates)
                       for name, value, given in zip(*layer))
                 for layer in zip(names, parameters, carried))


def _update(scope: Scope, rule, names, parameters: Parameters, gradients, states, iteration: Iteration, t: int,
            decay: penalty.WeightDecay):
    """Every weight and bias (or γ and β) updated, from the output layer down; returns them and
    the new states. γ and β are always updated; `update_biases` is about biases only. A penalised
    parameter in the weight-decay form is updated from its backprop gradient in `decay`."""
    part = scope.part

    def step(l: int, position: int, state):
        name, value = names[l - 1][position], parameters[l - 1][position]
        if penalty.decays(scope, parameters[l - 1], position):
            return (penalty.weight_decay_update(scope, name, value, decay.gradients[l - 1][position], iteration,
                                                decay.m), state)
        return optimiser.update(scope, part.optimizer, rule, name, value, gradients[l - 1][position], state,
                                iteration, t)

    updated, new_states = [], []
    for l in range(len(parameters), 0, -1):
        if len(names[l - 1]) == 3:  # W, γ, β of a batch-norm layer
            pairs = [step(l, position, state) for position, state in enumerate(states[l - 1])]
            updated.append(tuple(new for new, _ in pairs))
            new_states.append(tuple(state for _, state in pairs))
            continue
        b_name, b, (W_state, b_state) = names[l - 1][1], parameters[l - 1][1], states[l - 1]
        new_W, W_state = step(l, 0, W_state)
        new_b = b
        if part.conventions.update_biases and scope.slip is Slip.BIAS_NOT_UPDATED:
            new_b = scope.record(f"{b_name.name}_new", "update", b_name.updated, rf"{b_name.symbol}_{{\mathrm{{new}}}}",
                                 b.value, Formula((Ref(b.id),)))
        elif part.conventions.update_biases:
            new_b, b_state = step(l, 1, b_state)
        updated.append((new_W, new_b))
        new_states.append((W_state, b_state))
    return tuple(reversed(updated)), tuple(reversed(new_states))


def _epoch_rate(scope: Scope, epoch: int, previous: Tracked | Constant) -> Tracked | Constant:
    """The learning rate of `epoch`: a step when a schedule sets it, else the constant η."""
    schedule = scope.part.schedule
    if schedule.name == "constant":
        return previous
    expression = SCHEDULES[schedule.name]
    n = scope.notation
    constants = {ETA0: Constant(rf"{n.rate}_0", np.array(scope.part.rate)), EPOCH: Constant("e", np.array(epoch)),
                 DECAY: Constant("d", np.array(schedule.decay)), BASE: Constant("b", np.array(schedule.base)),
                 K: Constant("k", np.array(schedule.k))}
    arguments = (ETA0, EPOCH, DECAY, BASE, K)
    value = numpy_function(arguments, expression)(*(constants[a].value for a in arguments))
    used = expression.free_symbols
    formula = Formula((Expression(expression, elementwise=False,
                                  constants=tuple((a, constants[a]) for a in arguments if a in used)),))
    return scope.record("eta", "schedule", "learning rate", rf"{n.rate}_{{e}}", float(value), formula)


def _epoch_losses(scope: Scope, network: Network, updated, running) -> None:
    """The loss over the training set, and over the validation samples, after `epoch`; batch norm
    uses the running averages, as a query does."""
    part, n = scope.part, scope.notation
    values = tuple(tuple(p.value for p in layer) for layer in updated)
    refs: list = []
    for layer, averages in zip(updated, running):
        for p in (*layer, *(averages or ())):
            refs += [", " if refs else "", Ref(p.id)]
    for quantity, label, samples in (("E_train", "train", part.samples), ("E_val", "val", part.validation)):
        if samples:
            symbol = rf"{n.loss}_{{\mathrm{{{label}}}}}"
            formula = Formula((rf"{n.loss}_{{\mathrm{{{label}}}}}\left(", *refs, r"\right)"), substitute=False)
            scope.record(quantity, "epoch", "epoch loss", symbol,
                         dataset_loss(network, part, values, samples, _values(running)), formula)

