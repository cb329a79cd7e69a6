"""Where a kind's engine records its steps: a part, and a group (an iteration, a sample, a query)
within it. Every kind records through a Scope, so step ids read the same everywhere:
``<part>.<quantity>`` or ``<part>.<group>.<quantity>``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from solver.engine.slips import Slip
from solver.engine.steps import Recorder


@dataclass(frozen=True)
class Tracked:
    """A value together with the id of the step that recorded it."""

    id: str
    value: np.ndarray


@dataclass(frozen=True)
class Scope:
    """The recorder, the part being worked (any kind's part: it has a name and conventions), the
    group within it ("" for none), and the one slip the engine is asked to make, if any."""

    recorder: Recorder
    part: Any
    group: str = ""
    slip: Slip | None = None

    @property
    def notation(self):
        return self.part.conventions.notation

    def within(self, group: str) -> Scope:
        """The same part, recording into `group`."""
        return replace(self, group=group)

    def id_of(self, quantity: str) -> str:
        """The step id `quantity` gets here: ``a.E``, ``a.t3.E``."""
        return f"{self.part.name}.{self.group}.{quantity}" if self.group else f"{self.part.name}.{quantity}"

    def exact(self, *tracked: Tracked) -> list[np.ndarray] | None:
        """The exact values (solver/exact.py) of steps recorded already, or None unless fractions
        are worked out and every one of them has its fractions: for an engine that computes a
        step's fractions with the same arithmetic as its floats."""
        found = [self.recorder.exact(t.id) for t in tracked]
        return None if any(f is None for f in found) else found

    def record(self, quantity: str, section: str, kind: str, symbol: str, value, formula=None, *,
               exact=None) -> Tracked:
        """Record a step (its `exact` value as fractions, if any: see solver/exact.py), rounded as
        the part's conventions ask (solver/rounding.py); the value returned is what later steps use."""
        id = self.id_of(quantity)
        stored = self.recorder.record(id, part=self.part.name, group=self.group, section=section, kind=kind,
                                      symbol=symbol, value=value, formula=formula, exact=exact,
                                      rounding=getattr(self.part.conventions, "rounding", None))
        return Tracked(id, stored)
