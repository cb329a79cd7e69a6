"""The optimisers of the course notes, transcribed into plain NumPy: the oracle of the optimizer tests.

Nothing here imports byhand. Every rule is written from the notes' pseudo-code, line by line:

- seed 002 (/work/shared/seeds/002_…, "STOCHASTIC GRADIENT DESCENT" … "ADAM"): SGD θ ← θ − εg;
  momentum v ← αv − εg, θ ← θ + v; Nesterov with g taken at θ + αv; AdaGrad a ← a + g⊙g,
  θ ← θ − ε/(√a + γ) ⊙ g (its worked column writes ε/√(a + γ): the "inside" placement); RMSProp
  a ← βa + (1 − β) g⊙g; Adam with and without bias correction, t ← t + 1 before the moments.
- seed 003 (§3.4.1–3.4.3): momentum as an average ∇C ← β∇C_prev + (1 − β)∇C, w ← w − α∇C;
  RMSProp with ε inside the root, w ← w − α/√(S + ε) ∇C.
- seed 004: the average with bias correction V/(1 − βᵗ); Adam's defaults β₁ 0.9, β₂ 0.999, ε 1e-8,
  bias corrected, ε outside; the learning-rate decays per epoch (epochs from 1).

The names of the hyperparameters and states are byhand's documented file format (the brief), so
that an oracle configuration can be written as an exercise's [optimizer] table.

`slip` makes the oracle commit one of the typical student mistakes, written here independently of
byhand (the checker tests compare byhand's diagnosis with these numbers).
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass

import numpy as np

# the state each rule keeps, by its name in an exercise's [state.w] table, and the prefix of its step id
STATE_PREFIX = {"velocity": "v", "square_sum": "s", "square_average": "s", "first_moment": "m", "second_moment": "s"}
STATES = {
    "sgd": (),
    "momentum": ("velocity",),
    "nesterov": ("velocity",),
    "adagrad": ("square_sum",),
    "rmsprop": ("square_average",),
    "adam": ("first_moment", "second_moment"),
}


@dataclass(frozen=True)
class Rule:
    """One optimiser with its hyperparameters (byhand's key names; None: byhand's documented default)."""

    name: str
    learning_rate: float
    momentum: float | None = None
    form: str | None = None
    rho: float | None = None
    beta1: float | None = None
    beta2: float | None = None
    epsilon: float | None = None
    epsilon_placement: str | None = None
    bias_correction: bool | None = None

    def table(self) -> dict:
        """The [optimizer] table of an exercise file: only the keys that are set."""
        return {key: value for key, value in asdict(self).items() if value is not None}

    # the documented defaults
    @property
    def mu(self) -> float:
        return 0.9 if self.momentum is None else self.momentum

    @property
    def average(self) -> bool:
        return self.form == "average"

    @property
    def r(self) -> float:
        return 0.9 if self.rho is None else self.rho

    @property
    def b1(self) -> float:
        return 0.9 if self.beta1 is None else self.beta1

    @property
    def b2(self) -> float:
        return 0.999 if self.beta2 is None else self.beta2

    @property
    def eps(self) -> float:
        return 1e-8 if self.epsilon is None else self.epsilon

    @property
    def inside(self) -> bool:
        return self.epsilon_placement == "inside"

    @property
    def corrects(self) -> bool:
        """Bias correction: on by default for Adam (seed 004), off for momentum."""
        if self.bias_correction is not None:
            return self.bias_correction
        return self.name == "adam"

    @property
    def states(self) -> tuple[str, ...]:
        return STATES[self.name]

    @property
    def counts(self) -> bool:
        """Whether the iteration counter t is shown (only rules with bias correction use it)."""
        return self.corrects and (self.name == "adam" or (self.name == "momentum" and self.average))


@dataclass
class Slips:
    """A student's mistakes, switched on one at a time."""

    no_bias_correction: bool = False
    epsilon_other_side: bool = False
    no_one_minus: bool = False
    swapped: bool = False
    reset: bool = False
    not_squared: bool = False


NO_SLIPS = Slips()


def zero_state(rule: Rule, shape) -> dict[str, np.ndarray]:
    return {name: np.zeros(shape) for name in rule.states}


def look_ahead(rule: Rule, theta: np.ndarray, state: dict, t: int = 1, slips: Slips = NO_SLIPS) -> np.ndarray:
    """Nesterov (seed 002): the gradient is computed at θ + αv. A student who does not carry v
    over (slips.reset, after the first iteration) looks ahead from v = 0, that is from θ."""
    if slips.reset and t > 1:
        return np.asarray(theta, dtype=float) + 0.0
    return theta + rule.mu * state["velocity"]


