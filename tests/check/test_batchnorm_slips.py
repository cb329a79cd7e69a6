"""The checker names a batch-norm slip when a student's number is what that slip gives, and the
template, the JSON export and the checker work for the kind with nothing of it in solver/check/.

The wrong numbers come from the plain-NumPy oracle (tests/kinds/batchnorm/plain_batchnorm.py) with
one slip switched on, written to 8 significant figures as a student would."""

from __future__ import annotations

import json
import tomllib

import numpy as np
import pytest

import solver
from solver.check import answers_template, check, parse_answers
from solver.engine.slips import Slip
from solver.exercise import parse_exercise
from tests.kinds.batchnorm.plain_batchnorm import Slips, as_byhand, batchnorm
from tests.kinds.optimizer.pseudocode import differs_at_eight_figures, eight_figures

X = [[1.0, 4.0], [2.0, 0.0], [6.0, 2.0], [3.0, 3.0]]
DY = [[0.5, -1.0], [-0.2, 0.3], [0.1, 0.4], [0.7, -0.1]]
GAMMA, BETA, EPS = [2.0, 0.5], [0.0, 1.0], 0.05
EXERCISE = parse_exercise({"kind": "batchnorm", "samples": X, "upstream": DY, "gamma": GAMMA, "beta": BETA,
                           "epsilon": EPS}, "slips.toml")


def oracle(slips: Slips = Slips()) -> dict[str, np.ndarray]:
    return {f"a.{name}": value for name, value in as_byhand(batchnorm(X, GAMMA, BETA, EPS, DY, slips)).items()
            if name != "dy"}


def verdict_of(report, step_id):
    (verdict,) = [v for v in report.verdicts if v.step_id == step_id]
    return verdict


CASES = [
    ("mean_path_omitted", Slip.MEAN_PATH_OMITTED, "a.dx"),
    ("unbiased", Slip.UNBIASED_VARIANCE, "a.var"),
    ("unbiased", Slip.UNBIASED_VARIANCE, "a.xhat"),
    ("unbiased", Slip.UNBIASED_VARIANCE, "a.dx"),
    ("epsilon_outside", Slip.EPSILON_ON_THE_OTHER_SIDE, "a.xhat"),
    ("epsilon_outside", Slip.EPSILON_ON_THE_OTHER_SIDE, "a.dvar"),
    ("epsilon_outside", Slip.EPSILON_ON_THE_OTHER_SIDE, "a.dx"),
    ("mean_not_sum", Slip.MEAN_INSTEAD_OF_SUM, "a.dgamma"),
    ("mean_not_sum", Slip.MEAN_INSTEAD_OF_SUM, "a.dbeta"),
]


@pytest.mark.parametrize("flag,slip,step_id", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_a_batchnorm_slip_is_named(flag, slip, step_id):
    truth, slipped = oracle(), oracle(Slips(**{flag: True}))[step_id]
    assert differs_at_eight_figures(slipped, truth[step_id]), "the slip must change the written number"
    verdict = verdict_of(check(EXERCISE, parse_answers({step_id: eight_figures(slipped)}, "answers.toml")), step_id)
    assert verdict.outcome == "wrong"
    assert slip in verdict.slips, [s.name for s in verdict.slips]


def test_the_mean_path_slip_is_named_first_at_dx():
    """Left out ∂L/∂μ/m: ∂L/∂x is wrong by exactly ∂L/∂μ/m in every column; the slip made there
    is listed first."""
    truth, slipped = oracle(), oracle(Slips(mean_path_omitted=True))
    np.testing.assert_allclose(truth["a.dx"] - slipped["a.dx"], np.broadcast_to(truth["a.dmu"] / 4, (2, 4)), rtol=1e-12)
    verdict = verdict_of(check(EXERCISE, parse_answers({"a.dx": eight_figures(slipped["a.dx"])}, "a.toml")), "a.dx")
    assert verdict.slips[0] is Slip.MEAN_PATH_OMITTED


def test_every_step_written_right_to_eight_figures_is_correct():
    truth = oracle()
    report = check(EXERCISE, parse_answers({k: eight_figures(v) for k, v in truth.items()}, "answers.toml"))
    assert len(report.verdicts) == len(truth)
    assert {v.outcome for v in report.verdicts} == {"correct"}, report.render()


def test_a_step_worked_on_from_a_wrong_variance_follows_through():
    """σ² written wrong (by an unrelated slip of the pen), x̂ worked right from it."""
    truth = oracle()
    var = truth["a.var"] * 1.1
    x = np.array(X).T
    xhat = (x - truth["a.mu"]) / np.sqrt(var + EPS)
    answers = {"a.mu": eight_figures(truth["a.mu"]), "a.var": eight_figures(var), "a.xhat": eight_figures(xhat)}
    outcomes = {v.step_id: v.outcome for v in check(EXERCISE, parse_answers(answers, "a.toml")).verdicts}
    assert outcomes == {"a.mu": "correct", "a.var": "wrong", "a.xhat": "follows through"}


def test_the_template_and_the_json_export_list_every_step():
    solution = solver.solve(EXERCISE)
    template = tomllib.loads(answers_template(solution, "slips"))
    assert list(template) == ["a.mu", "a.var", "a.xhat", "a.y", "a.dgamma", "a.dbeta", "a.dxhat", "a.dvar", "a.dmu",
                              "a.dx", "a.dx_compact"]
    exported = json.loads(solution.render("json"))
    assert "a.dx_compact" in json.dumps(exported)
