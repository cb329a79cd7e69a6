"""Maximum likelihood (kind "mle", seed 002): a Bernoulli sequence, the likelihood of candidate
θ, the log-likelihood's derivative set to zero and θ̂ = k/n as a fraction; or Gaussian classes,
each class's mean and covariance from its points and the class of a query by the largest density.

reader.py reads the exercise file (refusing a class with a singular covariance), bernoulli.py
and gaussian.py record the steps (engine.py picks one), view.py writes what the sheet says.
"""

from solver.engine.slips import Slip
from solver.kinds import Kind
from solver.kinds.mle import view
from solver.kinds.mle.engine import solve
from solver.kinds.mle.reader import KEYS, Sequence, read_mle_problem


def _slips(exercise) -> tuple[Slip, ...]:
    """Only the slips that can change a number of this exercise: counting the other outcome needs
    k ≠ n − k; the prior changes a decision only when the classes' shares differ; the pooled mean
    needs a second class."""
    setup = exercise.setup
    if isinstance(setup, Sequence):
        return (Slip.OTHER_OUTCOME_COUNTED,) if 2 * setup.k != setup.n else ()
    sizes = {len(setup.members(label)) for label in setup.points.classes}
    possible = {
        Slip.UNBIASED_COVARIANCE: setup.covariance == "biased",
        Slip.BIASED_COVARIANCE: setup.covariance == "unbiased",
        Slip.PRIOR_LEFT_OUT: setup.prior == "frequency" and len(sizes) > 1,
        Slip.POOLED_MEAN: len(setup.points.classes) > 1,
    }
    return tuple(slip for slip, can in possible.items() if can)

KIND = Kind(
    name="mle",
    keys=KEYS,
    read=read_mle_problem,
    solve=solve,
    slips=_slips,
    setup_heading=view.SETUP_HEADING,
    setup_facts=view.setup_facts,
    convention_facts=view.convention_facts,
    part_facts=view.part_facts,
    derived_blocks=view.derived_blocks,
)