def update(rule: Rule, theta, g, state: dict, t: int, eta: float | None = None, slips: Slips = NO_SLIPS):
    """One update of one parameter at iteration t (from 1). Returns (θ_new, new state, shown):
    `shown` maps each step-id prefix (v, s, m, vhat, mhat, shat) to its value."""
    eta = rule.learning_rate if eta is None else eta
    theta = np.asarray(theta, dtype=float)
    g = np.asarray(g, dtype=float)
    state = {k: np.asarray(v, dtype=float) for k, v in state.items()}
    if slips.reset and t > 1:
        state = {k: np.zeros_like(v) for k, v in state.items()}

    def moving(decay, old, new):
        """seed 003/004: avg ← β·avg + (1 − β)·new."""
        if slips.no_one_minus:
            return decay * old + new
        if slips.swapped:
            return (1 - decay) * old + decay * new
        return decay * old + (1 - decay) * new

    def square(g):
        return g if slips.not_squared else g * g

    def scaled(numerator, s):
        """ε outside: η·x/(√s + ε) (seeds 002, 004); inside: η·x/√(s + ε) (seed 003)."""
        inside = rule.inside != slips.epsilon_other_side
        with np.errstate(invalid="ignore"):  # a student's unsquared g can make s negative
            root = np.sqrt(s + rule.eps) if inside else np.sqrt(s) + rule.eps
        return eta * numerator / root

    shown: dict[str, np.ndarray] = {}
    new_state: dict[str, np.ndarray] = {}
    corrects = rule.corrects and not slips.no_bias_correction
    if rule.name == "sgd":
        new = theta - eta * g
    elif rule.name in ("momentum", "nesterov") and not rule.average:
        v = rule.mu * state["velocity"] - eta * g  # v ← αv − εg
        new = theta + v  # θ ← θ + v
        shown["v"] = new_state["velocity"] = v
    elif rule.name == "momentum":  # the average form
        v = moving(rule.mu, state["velocity"], g)
        shown["v"] = new_state["velocity"] = v
        if rule.corrects:
            vhat = v if slips.no_bias_correction else v / (1 - rule.mu**t)
            shown["vhat"] = vhat
            new = theta - eta * vhat
        else:
            new = theta - eta * v
    elif rule.name == "adagrad":
        s = state["square_sum"] + square(g)  # a ← a + g⊙g
        shown["s"] = new_state["square_sum"] = s
        new = theta - scaled(g, s)
    elif rule.name == "rmsprop":
        s = moving(rule.r, state["square_average"], square(g))
        shown["s"] = new_state["square_average"] = s
        new = theta - scaled(g, s)
    elif rule.name == "adam":
        m = moving(rule.b1, state["first_moment"], g)
        s = moving(rule.b2, state["second_moment"], square(g))
        shown["m"] = new_state["first_moment"] = m
        shown["s"] = new_state["second_moment"] = s
        if rule.corrects:
            mhat = m if not corrects else m / (1 - rule.b1**t)
            shat = s if not corrects else s / (1 - rule.b2**t)
            shown["mhat"], shown["shat"] = mhat, shat
            new = theta - scaled(mhat, shat)
        else:
            new = theta - scaled(m, s)
    else:
        raise ValueError(rule.name)
    return new, new_state, shown


# ---------------------------------------------------------------------------------------------
# learning-rate schedules (seed 004) and clipping by norm (seed 002)

def scheduled_rate(eta0: float, schedule: dict | None, epoch: int) -> float:
    """η of epoch e = 1, 2, …: α₀/(1 + decay·e), 0.95ᵉ·α₀ (any base), k/√e·α₀."""
    schedule = schedule or {"name": "constant"}
    name = schedule["name"]
    if name == "constant":
        return eta0
    if name == "inverse":
        return eta0 / (1 + schedule.get("decay", 1.0) * epoch)
    if name == "exponential":
        return schedule.get("base", 0.95) ** epoch * eta0
    if name == "inverse_sqrt":
        return schedule.get("k", 1.0) / np.sqrt(epoch) * eta0
    raise ValueError(name)


