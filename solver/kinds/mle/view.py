"""What a maximum-likelihood sheet says around the steps: the model and the data, the derivation
of θ̂ from the log-likelihood (SymPy's, in the sheet's numbers), and for Gaussian classes the
estimates used and the class of each query in words. Math between $…$, numbers written by
solver/render/format.py."""

from __future__ import annotations

import sympy as sp

from solver.conventions import Conventions
from solver.exercise import Exercise
from solver.kinds.mle.bernoulli import K, LIKELIHOOD, N, THETA, log_likelihood, stationary_points
from solver.kinds.mle.gaussian import density_expression
from solver.kinds.mle.reader import Classes, Part, Sequence
from solver.render.format import NumberFormat, number
from solver.render.formula_latex import expression_latex
from solver.render.view import SECTION_TITLES, Block, Equation

SETUP_HEADING = "The data"


def setup_facts(exercise: Exercise, style: NumberFormat) -> tuple[str, ...]:
    setup = exercise.setup
    return _sequence_facts(setup, style) if isinstance(setup, Sequence) else _classes_facts(setup, style)


def convention_facts(conventions: Conventions) -> tuple[str, ...]:
    return ()


def part_facts(exercise: Exercise, part: Part, style: NumberFormat) -> tuple[str, ...]:
    setup = exercise.setup
    if isinstance(setup, Sequence):
        k, n = setup.k, setup.n
        if 0 < k < n:
            return ("The likelihood is largest where the derivative of the log-likelihood is zero (the derivation "
                    "below): $\\hat{\\theta} = k/n$, the fraction of successes.",)
        end, how = ("0", "decreases") if k == 0 else ("1", "increases")
        return (f"With k = {k} of n = {n}, $L(\\theta) = {expression_latex(LIKELIHOOD.subs({K: k, N: n}))}$ "
                f"{how} on $[0, 1]$ and its derivative is never zero inside: the largest likelihood is at the end, "
                f"$\\hat{{\\theta}} = k/n = {end}$.",)
    names = ", ".join(f"class {j + 1} is $\\mathrm{{{label}}}$"
                      for j, label in enumerate(setup.points.classes))
    d = setup.points.x.shape[0]
    rule = ("the largest $\\pi_{j}\\, p_{j}$ (the prior times the density)" if setup.prior == "frequency" else
            "the largest density $p_{j}$ (the priors are equal, so they do not change the choice)")
    return (f"The classes are worked in class order ({names}). For a query $\\mathbf{{x}}$, "
            f"$\\Delta_{{j}} = (\\mathbf{{x}} - \\boldsymbol{{\\mu}}_{{j}})^{{T}}\\boldsymbol{{\\Sigma}}_{{j}}^{{-1}}"
            f"(\\mathbf{{x}} - \\boldsymbol{{\\mu}}_{{j}})$ is its squared Mahalanobis distance and "
            f"$p_{{j}} = p(\\mathbf{{x}} \\mid y = j) = {expression_latex(_density_latex_form(d))}$ with "
            f"$D = \\left|\\boldsymbol{{\\Sigma}}_{{j}}\\right|$; the class is the one with {rule}.",)


def derived_blocks(exercise: Exercise, part: Part) -> tuple[tuple[str, Block], ...]:
    """For a sequence, the log-likelihood and its derivative set to zero, before θ̂."""
    setup = exercise.setup
    if not isinstance(setup, Sequence):
        return ()
    k, n = setup.k, setup.n
    general, numeric = log_likelihood(), log_likelihood(k, n)
    derivative, numeric_derivative = sp.diff(general, THETA), sp.diff(numeric, THETA)
    equations = [
        Equation("", r"\log L(\theta)", (expression_latex(general), expression_latex(numeric))),
        Equation("", r"\frac{d \log L}{d\theta}", (expression_latex(derivative), expression_latex(numeric_derivative))),
    ]
    roots = stationary_points(k, n)
    if roots:
        equations.append(Equation("", r"\frac{d \log L}{d\theta} = 0 \;\Rightarrow\; \theta",
                                  (expression_latex(sp.solve(derivative, THETA)[0]), expression_latex(roots[0]))))
    return ((SECTION_TITLES["estimate"], Block("Log-likelihood, derived", tuple(equations))),)


