"""Steps: the unit of everything. A solution is an ordered tuple of immutable steps.

A step's formula is a sequence of tokens (solver/formula.py): LaTeX operators as text, another
step (`Ref`), a constant such as η (`Constant`) or a SymPy expression whose symbols stand for steps
(`Expression`).

Step ids: ``<part>.<quantity>`` such as ``a.z1``, ``a.delta2``, ``a.dW1``, ``a.W1_new``, with an
iteration in between for stochastic parts with several samples (``a.s2.z1``) and for queries
(``b.q1.x2``, ``b.q1.class``). See README "Step ids".
"""

from __future__ import annotations

import difflib
from builtins import id as builtins_id
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from solver.arrays import read_only
from solver.exact import agrees, as_written, floats, fractions_of, readable, substituted
from solver.formula import Expression, Formula
from solver.errors import LimitError, NumericError, SolverError
from solver.limits import Limits
from solver.rounding import Rounding
from solver.text import quoted


@dataclass(frozen=True)
class Step:
    """One recorded quantity. `group` is "" or the iteration (``s2``, ``q1``) it belongs to;
    `section` is where it stands in the calculation (given, forward, loss, backward, ...)."""

    id: str
    part: str
    group: str
    section: str
    kind: str
    symbol: str
    formula: Formula | None
    inputs: tuple[str, ...]
    value: np.ndarray
    exact: np.ndarray | None = None
    """The value as fractions.Fraction (an object array of the value's shape) where the engine
    computed it exactly (solver/exact.py); a sheet prints these, comparisons use `value`."""


def _not_finite(value: np.ndarray) -> str:
    """What a value that is not finite means. NaN is checked first: an ∞ − ∞ inside the step leaves one."""
    if np.any(np.isnan(value)):
        return ("the value is not defined (NaN): the step divides by 0, takes the logarithm or square root of a "
                "negative number, or works out 0/0, 0 · ∞ or ∞ − ∞")
    return ("the value is infinite: it overflows float64 (the numbers of this exercise are too large to work by "
            "hand), or the step divides by 0 or takes log 0")


