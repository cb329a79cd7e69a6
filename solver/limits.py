"""How big an exercise may be: checked by every kind's reader and by the step recorder."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """How big an exercise may be before byhand refuses it: a hand calculation is small, and a
    student's file must not be able to exhaust the memory or time of whoever runs it."""

    parameters: int = 10**6
    steps: int = 10**4