def _density_latex_form(dimensions: int) -> sp.Expr:
    """The density with Δ and D = |Σ| as plain symbols, for the prose."""
    delta, det = sp.Symbol(r"\Delta_{j}"), sp.Symbol("D")
    return density_expression(dimensions).subs({sp.Symbol("Delta", nonnegative=True): delta,
                                                sp.Symbol("det", positive=True): det})


def _sequence_facts(sequence: Sequence, style: NumberFormat) -> tuple[str, ...]:
    success = sequence.success
    failure = f" and {sequence.n - sequence.k} failures ({sequence.failure})" if sequence.failure else ""
    facts = [f"The sequence of $n = {sequence.n}$ outcomes: {' '.join(sequence.outcomes)}; $k = {sequence.k}$ "
             f"successes ({success}){failure}.",
             f"Each outcome is {success} with probability $\\theta$, otherwise with probability $1 - \\theta$, "
             f"independently of the others (seed 002), so $L(\\theta) = P(\\text{{data}} \\mid \\theta) = "
             f"{expression_latex(LIKELIHOOD)}$."]
    if sequence.candidates:
        listed = ", ".join(f"$\\theta_{{{j + 1}}} = {number(theta, style)}$"
                           for j, theta in enumerate(sequence.candidates))
        facts.append(f"The candidate models: {listed}; $j^{{*}}$ is the number of the most likely (the first, when "
                     "likelihoods tie).")
    return tuple(facts)


def _classes_facts(classes: Classes, style: NumberFormat) -> tuple[str, ...]:
    points = classes.points
    d, m = points.x.shape
    listed = ", ".join(f"$({', '.join(number(v, style) for v in points.x[:, i])})$ ($\\mathrm{{{points.labels[i]}}}$)"
                       for i in range(m))
    facts = [f"{m} labelled points in {d} dimension{'s' if d > 1 else ''}, the columns of $\\mathbf{{P}}$: {listed}."]
    if points.numbers != tuple(range(1, len(points.classes) + 1)) or not all(c.isdigit() for c in points.classes):
        numbering = ", ".join(f"$\\mathrm{{{c}}} = {k}$" for c, k in zip(points.classes, points.numbers))
        facts.append(f"Class numbers (for $\\mathbf{{c}}$ and the answers): {numbering}.")
    divisor = "n_{j} - 1" if classes.covariance == "unbiased" else "n_{j}"
    estimate = ("the unbiased estimate, covariance = \"unbiased\"" if classes.covariance == "unbiased" else
                "the maximum-likelihood estimate, covariance = \"biased\"")
    facts.append(f"Each class $j$ is modelled as a Gaussian $\\mathcal{{N}}(\\boldsymbol{{\\mu}}_{{j}}, "
                 f"\\boldsymbol{{\\Sigma}}_{{j}})$ (seed 002): $\\boldsymbol{{\\mu}}_{{j}}$ is the mean of its "
                 f"$n_{{j}}$ points and $\\boldsymbol{{\\Sigma}}_{{j}}$ divides the sum of "
                 f"$(\\mathbf{{p}}_{{i}} - \\boldsymbol{{\\mu}}_{{j}})(\\mathbf{{p}}_{{i}} - \\boldsymbol{{\\mu}}_{{j}})^{{T}}$ "
                 f"by ${divisor}$ ({estimate}).")
    if classes.prior == "frequency":
        facts.append("The prior of class $j$ is its share of the points, $\\pi_{j} = n_{j}/N$ (prior = \"frequency\").")
    else:
        facts.append("The classes are equally likely a priori, $\\pi_{j} = 1/k$ (seed 002; prior = \"equal\").")
    if classes.exact:
        facts.append("Every coordinate is rational as written, so means, covariances and $\\Delta$ are exact fractions.")
    return tuple(facts)
