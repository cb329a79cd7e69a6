"""Maximum likelihood (kind "mle", seed 002): a Bernoulli sequence, the likelihood of candidate
θ, the log-likelihood's derivative set to zero and θ̂ = k/n as a fraction; or Gaussian classes,
each class's mean and covariance from its points and the class of a query by the largest density.

reader.py reads the exercise file (refusing a class with a singular covariance), bernoulli.py
and gaussian.py record the steps (engine.py picks one), view.py writes what the sheet says.
"""

from solver.kinds import Kind
from solver.kinds.mle import view
from solver.kinds.mle.engine import solve
from solver.kinds.mle.reader import KEYS, read_mle_problem

KIND = Kind(
    name="mle",
    keys=KEYS,
    read=read_mle_problem,
    solve=solve,
    slips=lambda exercise: (),
    setup_heading=view.SETUP_HEADING,
    setup_facts=view.setup_facts,
    convention_facts=view.convention_facts,
    part_facts=view.part_facts,
    derived_blocks=view.derived_blocks,
)