def clip_by_norm(gradients: list[np.ndarray], threshold: float, scope: str):
    """Seed 002: if ‖g‖ ≥ c then g ← c·g/‖g‖. Returns (clipped gradients, norms)."""
    if scope == "global":
        total = float(np.sqrt(sum(float(np.sum(g * g)) for g in gradients)))
        norms = [total] * len(gradients)
    else:
        norms = [float(np.sqrt(np.sum(g * g))) for g in gradients]
    clipped = [threshold * g / n if n >= threshold else g for g, n in zip(gradients, norms)]
    return clipped, norms


def fisher_yates_orders(n: int, epochs: int, seed: int, shuffle: bool) -> list[list[int]]:
    """Each epoch's order of the samples (0-based): for i from n−1 down to 1, j = ⌊r·(i + 1)⌋ with
    r from ONE random.Random(seed) used across all epochs, then swap order[i], order[j]."""
    r = random.Random(seed)
    orders = []
    for _ in range(epochs):
        order = list(range(n))
        if shuffle:
            for i in range(n - 1, 0, -1):
                j = int(r.random() * (i + 1))
                order[i], order[j] = order[j], order[i]
        orders.append(order)
    return orders


def run(rule: Rule, parameters: dict, steps: int, *, gradient_of, objective=None, state=None, t0=0,
        part="a", clipping=None, grouped=None, slips: Slips = NO_SLIPS) -> tuple[dict, dict, dict, int]:
    """The expected steps {id: value} of one part of an optimizer exercise, with the ids the brief
    documents, and where the part ends (values, states, t). `gradient_of(values)` gives every
    parameter's gradient at `values` (a dict of arrays); `objective(values)` the summed objective;
    `slips` makes every update commit those mistakes."""
    values = {k: np.asarray(v, dtype=float) for k, v in parameters.items()}
    states = {k: {s: np.asarray(x, dtype=float) for s, x in (state or {}).get(k, {}).items()} for k in values}
    for k in values:
        for s in rule.states:
            states[k].setdefault(s, np.zeros_like(values[k]))
    expected: dict[str, np.ndarray] = {}
    grouped = steps > 1 if grouped is None else grouped
    t = t0
    for k in range(1, steps + 1):
        t += 1
        prefix = f"{part}.t{k}." if grouped else f"{part}."
        for name, value in values.items():
            expected[prefix + name] = value
            if k == 1:
                for s in rule.states:
                    expected[f"{prefix}{STATE_PREFIX[s]}0_{name}"] = states[name][s]
        if rule.counts:
            expected[prefix + "iteration"] = np.array(t)
        at = values
        if rule.name == "nesterov":
            at = {name: look_ahead(rule, values[name], states[name], t, slips) for name in values}
            for name in values:
                expected[f"{prefix}{name}_ahead"] = at[name]
        if objective is not None:
            expected[prefix + "f"] = np.array(objective(values))
        g = gradient_of(at)
        for name in values:
            expected[f"{prefix}d{name}"] = g[name]
        if clipping is not None:
            names = list(values)
            clipped, norms = clip_by_norm([g[n] for n in names], clipping["threshold"], clipping.get("scope", "parameter"))
            if clipping.get("scope", "parameter") == "global":
                expected[prefix + "norm"] = np.array(norms[0])
            for n, c, norm in zip(names, clipped, norms):
                if clipping.get("scope", "parameter") != "global":
                    expected[f"{prefix}norm_d{n}"] = np.array(norm)
                expected[f"{prefix}d{n}_clipped"] = c
            g = dict(zip(names, clipped))
        new_values = {}
        for name in values:
            new, states[name], shown = update(rule, values[name], g[name], states[name], t, slips=slips)
            for key, value in shown.items():
                expected[f"{prefix}{key}_{name}"] = value
            expected[f"{prefix}{name}_new"] = new
            new_values[name] = new
        values = new_values
    return expected, values, states, t


def eight_figures(value) -> object:
    """A value as a student writes it to 8 significant figures (strings, nested like the value)."""
    value = np.asarray(value, dtype=float)
    if value.ndim == 0:
        return f"{float(value):.8g}"
    if value.ndim == 2 and value.shape[1] == 1:
        return [f"{float(x):.8g}" for x in value[:, 0]]
    return [[f"{float(x):.8g}" for x in row] for row in value]


def differs_at_eight_figures(a, b) -> bool:
    """Whether two values written to 8 significant figures differ somewhere."""
    return eight_figures(a) != eight_figures(b)


__all__ = ["Rule", "Slips", "update", "look_ahead", "zero_state", "scheduled_rate", "clip_by_norm",
           "fisher_yates_orders", "run", "eight_figures", "differs_at_eight_figures", "STATE_PREFIX"]
