"""Judge a student's answers step by step: correct, follows through, wrong (with the likely slip),
or could not be checked.

Follow-through (solver/check/follow.py): the engine is run with the student's answers in place of
the true values. A step is correct when it is right, or right from the student's right answers
(anything between what they wrote and the truth); it follows through when it is what follows from
all their answers (each known to its digits) and a wrong answer before it, put right, would change
it, which is then named. Diagnosis: for a wrong step, the engine
is run with each typical slip its kind can make (slips.py), both from the true values and from
the student's own, and every slip that reproduces the written value is named, unless it is
made above the step and every way down from where it is made passes an answer judged correct.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from solver.check.answers import Answers, Entry, Number
from solver.check.follow import LINEAR, Band, Origins, answer_range, follow
from solver.check.tolerance import Tolerance, finest_unit
from solver.engine import solve
from solver.engine.slips import Slip
from solver.engine.steps import Solution
from solver.errors import SolverError
from solver.exercise import Exercise
from solver.rounding import rounds, without_rounding
from solver.text import counted, matrix_in_words, quoted
from solver.kinds import kind

CORRECT = "correct"
FOLLOWS_THROUGH = "follows through"
WRONG = "wrong"
NOT_CHECKED = "could not check"
UNROUNDED_NOTE = ("matches the unrounded value: the sheet rounds intermediate values as a textbook does, "
                  "and its rounded value differs in the last digits")


@dataclass(frozen=True)
class Verdict:
    """The judgement of one answered step. `expected` is the true value, and `exact` the same as
    fractions where the sheet writes it so; `followed` what follows from the student's own earlier
    answers (None when that is the true value)."""

    step_id: str
    symbol: str
    outcome: str
    entry: Entry
    expected: np.ndarray | None = None
    followed: np.ndarray | None = None
    follows_from: tuple[str, ...] = ()
    slips: tuple[Slip, ...] = ()
    reason: str | None = None
    exact: np.ndarray | None = None

    @property
    def numbers(self) -> list[Number]:
        """The written numbers in row-major order, matching `expected.flat`."""
        return self.entry.flat


@dataclass(frozen=True)
class Report:
    exercise: Exercise
    answers: Answers
    tolerance: Tolerance
    verdicts: tuple[Verdict, ...]

    @cached_property
    def counts(self) -> dict[str, int]:
        return {outcome: sum(v.outcome == outcome for v in self.verdicts)
                for outcome in (CORRECT, FOLLOWS_THROUGH, WRONG, NOT_CHECKED)}

    @property
    def exit_status(self) -> int:
        """0 when every answered step is correct or follows through, else 1; 1 too when nothing was
        answered, so that an autograder never passes a blank template."""
        answered = bool(self.verdicts)
        return 0 if answered and self.counts[WRONG] == 0 and self.counts[NOT_CHECKED] == 0 else 1

    def render(self, format: str = "text") -> str:
        """The report as "text", "md", "html" or "json"."""
        from solver.check.report import render_report

        return render_report(self, format)

    def _repr_markdown_(self) -> str:
        return self.render("md")


def check(exercise: Exercise, answers: Answers, tolerance: Tolerance = Tolerance()) -> Report:
    """Judge every entry of `answers` against the worked solution of `exercise`. When the
    exercise rounds intermediates like a textbook (solver/rounding.py) the rounded chain is the
    truth, and an answer that matches the unrounded value instead is correct too, with a note."""
    tolerance = tolerance.for_sheet(exercise.precision)
    truth = solve(exercise)
    unrounded = solve(without_rounding(exercise)) if rounds(exercise) else None
    verdicts: dict[str, Verdict] = {}
    usable: dict[str, tuple[Entry, np.ndarray]] = {}
    misshapen: dict[str, Entry] = {}  # answers of the wrong shape, which a slip may explain
    unknown = 0
    for entry in answers.entries:
        if entry.step_id in verdicts or entry.step_id in usable:
            verdicts[entry.step_id + " (again)"] = _not_checked(entry, "answered twice; the first answer is checked")
        elif entry.step_id not in truth:
            unknown += 1
            verdicts[entry.step_id] = _not_checked(entry, _unknown(truth, entry.step_id, unknown <= _SUGGESTED))
        elif entry.problem:
            verdicts[entry.step_id] = _not_checked(entry, entry.problem, truth)
        else:
            shaped = _shaped(entry, truth[entry.step_id].shape)
            if isinstance(shaped, str):
                verdicts[entry.step_id] = _not_checked(entry, shaped, truth)
                misshapen[entry.step_id] = entry
            else:
                usable[entry.step_id] = (entry, shaped)

    overrides = {step_id: value for step_id, (_, value) in usable.items()}
    right = [step_id for step_id, (entry, _) in usable.items() if _matches(entry, truth[step_id], tolerance)]
    ranges = {i: answer_range(entry, value, truth[i], i in right) for i, (entry, value) in usable.items()}
    followed = follow(exercise, overrides, ranges, usable)
    from_right = followed if len(right) == len(usable) else follow(
        exercise, {i: overrides[i] for i in right}, {i: ranges[i] for i in right}, usable)
    origins_of = Origins(exercise, overrides, truth, followed)
    judged: dict[str, Verdict] = {}
    whole = kind(exercise.kind).whole_numbers  # counts: a value worked from the student's must be whole too
    for step in truth.steps:  # sheet order, so earlier verdicts are known when a later step asks
        if step.id not in usable:
            continue
        entry, _ = usable[step.id]
        following = followed.value(step.id)
        if _matches(entry, step.value, tolerance) or _within(entry, from_right.band(step.id), tolerance, step.value):
            # right, or right from the student's own right (but rounded) earlier values
            judged[step.id] = Verdict(step.id, step.symbol, CORRECT, entry, step.value)
            continue
        earlier = {i: (i,) if v.outcome == WRONG else v.follows_from for i, v in judged.items()}
        origins, moved = origins_of.of(step.id, earlier)
        smooth = _within(entry, followed.band(step.id), tolerance)
        if (smooth or _matches(entry, following, tolerance)) and origins:
            judged[step.id] = Verdict(step.id, step.symbol, FOLLOWS_THROUGH, entry, step.value, following, origins)
            continue
        if smooth and moved:  # worked from the student's right (rounded) answers only, and smoothly
            judged[step.id] = Verdict(step.id, step.symbol, CORRECT, entry, step.value)
            continue
        if unrounded is not None and step.id in unrounded and _matches(entry, unrounded[step.id], tolerance):
            judged[step.id] = Verdict(step.id, step.symbol, CORRECT, entry, step.value, reason=UNROUNDED_NOTE)
            continue
        # a value that cannot be worked from the student's is not shown: a k-NN order naming no
        # points, a size of 26.5 where sizes are whole
        shown = origins and np.all(np.isfinite(following)) and (not whole or np.all(np.mod(following, 1) == 0))
        judged[step.id] = Verdict(step.id, step.symbol, WRONG, entry, step.value, following if shown else None, origins)

    wrong = [step_id for step_id, verdict in judged.items() if verdict.outcome == WRONG]
    for step_id, slips in _diagnose(exercise, truth, wrong, usable, overrides, tolerance).items():
        step_kind = truth.step(step_id).kind
        slips = tuple(slip for slip in slips if not _ruled_out(slip, step_id, truth, judged))
        slips = tuple(sorted(slips, key=lambda slip: step_kind not in slip.made_at))  # made here first
        judged[step_id] = replace(judged[step_id], slips=slips)
    for step_id, slips in _shape_slips(exercise, truth, misshapen, overrides, tolerance).items():
        verdicts[step_id] = Verdict(step_id, truth.step(step_id).symbol, WRONG, misshapen[step_id], truth[step_id],
                                    slips=slips)
    position = {step_id: index for index, step_id in enumerate(truth.ids)}  # unknown ids go last
    ordered = sorted([*judged.values(), *verdicts.values()], key=lambda v: position.get(v.step_id, len(position)))
    exact = [replace(v, exact=truth.step(v.step_id).exact) if v.step_id in truth else v for v in ordered]
    return Report(exercise, answers, tolerance, tuple(exact))


def _diagnose(exercise, truth: Solution, wrong: list[str], usable, overrides, tolerance
              ) -> dict[str, tuple[Slip, ...]]:
    """For each wrong step, the slips whose engine variant reproduces the written value: made
    everywhere from the true values; made everywhere from the student's own (`overrides`); and
    made at the wrong step alone, its inputs held at the student's values or else the true ones
    (a +1 forgotten in layer 3 only, when layers 1 and 2 were not asked)."""
    if not wrong:
        return {}
    found: dict[str, list[Slip]] = {step_id: [] for step_id in wrong}
    inputs = {input_id for step_id in wrong for input_id in truth.step(step_id).inputs}
    held = {**{input_id: truth[input_id] for input_id in inputs if input_id not in found}, **overrides}
    # held adds nothing when every input of a wrong step was answered: then it is `overrides` again
    substitutions = ({}, overrides, held) if held.keys() != overrides.keys() else ({}, overrides)
    for slip, variant in _slipped(exercise, substitutions):
        for step_id in wrong:
            if step_id not in variant:  # this slip leaves the step out (a bias not updated has no state)
                continue
            value = variant.recomputed.get(step_id, variant[step_id])
            if slip not in found[step_id] and _matches(usable[step_id][0], value, tolerance):
                found[step_id].append(slip)
    return {step_id: tuple(slips) for step_id, slips in found.items() if slips}


def _slipped(exercise, substitutions):
    """(slip, the exercise worked with it) for each slip of the exercise's kind and each set of
    substituted values, leaving out a slip that cannot happen here (W not square, …)."""
    for slip in kind(exercise.kind).slips(exercise):
        for substituted in substitutions:
            try:
                with np.errstate(all="ignore"):
                    variant = solve(exercise, overrides=substituted, slip=slip, require_finite=False)
            except (ValueError, SolverError):
                continue
            yield slip, variant


def _shape_slips(exercise, truth: Solution, misshapen: dict[str, Entry], overrides, tolerance
                 ) -> dict[str, tuple[Slip, ...]]:
    """For each answer of the wrong shape, the slips whose engine variant has that shape there and
    reproduces it: the column of ones left out of X makes XᵀX a 1×1 where 2×2 belongs, and a
    student who made that slip writes exactly that. Run only when some answer is misshapen."""
    found: dict[str, list[Slip]] = {step_id: [] for step_id in misshapen}
    if not misshapen:
        return {}
    for slip, variant in _slipped(exercise, ({}, overrides) if overrides else ({},)):
        for step_id, entry in misshapen.items():
            if step_id not in variant or slip in found[step_id]:
                continue
            value = variant.recomputed.get(step_id, variant[step_id])
            if np.shape(value) != truth[step_id].shape:
                written = _shaped(entry, np.shape(value))
                if not isinstance(written, str) and _matches(entry, value, tolerance):
                    found[step_id].append(slip)
    return {step_id: tuple(slips) for step_id, slips in found.items() if slips}


def _ruled_out(slip: Slip, step_id: str, truth: Solution, judged: dict[str, Verdict]) -> bool:
    """Whether the student's correct answers rule `slip` out as the cause of the wrong `step_id`.
    A slip made at this kind of step may be made here alone, whatever was right above. Otherwise
    it was made above and carried down, and it is ruled out when every way up to a step where it
    is made passes through an answer judged correct: a correct value carries no slip (k + 1
    neighbours give other votes, so right votes and a wrong class are not k + 1). With no
    correct answer in the way the slip is kept, so a made_at that misses a step costs nothing."""
    if truth.step(step_id).kind in slip.made_at:
        return False
    blocked = False
    seen: set[str] = set()
    stack = list(truth.step(step_id).inputs)
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        verdict = judged.get(current)
        if verdict is not None and verdict.outcome == CORRECT:
            blocked = True
        elif truth.step(current).kind in slip.made_at:
            return False
        else:
            stack.extend(truth.step(current).inputs)
    return blocked


def _within(entry: Entry, band: Band | None, tolerance: Tolerance, true: np.ndarray | None = None) -> bool:
    """Whether every written number lies in its step's band (solver/check/follow.py); with `true`, only
    a band that holds the true value (from right answers, the truth is one end of it)."""
    if band is None or (true is not None and np.any(np.abs(true - band[0]) > band[1] * (1 + LINEAR) + 1e-12)):
        return False
    return _matches(entry, band[0], tolerance, band[1])


def _matches(entry: Entry, value: np.ndarray, tolerance: Tolerance, spread: np.ndarray | None = None) -> bool:
    """Whether every written number is its value, known to ± `spread` (solver/check/follow.py)."""
    numbers = entry.flat
    finest = finest_unit(numbers)
    if not np.all(np.isfinite(value)):
        return False
    spreads = np.zeros(len(numbers)) if spread is None else np.ravel(spread)
    return all(tolerance.accepts(n, float(v), finest, float(s)) for n, v, s in zip(numbers, np.ravel(value), spreads))


def _shaped(entry: Entry, shape: tuple[int, ...]) -> np.ndarray | str:
    """The written values in the step's shape, or what is wrong with their shape."""
    written = entry.values
    size = int(np.prod(shape))
    column = len(shape) == 2 and shape[1] == 1
    if written.shape == shape or (written.size == size and (written.ndim == 0 or (written.ndim == 1 and column))):
        return written.reshape(shape)
    return f"expected {describe_shape(shape)}, got {describe_shape(written.shape)}"


def describe_shape(shape: tuple[int, ...]) -> str:
    if len(shape) == 0 or (len(shape) == 2 and shape == (1, 1)):
        return "a number"
    if len(shape) == 1:
        return f"a list of {counted(shape[0], 'number')}"
    rows, columns = shape[0], shape[1]
    if columns == 1:
        return f"a column of {counted(rows, 'number')}"
    return matrix_in_words(rows, columns)


def _not_checked(entry: Entry, reason: str, truth: Solution | None = None) -> Verdict:
    symbol = truth.step(entry.step_id).symbol if truth is not None and entry.step_id in truth else ""
    return Verdict(entry.step_id, symbol, NOT_CHECKED, entry, reason=reason)


_SUGGESTED = 20  # unknown ids that get the closest ids suggested: each costs a search of every id


def _unknown(truth: Solution, step_id: str, suggest: bool) -> str:
    if not suggest:
        return f"no step with id {quoted(step_id)}"
    try:
        truth.step(step_id[:200])
    except SolverError as error:
        return error.message
    return f"no step with id {quoted(step_id)}"


