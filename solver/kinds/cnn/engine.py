"""Counting a network layer by layer (kind "cnn"): each layer's output size by
(W + 2P − F)/S + 1, its weights, biases, parameters, connections and activations, then the
totals. Every count is a SymPy expression over earlier steps and the layer's given sizes; the
sheet prints that expression and the engine evaluates it exactly (rational arithmetic), so a
size that a student's own earlier answer makes fractional stays visible as a fraction's value.

Step ids (README "The cnn kind"): ``a.input.width``, ``a.input.height``, ``a.input.channels``
(or ``a.input.units``); per layer ℓ ``a.lℓ.width``, ``.height``, ``.channels``, ``.inputs`` (fc),
``.weights``, ``.biases``, ``.params``, ``.connections``, ``.activations``; totals ``a.layers``,
``a.weights``, ``a.biases``, ``a.params``, ``a.connections``, ``a.activations``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import sympy as sp

from solver.engine.counting import dense_connections, dense_weights
from solver.engine.scope import Scope, Tracked
from solver.engine.slips import Slip
from solver.engine.steps import Recorder, Solution
from solver.exercise import Exercise
from solver.formula import Constant, Expression, Formula, Ref
from solver.kinds.cnn.reader import Conv, Dense, Network, Pair, Pool

TOTALS = ("weights", "biases", "params", "connections", "activations")
PER_LINE = 4
"""Terms of a total per line of the sheet: a long sum is broken so that a LaTeX page holds it."""


def word(name: str, layer: int | None = None) -> str:
    """The sheet's symbol for a count: ``\\text{weights}^{[1]}``."""
    text = {"params": "parameters"}.get(name, name)
    return rf"\text{{{text}}}" + (f"^{{[{layer}]}}" if layer is not None else "")


def solve(exercise: Exercise, overrides: Mapping[str, np.ndarray] | None = None, slip: Slip | None = None,
          *, require_finite: bool = True) -> Solution:
    """Count every part of the cnn `exercise` (solver.engine.solve calls this)."""
    recorder = Recorder(overrides, source=exercise.path, require_finite=require_finite, limits=exercise.limits,
                        fractions=exercise.number_format == "fraction")
    for part in exercise.parts:
        scope = Scope(recorder, part, "", slip)
        _count_part(scope, part.network)
        if part.compare_with is not None:
            _compare(_Counter(scope), part.compare_with)
    return Solution(exercise, recorder.steps(), recorder.recomputed())


class _Counter:
    """Records one step from a SymPy expression whose symbols are earlier steps or given sizes."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.slip = scope.slip
        self.bias = scope.part.conventions.bias_is_connection

    def given(self, quantity: str, symbol: str, value: int) -> Tracked:
        return self.scope.record(quantity, "given", "given size", symbol, float(value))

    def count(self, quantity: str, section: str, kind: str, symbol: str, expr: sp.Expr,
              bindings: Mapping[sp.Symbol, Tracked | Constant], tokens: tuple = ()) -> Tracked:
        """`expr` evaluated exactly with the bound values; the formula prints it (after `tokens`)."""
        used = {s: b for s, b in bindings.items() if s in expr.free_symbols}
        values = {s: _exact(b.value) for s, b in used.items()}
        value = float(expr.subs(values))
        formula = Formula((*tokens, Expression(
            expr, symbols=tuple((s, Ref(b.id)) for s, b in used.items() if isinstance(b, Tracked)),
            constants=tuple((s, b) for s, b in used.items() if isinstance(b, Constant)), elementwise=False)))
        return self.scope.record(quantity, section, kind, symbol, value, formula)

    def plain(self, quantity: str, section: str, kind: str, symbol: str, value: float) -> Tracked:
        return self.scope.record(quantity, section, kind, symbol, value)


def _exact(value) -> sp.Rational:
    """A step's (or constant's) number as an exact rational: whole numbers stay whole."""
    number = float(np.asarray(value).reshape(-1)[0])
    return sp.Integer(int(number)) if number.is_integer() else sp.Rational(number)


def _symbols(*names: str) -> tuple[sp.Symbol, ...]:
    return sp.symbols(names, positive=True)


W_IN, H_IN, C_IN, W_OUT, H_OUT, C_OUT, K, N, M, WEIGHTS, BIASES = _symbols(
    *"W_in H_in C_in W_out H_out C_out K n m weights biases".split())


def _count_part(scope: Scope, network: Network) -> None:
    volume = network.input
    given = _Counter(scope.within("input"))
    if volume.vector:
        previous = {"units": given.given("units", "m^{[0]}", volume.channels)}
    else:
        previous = {"width": given.given("width", "W^{[0]}", volume.width),
                    "height": given.given("height", "H^{[0]}", volume.height),
                    "channels": given.given("channels", "C^{[0]}", volume.channels)}
    previous_units: int | None = None
    layers: list[dict[str, Tracked]] = []
    for number, layer in enumerate(network.layers, 1):
        layer_counter = _Counter(scope.within(f"l{number}"))
        if isinstance(layer, Dense):
            recorded = _dense(layer_counter, number, layer, previous, previous_units)
            previous_units = layer.units
        else:
            recorded = _window(layer_counter, number, layer, previous)
        layers.append(recorded)
        previous = recorded
    _totals(_Counter(scope), network, layers)


def _dimension(pair: Pair, letter: str, dimension: str) -> str:
    """F, or F_w / F_h when the layer's width and height differ."""
    return letter if pair.square else f"{letter}_{{{dimension[0]}}}"


