"""How parameters are trained, as any kind that trains reads it: the optimiser, the learning-rate
schedule and gradient clipping. Each is a frozen record read from its own table of an exercise
file (`optimizer`, `schedule`, `clipping`), with the defaults of README "Optimisers".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from solver.fields import FieldReader, join
from solver.symbolic.optimizers import OPTIMIZERS, SCHEDULES, Rule, update_rule

OPTIMIZER_KEYS = {"name", "learning_rate", "momentum", "form", "rho", "beta1", "beta2", "epsilon",
                  "epsilon_placement", "bias_correction"}
MOMENTUM_FORMS = ("velocity", "average")
EPSILON_PLACEMENTS = ("outside", "inside")
SCHEDULE_KEYS = {"name", "decay", "base", "k"}
CLIPPING_KEYS = {"threshold", "scope"}
CLIPPING_SCOPES = ("parameter", "global")


@dataclass(frozen=True)
class Optimizer:
    """An update rule and its hyperparameters. `learning_rate` is η₀ (None: the part's own
    learning_rate, for kinds that have one). Defaults: seed 004's Adam (0.9, 0.999, 1e-8, bias
    correction on), momentum in seed 002's velocity form, ε outside the root (seeds 002, 004)."""

    name: str = "sgd"
    learning_rate: float | None = None
    momentum: float = 0.9
    form: str = "velocity"
    rho: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8
    epsilon_placement: str = "outside"
    bias_correction: bool | None = None  # None: on for adam, off for momentum

    @property
    def corrects_bias(self) -> bool:
        return self.name == "adam" if self.bias_correction is None else self.bias_correction

    def rule(self, slip=None) -> Rule:
        """The update rule as SymPy assignments, with the slip a checker asks for."""
        return update_rule(self.name, self.form, self.corrects_bias, self.epsilon_placement == "inside", slip)

    def hyperparameters(self) -> dict[str, float]:
        """μ, ρ, β₁, β₂, ε by their names in solver.symbolic.optimizers."""
        return {"mu": self.momentum, "rho": self.rho, "beta_1": self.beta1, "beta_2": self.beta2,
                "epsilon": self.epsilon}


@dataclass(frozen=True)
class Schedule:
    """The learning rate of epoch e = 1, 2, …: constant η₀, or seed 004's decays η₀/(1 + decay·e),
    η₀·base^e and η₀·k/√e."""

    name: str = "constant"
    decay: float = 1.0
    base: float = 0.95
    k: float = 1.0


@dataclass(frozen=True)
class Clipping:
    """Gradient clipping by norm (seed 002): when ‖g‖ ≥ threshold, g ← threshold · g/‖g‖; the norm
    is each parameter's own ("parameter") or that of all of them together ("global")."""

    threshold: float
    scope: str = "parameter"


def read_optimizer(read: FieldReader, data: Any, where: str, inherited: Optimizer = Optimizer()) -> Optimizer:
    """An optimizer table; keys it does not name keep the `inherited` values."""
    read.table(data, where, OPTIMIZER_KEYS)
    name = read.choice(data, "name", where, OPTIMIZERS, inherited.name)
    rate = inherited.learning_rate
    if "learning_rate" in data:
        rate = _positive(read, data, "learning_rate", where)
    form = read.choice(data, "form", where, MOMENTUM_FORMS, inherited.form)
    if name == "nesterov" and form != "velocity":
        raise read.error(join(where, "form"), "Nesterov momentum is written in the velocity form (seed 002); "
                                              "expected 'velocity'")
    bias_correction = inherited.bias_correction
    if "bias_correction" in data:
        bias_correction = read.boolean(data, "bias_correction", where, False)
    return Optimizer(
        name=name,
        learning_rate=rate,
        momentum=_fraction(read, data, "momentum", where, inherited.momentum),
        form=form,
        rho=_fraction(read, data, "rho", where, inherited.rho),
        beta1=_fraction(read, data, "beta1", where, inherited.beta1),
        beta2=_fraction(read, data, "beta2", where, inherited.beta2),
        epsilon=_positive(read, data, "epsilon", where, inherited.epsilon),
        epsilon_placement=read.choice(data, "epsilon_placement", where, EPSILON_PLACEMENTS,
                                      inherited.epsilon_placement),
        bias_correction=bias_correction,
    )


def read_schedule(read: FieldReader, data: Any, where: str) -> Schedule:
    read.table(data, where, SCHEDULE_KEYS)
    return Schedule(
        name=read.choice(data, "name", where, tuple(SCHEDULES), "constant"),
        decay=_non_negative(read, data, "decay", where, Schedule.decay),
        base=_positive(read, data, "base", where, Schedule.base),
        k=_positive(read, data, "k", where, Schedule.k),
    )


def read_clipping(read: FieldReader, data: Any, where: str) -> Clipping:
    read.table(data, where, CLIPPING_KEYS)
    if "threshold" not in data:
        raise read.error(join(where, "threshold"), "missing; expected the largest gradient norm c, such as 1.0")
    return Clipping(_positive(read, data, "threshold", where),
                    read.choice(data, "scope", where, CLIPPING_SCOPES, "parameter"))


def _number(read: FieldReader, data: dict, key: str, where: str, default: float | None) -> float:
    return read.number(data.get(key, default), join(where, key))


def _positive(read: FieldReader, data: dict, key: str, where: str, default: float | None = None) -> float:
    value = _number(read, data, key, where, default)
    if not value > 0:
        raise read.error(join(where, key), f"expected a number above 0, got {value:g}")
    return value


def _non_negative(read: FieldReader, data: dict, key: str, where: str, default: float) -> float:
    value = _number(read, data, key, where, default)
    if value < 0:
        raise read.error(join(where, key), f"expected a number of at least 0, got {value:g}")
    return value


def _fraction(read: FieldReader, data: dict, key: str, where: str, default: float) -> float:
    """A decay rate: at least 0 and below 1."""
    value = _number(read, data, key, where, default)
    if not 0 <= value < 1:
        raise read.error(join(where, key), f"expected a number from 0 up to (not including) 1, got {value:g}")
    return value