class Recorder:
    """Collects steps in order while the engine runs.

    `overrides` maps step ids to values used instead of the computed ones, so that a checker can
    run the engine on a student's own intermediate results.
    """

    def __init__(self, overrides: Mapping[str, np.ndarray] | None = None, *, source: str = "",
                 require_finite: bool = True, limits: Limits = Limits(), fractions: bool = False):
        self.source = source
        self.fractions = fractions
        """Work out exact fractions where it is safe (number_format = "fraction"): see `_derived`."""
        self.limits = limits
        self._values = 0
        self.require_finite = require_finite
        self._steps: dict[str, Step] = {}
        self._overrides = dict(overrides or {})
        self._recomputed: dict[str, np.ndarray] = {}
        self._exact_values: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        """The fractions of each value returned so far, by the identity of the array returned."""

    def record(self, id: str, *, part: str, group: str, section: str, kind: str, symbol: str,
               value=None, formula: Formula | None = None, exact: np.ndarray | None = None,
               rounding: Rounding | None = None) -> np.ndarray:
        """Store the step and return the value later steps must use. `exact`, when given, is the
        value as fractions (solver/exact.py); `value` may then be left out (it is their floats).
        An overridden step keeps no exact value: the override is a float. With `rounding` (the
        part's textbook rounding, solver/rounding.py) a computed float value of a kind it names is
        stored, and used later, rounded; a given value never is."""
        if id in self._steps:
            raise ValueError(f"step id recorded twice: {id}")
        if len(self._steps) >= self.limits.steps:
            raise LimitError(f"the solution needs more than {self.limits.steps:,} steps; raise the limit with "
                             "--max-steps", file=self.source, key=id)
        if exact is not None:
            exact = fractions_of(exact)
            value = floats(exact) if value is None else value
        computed = read_only(value)
        if exact is not None and exact.shape != computed.shape:
            raise ValueError(f"step {id}: exact value of shape {exact.shape} for a value of shape {computed.shape}")
        exact = self._checked(exact, value, section, formula, computed)
        if rounding and section != "given" and np.issubdtype(computed.dtype, np.floating):
            rounded = rounding.apply(kind, computed)
            if rounded is not None:
                exact = exact if exact is not None and np.array_equal(rounded, computed) else None
                computed = read_only(rounded)
        self._values += computed.size
        if self._values > self.limits.values:
            raise LimitError(f"the solution writes more than {self.limits.values:,} numbers; raise the limit with "
                             "--max-values", file=self.source, key=id)
        if self.require_finite and not np.all(np.isfinite(computed)):
            raise NumericError(_not_finite(computed), file=self.source, key=id)
        if id in self._overrides:
            self._recomputed[id] = computed
            computed = read_only(np.broadcast_to(self._overrides[id], computed.shape))
            exact = None
        inputs = tuple(dict.fromkeys(ref.step_id for ref in formula.refs)) if formula else ()
        self._steps[id] = Step(id, part, group, section, kind, symbol, formula, inputs, computed, exact)
        if exact is not None:
            self._exact_values[builtins_id(computed)] = (computed, exact)
        return computed

    def _checked(self, exact: np.ndarray | None, value, section: str, formula: Formula | None,
                 computed: np.ndarray) -> np.ndarray | None:
        """The step's fractions: those given, else (with `fractions`) those carried or derived;
        kept only when they are the float value (a slip or a kink's chosen f′ makes them differ:
        the float is the truth) and, when worked out here, short enough to read."""
        if self.fractions and exact is None:
            exact = self._carried(value) if formula is None else None
            exact = self._derived(section, formula, computed) if exact is None else exact
        if exact is None or (self.fractions and not readable(exact)) or not agrees(exact, computed):
            return None
        return exact

    def _carried(self, value) -> np.ndarray | None:
        """The fractions of `value` when it is the very array an earlier step returned: a part's
        starting weights are the previous update's (recorded again as given)."""
        found = self._exact_values.get(builtins_id(value))
        return found[1] if found is not None and found[0] is value else None

    def _derived(self, section: str, formula: Formula | None, computed: np.ndarray) -> np.ndarray | None:
        """The exact value of a step, where it follows safely: a given value written as a short
        decimal; a formula that is one SymPy expression of steps with exact values (and constants
        written as short decimals) whose every entry comes out rational. Anything else: None."""
        if formula is None:
            return as_written(computed) if section == "given" else None
        if len(formula.tokens) != 1 or not isinstance(formula.tokens[0], Expression):
            return None
        token = formula.tokens[0]
        values: dict = {}
        for symbol, ref in token.symbols:
            step = self._steps.get(ref.step_id)
            if ref.transpose or step is None or step.exact is None:
                return None
            values[symbol] = step.exact
        for symbol, constant in token.constants:
            values[symbol] = as_written(constant.value)
            if values[symbol] is None:
                return None
        return substituted(token.expr, values, computed.shape)

    def exact(self, id: str) -> np.ndarray | None:
        """The exact value of a step recorded already, when fractions are worked out and it has one."""
        step = self._steps.get(id)
        return step.exact if self.fractions and step is not None else None

    def step(self, id: str) -> Step:
        """A step recorded already."""
        return self._steps[id]

    def steps(self) -> tuple[Step, ...]:
        return tuple(self._steps.values())

    def recomputed(self) -> dict[str, np.ndarray]:
        """For each overridden step, the value it had before the override: what follows from
        the (possibly overridden) values of its inputs."""
        return dict(self._recomputed)


@dataclass(frozen=True)
class Solution:
    """The worked solution of one exercise: its steps in the order a person computes them."""

    exercise: object
    steps: tuple[Step, ...]
    recomputed: Mapping[str, np.ndarray] = field(default_factory=dict)

    @cached_property
    def _by_id(self) -> dict[str, Step]:
        return {step.id: step for step in self.steps}

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def step(self, id: str) -> Step:
        """The step called `id`; SolverError naming the closest ids when there is none."""
        if not isinstance(id, str):
            raise SolverError(f"a step id is a string such as {quoted(self.ids[0]) if self.ids else 'a.x1'}, "
                              f"got {id!r}"[:200])
        try:
            return self._by_id[id]
        except KeyError:
            close = difflib.get_close_matches(id, self.ids, n=3) or list(self.ids[:3])
            raise SolverError(f"no step with id {quoted(id)}; did you mean {', '.join(close)}?") from None

    def __getitem__(self, id: str) -> np.ndarray:
        return self.step(id).value

    def __contains__(self, id: object) -> bool:
        return id in self._by_id

    def render(self, format: str = "md", precision: int | None = None, *, full: bool = False) -> str | bytes:
        """The sheet: format "md", "tex", "html" or "json" as text, "pdf" as bytes; `full` writes
        every entry of a large matrix (solver.render.render)."""
        from solver.render import render

        return render(self, format, precision, full=full)

    def _repr_markdown_(self) -> str:
        return self.render("md")