def _window(counter: _Counter, number: int, layer: Conv | Pool, previous: dict[str, Tracked]) -> dict[str, Tracked]:
    """A convolution or pooling layer: output size, then its counts."""
    slip = counter.slip
    recorded: dict[str, Tracked] = {}
    sizes = {}
    for dimension, letter, symbol_in in (("width", "W", W_IN), ("height", "H", H_IN)):
        F, S = sp.Symbol(f"F_{dimension}", positive=True), sp.Symbol(f"S_{dimension}", positive=True)
        bindings: dict = {symbol_in: previous[dimension],
                          F: Constant(_dimension(layer.size, "F", dimension), getattr(layer.size, dimension)),
                          S: Constant(_dimension(layer.stride, "S", dimension), getattr(layer.stride, dimension))}
        sizes[dimension] = bindings[F]
        terms = [symbol_in]
        if isinstance(layer, Conv):
            P = sp.Symbol(f"P_{dimension}", positive=True)
            bindings[P] = Constant(_dimension(layer.padding, "P", dimension), getattr(layer.padding, dimension))
            terms.append(P if slip is Slip.PADDING_COUNTED_ONCE else 2 * P)
        numerator = sp.Add(*terms, -F, evaluate=False)
        expr = sp.Mul(numerator, sp.Pow(S, -1, evaluate=False), evaluate=False)
        if slip is not Slip.PLUS_ONE_FORGOTTEN:
            expr = sp.Add(expr, 1, evaluate=False)
        recorded[dimension] = counter.count(dimension, "size", "output size", f"{letter}^{{[{number}]}}", expr, bindings)

    window_expr, window_bindings = _window_area(layer, sizes)
    out = {W_OUT: recorded["width"], H_OUT: recorded["height"]}
    if isinstance(layer, Conv):
        filters = Constant("K", layer.filters)
        recorded["channels"] = counter.count("channels", "size", "output size", f"C^{{[{number}]}}", K, {K: filters})
        depth = _filter_depth(layer, previous["channels"], slip)
        bindings = {**window_bindings, **depth[1], K: filters, **out}
        weights_expr = sp.Mul(window_expr, depth[0], evaluate=False)
        if layer.input_channels is None:
            weights_expr = sp.Mul(weights_expr, K, evaluate=False)
        recorded["weights"] = counter.count("weights", "parameters", "weights", word("weights", number), weights_expr, bindings)
        recorded["biases"] = counter.count("biases", "parameters", "biases", word("biases", number), K, bindings)
        per_output = sp.Mul(window_expr, depth[0], evaluate=False)
        if layer.input_channels is None:
            fan = sp.Add(per_output, 1, evaluate=False) if counter.bias and slip is not Slip.BIAS_CONNECTION_FORGOTTEN else per_output
            connections = sp.Mul(fan, W_OUT, H_OUT, K, evaluate=False)
        else:
            fan = sp.Add(per_output, K, evaluate=False) if counter.bias and slip is not Slip.BIAS_CONNECTION_FORGOTTEN else per_output
            connections = sp.Mul(W_OUT, H_OUT, fan, evaluate=False)
    else:
        recorded["channels"] = counter.count("channels", "size", "output size", f"C^{{[{number}]}}", C_IN,
                                             {C_IN: previous["channels"]})
        bindings = {**window_bindings, C_IN: previous["channels"], **out}
        if layer.op == "subsample":  # LeNet-5's S2, S4: one trainable coefficient and one bias per channel
            recorded["weights"] = counter.count("weights", "parameters", "weights", word("weights", number), C_IN, bindings)
            recorded["biases"] = counter.count("biases", "parameters", "biases", word("biases", number), C_IN, bindings)
            fan = (sp.Add(window_expr, 1, evaluate=False) if counter.bias and slip is not Slip.BIAS_CONNECTION_FORGOTTEN
                   else window_expr)
        else:  # max and average pooling have nothing to learn
            recorded["weights"] = counter.plain("weights", "parameters", "weights", word("weights", number), 0.0)
            recorded["biases"] = counter.plain("biases", "parameters", "biases", word("biases", number), 0.0)
            fan = window_expr
        connections = sp.Mul(fan, W_OUT, H_OUT, C_IN, evaluate=False)
    _parameters(counter, number, recorded)
    recorded["connections"] = counter.count("connections", "connections", "connections", word("connections", number),
                                            connections, bindings)
    recorded["activations"] = counter.count(
        "activations", "connections", "activations", word("activations", number), sp.Mul(W_OUT, H_OUT, C_OUT, evaluate=False),
        {**out, C_OUT: recorded["channels"]})
    return recorded


