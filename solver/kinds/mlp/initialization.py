"""Weight initialisation of an MLP layer instead of given weights (seeds 002, 004): zeros, a
constant, uniform or normal draws, or a variance scheme (Xavier 1/n_in, Glorot 2/(n_in + n_out),
He 2/n_in, and seed 004's tanh form, standard normals times √(1/n_in)).

The same seed gives the same weights on every machine: the generator is Python's
random.Random(seed).random() (the Mersenne Twister, whose sequence Python keeps the same for a
seed on every platform and version), never NumPy's generators, whose streams may change across
versions. A normal number takes two draws u₁, u₂ (Box–Muller): √(−2 ln(1 − u₁)) · cos(2π u₂).
A uniform number takes one draw u ∈ [0, 1). Weights are drawn row by row, layer after layer.

Step ids (group ``init`` of the first part; README "Initialisation"): ``var1``, ``std1`` or
``limit1``, ``draws1``, ``W1``.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from solver.arrays import read_only
from solver.engine.scope import Scope, Tracked
from solver.fields import FieldReader, join
from solver.formula import Constant, Expression, Formula, Ref, Scalar
from solver.lazy import LazyTable

N_IN, N_OUT = Scalar("n_in", positive=True), Scalar("n_out", positive=True)
VAR = sp.Symbol("Var", positive=True)
VARIANCES: LazyTable[sp.Expr] = LazyTable({
    "xavier": lambda: 1 / N_IN,
    "glorot": lambda: 2 / (N_IN + N_OUT),
    "he": lambda: 2 / N_IN,
    "tanh": lambda: 1 / N_IN,
})
"""Var(w) of each variance scheme, in n_in (the layer's inputs) and n_out (its units)."""
SCHEMES = ("zeros", "constant", "uniform", "normal", *VARIANCES)
DISTRIBUTIONS = ("normal", "uniform")
KEYS = {"scheme", "distribution", "seed", "value", "low", "high", "mean", "std"}
_SCHEME_KEYS = {"zeros": set(), "constant": {"value"}, "uniform": {"seed", "low", "high"},
                "normal": {"seed", "mean", "std"}, **{name: {"seed", "distribution"} for name in VARIANCES}}


@dataclass(frozen=True)
class Scheme:
    """An `initialization` table as read: the scheme and its settings (unused ones stay at rest)."""

    scheme: str
    where: str
    distribution: str = "normal"
    seed: int = 0
    value: float = 0.0
    low: float = -1.0
    high: float = 1.0
    mean: float = 0.0
    std: float = 1.0

    @property
    def random(self) -> bool:
        return self.scheme not in ("zeros", "constant")

    @property
    def draws_normal(self) -> bool:
        return self.scheme == "normal" or (self.scheme in VARIANCES and self.distribution == "normal")


@dataclass(frozen=True)
class Initialization:
    """How a layer's weights were made: the scheme, the layer's n_in and n_out, and the draws
    (standard normals, or uniforms in [0, 1); None for zeros and a constant). `shared` when the
    draws continue the stream of [network]'s initialization from the layer before."""

    scheme: Scheme
    fan_in: int
    fan_out: int
    draws: np.ndarray | None
    shared: bool = False

    @property
    def variance(self) -> float | None:
        """Var(w) of a variance scheme, else None."""
        if self.scheme.scheme not in VARIANCES:
            return None
        return float(VARIANCES[self.scheme.scheme].subs({N_IN: self.fan_in, N_OUT: self.fan_out}))

    @property
    def weights(self) -> np.ndarray:
        """The weights (fan_out × fan_in) the scheme gives from its draws."""
        s, shape = self.scheme, (self.fan_out, self.fan_in)
        if s.scheme == "zeros":
            return read_only(np.zeros(shape))
        if s.scheme == "constant":
            return read_only(np.full(shape, s.value))
        if s.scheme == "uniform":
            return read_only(s.low + (s.high - s.low) * self.draws)
        if s.scheme == "normal":
            return read_only(s.mean + s.std * self.draws)
        if s.distribution == "normal":
            return read_only(math.sqrt(self.variance) * self.draws)
        return read_only(math.sqrt(3 * self.variance) * (2 * self.draws - 1))


def standard_normal(generator: random.Random) -> float:
    """One N(0, 1) number from two of the generator's draws (Box–Muller, the cosine branch);
    1 − u₁ lies in (0, 1], so the log is finite."""
    u1, u2 = generator.random(), generator.random()
    return math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(2.0 * math.pi * u2)


def draw(scheme: Scheme, generator: random.Random, rows: int, columns: int) -> np.ndarray | None:
    """The scheme's standard draws for a rows × columns matrix, row by row; None when it draws none."""
    if not scheme.random:
        return None
    one = standard_normal if scheme.draws_normal else (lambda g: g.random())
    return read_only([[one(generator) for _ in range(columns)] for _ in range(rows)])


def read_scheme(read: FieldReader, data: Any, where: str) -> Scheme:
    """An `initialization` table; ExerciseError for an unknown scheme (the closest one suggested),
    a key the scheme does not take, or a bad value."""
    read.table(data, where, KEYS)
    if "scheme" not in data:
        raise read.error(join(where, "scheme"), f"missing; expected one of {', '.join(map(repr, SCHEMES))}")
    scheme = read.choice(data, "scheme", where, SCHEMES, "")
    extra = sorted(set(data) - {"scheme"} - _SCHEME_KEYS[scheme])
    if extra:
        raise read.error(join(where, extra[0]), f"scheme = \"{scheme}\" does not take this key; it takes "
                                                f"{', '.join(sorted(_SCHEME_KEYS[scheme])) or 'no other key'}")
    for key in {"constant": ("value",), "uniform": ("low", "high"), "normal": ("std",)}.get(scheme, ()):
        if key not in data:
            raise read.error(join(where, key), f"missing; scheme = \"{scheme}\" needs {key} = …")
    numbers = {key: read.number(data[key], join(where, key)) for key in ("value", "low", "high", "mean", "std")
               if key in data}
    if scheme == "uniform" and not numbers["low"] < numbers["high"]:
        raise read.error(join(where, "high"), f"expected a number greater than low = {numbers['low']:g}, "
                                              f"got {numbers['high']:g}")
    if scheme == "normal" and not numbers["std"] > 0:
        raise read.error(join(where, "std"), f"expected a number greater than 0, got {numbers['std']:g}")
    return Scheme(scheme, where, read.choice(data, "distribution", where, DISTRIBUTIONS, "normal"),
                  read.integer(data, "seed", where, 0, minimum=0, maximum=2**32 - 1), **numbers)


@dataclass
class NetworkStream:
    """[network]'s initialization and its one generator, which the layers without their own
    weights or initialization continue in layer order."""

    scheme: Scheme | None
    generator: random.Random | None = None


def read_weights(read: FieldReader, layer_data: dict, where: str, units: int, fan_in: int,
                 network: NetworkStream) -> Initialization | None:
    """The layer's initialization, or None when its weights are given. Precedence: the layer's
    `weights`, its `initialization`, [network]'s `initialization`, [network]'s `weights`."""
    if "initialization" in layer_data and "weights" in layer_data:
        raise read.error(f"{where}.initialization", "a layer takes weights or an initialization, not both")
    if "weights" in layer_data:
        return None
    if "initialization" in layer_data:
        scheme = read_scheme(read, layer_data["initialization"], f"{where}.initialization")
        return Initialization(scheme, fan_in, units, draw(scheme, random.Random(scheme.seed), units, fan_in))
    if network.scheme is None:
        return None
    if network.generator is None:
        network.generator = random.Random(network.scheme.seed)
        shared = False
    else:
        shared = True
    return Initialization(network.scheme, fan_in, units, draw(network.scheme, network.generator, units, fan_in),
                          shared and network.scheme.random)


def record_draws(scope: Scope, l: int, initialization: Initialization) -> Tracked | None:
    """Layer `l`'s draws, ε or u, as a given step (no one draws random numbers by hand); None
    for zeros and a constant. Every layer's draws are recorded before any layer is worked."""
    if initialization.scheme.scheme in ("zeros", "constant"):
        return None
    normal = initialization.scheme.draws_normal
    return scope.record(f"draws{l}", "given", "draws", scope.notation.layered(r"\varepsilon" if normal else "u", l),
                        initialization.draws)


def record_initialization(scope: Scope, l: int, initialization: Initialization, draws: Tracked | None) -> Tracked:
    """The steps that make layer `l`'s weights from its recorded `draws`: Var(w) and the scale for
    a variance scheme, and W; returns W (its recorded value, so that an override of it is followed)."""
    n, s = scope.notation, initialization.scheme
    W_symbol = n.layered(n.weight, l)
    constants = {N_IN: Constant(r"n_{\mathrm{in}}", np.array(float(initialization.fan_in))),
                 N_OUT: Constant(r"n_{\mathrm{out}}", np.array(float(initialization.fan_out)))}
    if s.scheme in ("zeros", "constant"):
        formula = Formula((Constant("c", np.array(s.value)),)) if s.scheme == "constant" else None
        return scope.record(f"W{l}", "initialization", "initial weights", W_symbol, initialization.weights, formula)
    normal = s.draws_normal
    scale = None
    if s.scheme in VARIANCES:
        expression = VARIANCES[s.scheme]
        used = expression.free_symbols
        variance = scope.record(f"var{l}", "initialization", "initial variance",
                                rf"\operatorname{{Var}}\left({W_symbol}\right)", initialization.variance,
                                Formula((Expression(expression, elementwise=False,
                                                    constants=tuple((c, constants[c]) for c in (N_IN, N_OUT)
                                                                    if c in used)),)))
        factor = 1 if s.distribution == "normal" else 3
        root = sp.sqrt(factor * VAR)
        # σ_w and ℓ_w: σ alone is the sigmoid's name and a an activation in some notations
        name, symbol = ("std", n.layered(r"\sigma_{w}", l)) if factor == 1 else ("limit", n.layered(r"\ell_{w}", l))
        scale = scope.record(f"{name}{l}", "initialization", "initial scale", symbol,
                             math.sqrt(factor * initialization.variance),
                             Formula((Expression(root, ((VAR, Ref(variance.id)),), elementwise=False),)))
    weights = _weights_formula(s, scale, draws, normal)
    return scope.record(f"W{l}", "initialization", "initial weights", W_symbol, initialization.weights, weights)


def _weights_formula(s: Scheme, scale: Tracked | None, draws: Tracked, normal: bool) -> Formula:
    """W from the draws: σ ε or a (2u − 1) for a variance scheme, μ + σ ε, or low + (high − low) u."""
    if scale is not None:
        return Formula((Ref(scale.id), " ", Ref(draws.id)) if normal else
                       (Ref(scale.id), r" \left(2 ", Ref(draws.id), r" - 1\right)"))
    if normal:
        return Formula((Constant(r"\mu_{w}", np.array(s.mean)), " + ", Constant(r"\sigma_{w}", np.array(s.std)), " ",
                        Ref(draws.id)))
    low, high = Constant(r"\mathrm{low}", np.array(s.low)), Constant(r"\mathrm{high}", np.array(s.high))
    return Formula((low, r" + \left(", high, " - ", low, r"\right) ", Ref(draws.id)))


def initialization_fact(index: int, initialization: Initialization) -> str:
    """How layer `index`'s weights are made, for the sheet (math between $…$)."""
    s = initialization.scheme
    if s.scheme == "zeros":
        return f"Layer {index}'s weights start at 0."
    if s.scheme == "constant":
        return f"Layer {index}'s weights all start at the constant $c$."
    source = ("continuing the stream of the layer before" if initialization.shared
              else f"Python's random.Random({s.seed})")
    if s.draws_normal:
        draws = (r"$\varepsilon \sim \mathcal{N}(0, 1)$, each from two draws $u_1, u_2$ of "
                 rf"{source} by Box–Muller, $\sqrt{{-2 \ln(1 - u_1)}} \cos(2 \pi u_2)$")
    else:
        draws = rf"$u$ uniform in $[0, 1)$, drawn from {source}"
    drawn = "row by row"
    if s.scheme in VARIANCES:
        name = {"xavier": "Xavier", "glorot": "Glorot", "he": "He", "tanh": "seed 004's tanh form"}[s.scheme]
        variance = sp.latex(VARIANCES[s.scheme].subs({N_IN: sp.Symbol(r"n_{\mathrm{in}}"),
                                                        N_OUT: sp.Symbol(r"n_{\mathrm{out}}")}))
        if s.draws_normal:
            shape = r"normal: $w = \sigma_w \varepsilon$ with $\sigma_w = \sqrt{\operatorname{Var}(w)}$"
        else:
            shape = (r"uniform on $[-\ell_w, \ell_w)$: $w = \ell_w (2u - 1)$ with "
                     r"$\ell_w = \sqrt{3 \operatorname{Var}(w)}$, so that the variance is $\operatorname{Var}(w)$")
        return (rf"Layer {index}'s weights are drawn by {name}'s scheme, $\operatorname{{Var}}(w) = {variance}$ "
                rf"($n_{{\mathrm{{in}}}}$ inputs, $n_{{\mathrm{{out}}}}$ units), {shape}; {draws}, {drawn}.")
    if s.draws_normal:
        return rf"Layer {index}'s weights are drawn normal: $w = \mu_w + \sigma_w \varepsilon$; {draws}, {drawn}."
    return (rf"Layer {index}'s weights are drawn uniform on $[\mathrm{{low}}, \mathrm{{high}})$: "
            rf"$w = \mathrm{{low}} + (\mathrm{{high}} - \mathrm{{low}})\,u$; {draws}, {drawn}.")