def _window_area(layer: Conv | Pool, sizes: dict[str, Constant]) -> tuple[sp.Expr, dict]:
    """F² for a square window, else F_w F_h, with the constants they stand for."""
    if layer.size.square:
        F = sp.Symbol("F", positive=True)
        return sp.Pow(F, 2, evaluate=False), {F: sizes["width"]}
    Fw, Fh = _symbols("F_w", "F_h")
    return sp.Mul(Fw, Fh, evaluate=False), {Fw: sizes["width"], Fh: sizes["height"]}


def _filter_depth(layer: Conv, channels: Tracked, slip: Slip | None) -> tuple[sp.Expr, dict]:
    """What a filter spans in depth: C^{[ℓ−1]}, or Σ_k c_k over LeNet-5-style connection tables."""
    if layer.input_channels is not None:
        seen = sp.Symbol("c_sum", positive=True)
        return seen, {seen: Constant(r"\textstyle\sum_{k} c_{k}", sum(layer.input_channels))}
    if slip is Slip.FILTER_DEPTH_FORGOTTEN:
        return sp.Integer(1), {}
    return C_IN, {C_IN: channels}


def _parameters(counter: _Counter, number: int, recorded: dict[str, Tracked]) -> None:
    """weights + biases."""
    expr = WEIGHTS if counter.slip is Slip.BIASES_LEFT_OUT else sp.Add(WEIGHTS, BIASES, evaluate=False)
    recorded["params"] = counter.count("params", "parameters", "parameters", word("params", number), expr,
                                       {WEIGHTS: recorded["weights"], BIASES: recorded["biases"]})


def _dense(counter: _Counter, number: int, layer: Dense, previous: dict[str, Tracked],
           previous_units: int | None) -> dict[str, Tracked]:
    """A fully-connected layer over the flattened output of the layer before (solver/engine/counting.py)."""
    units = Constant("m", layer.units)
    if "units" in previous:  # the input is a vector
        inputs = counter.count("inputs", "inputs", "inputs", f"n^{{[{number}]}}", M, {M: previous["units"]})
    elif previous_units is not None:  # the layer before is fully connected: its m units, given
        inputs = counter.count("inputs", "inputs", "inputs", f"n^{{[{number}]}}", M,
                               {M: Constant(f"m^{{[{number - 1}]}}", previous_units)})
    else:
        inputs = counter.count("inputs", "inputs", "inputs", f"n^{{[{number}]}}", sp.Mul(W_IN, H_IN, C_IN, evaluate=False),
                               {W_IN: previous["width"], H_IN: previous["height"], C_IN: previous["channels"]})
    bindings = {N: inputs, M: units}
    recorded = {"inputs": inputs}
    recorded["weights"] = counter.count("weights", "parameters", "weights", word("weights", number), dense_weights(N, M), bindings)
    recorded["biases"] = counter.count("biases", "parameters", "biases", word("biases", number), M, bindings)
    _parameters(counter, number, recorded)
    bias = counter.bias and counter.slip is not Slip.BIAS_CONNECTION_FORGOTTEN
    recorded["connections"] = counter.count("connections", "connections", "connections", word("connections", number),
                                            dense_connections(N, M, bias), bindings)
    recorded["activations"] = counter.count("activations", "connections", "activations", word("activations", number),
                                            M, bindings)
    return recorded


def _totals(counter: _Counter, network: Network, layers: list[dict[str, Tracked]]) -> None:
    """The number of layers with parameters, and each count summed over the layers."""
    weighted = sum(1 for layer in network.layers if not (isinstance(layer, Pool) and layer.op != "subsample"))
    counter.plain("layers", "totals", "total", r"\text{layers}", float(weighted))
    for name in TOTALS:
        _sum(counter, name, "totals", word(name), [recorded[name] for recorded in layers])
    _shares(counter, network, layers)


def _sum(counter: _Counter, quantity: str, section: str, symbol: str, terms: list[Tracked]) -> Tracked:
    """The sum of `terms`, exact, its formula broken every PER_LINE terms so that a page holds it."""
    tokens: list = []
    for index, step in enumerate(terms):
        if index:
            tokens.append(r" \\ &\quad + " if index % PER_LINE == 0 else " + ")
        tokens.append(Ref(step.id))
    value = float(sum((_exact(step.value) for step in terms), sp.Integer(0)))
    return counter.scope.record(quantity, section, "total", symbol, value, Formula(tuple(tokens)))


def _shares(counter: _Counter, network: Network, layers: list[dict[str, Tracked]]) -> None:
    """Where most parameters are: the convolutions' and the fully-connected layers' sums, the
    latter's share of all, and the one layer with the most (for a network with both kinds)."""
    kinds = {"conv": [r for layer, r in zip(network.layers, layers) if isinstance(layer, Conv)],
             "fc": [r for layer, r in zip(network.layers, layers) if isinstance(layer, Dense)]}
    if not kinds["conv"] or not kinds["fc"]:
        return
    sums = {name: _sum(counter, f"params_{name}", "shares", rf"\text{{parameters}}_{{\text{{{name}}}}}",
                       [recorded["params"] for recorded in members])
            for name, members in kinds.items()}
    fc, total = _symbols("fc", "total")
    counter.count("share_fc", "shares", "share", r"\text{share}_{\text{fc}}", sp.Mul(fc, sp.Pow(total, -1, evaluate=False),
                  evaluate=False), {fc: sums["fc"], total: _tracked(counter.scope.recorder.step(counter.scope.id_of("params")))})
    params = [float(r["params"].value) for r in layers]
    largest = max(range(len(params)), key=lambda i: params[i])
    counter.scope.record("largest", "shares", "largest layer", r"\ell_{\max}", float(largest + 1),
                         Formula((r"\operatorname{argmax}_{\ell}\, \text{parameters}^{[\ell]}",), substitute=False))


def _compare(counter: _Counter, other: str) -> None:
    """How many times more parameters and connections the part `other` has than this one."""
    mine, theirs = _symbols("mine", "theirs")
    recorder, here = counter.scope.recorder, counter.scope.part.name
    for name in ("params", "connections"):
        counter.count(f"{name}_ratio", "comparison", "ratio", rf"\text{{ratio of {word(name)[6:-1]}}}",
                      sp.Mul(theirs, sp.Pow(mine, -1, evaluate=False), evaluate=False),
                      {theirs: Constant(rf"{word(name)}_{{({other})}}", float(recorder.step(f"{other}.{name}").value)),
                       mine: Constant(rf"{word(name)}_{{({here})}}", float(recorder.step(counter.scope.id_of(name)).value))})


def _tracked(step) -> Tracked:
    return Tracked(step.id, step.value)
