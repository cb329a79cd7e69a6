"""What a least-squares sheet says around the steps: the data and how they are arranged (samples
as rows of X, or as columns for several outputs, as seed 002 writes each), the loss with its
factor, the normal equations it leads to, and the fitted line in words. Math between $…$,
numbers written by solver/render/format.py."""

from __future__ import annotations

from solver.conventions import Conventions
from solver.exact import fractions
from solver.exercise import Exercise
from solver.kinds.least_squares.engine import solution
from solver.kinds.least_squares.reader import Data, Part
from solver.render.format import NumberFormat, number

SETUP_HEADING = "The data"


def data_facts(exercise: Exercise, style: NumberFormat) -> tuple[str, ...]:
    data: Data = exercise.setup
    n = data.samples
    if data.form == "line":
        points = ", ".join(f"$({number(x, style)}, {number(y, style)})$" for x, y in zip(data.X[:, 0], data.y[:, 0]))
        if data.intercept:
            model = (r"The line $\hat{y} = a x + b$ is $\boldsymbol{\theta}^{T}\hat{\mathbf{x}}$ with "
                     r"$\boldsymbol{\theta} = (a, b)^{T}$ and $\hat{\mathbf{x}} = (x, 1)^{T}$ (seed 002): each row of "
                     r"the design matrix $\mathbf{X}$ is $(x_{i}, 1)$.")
        else:
            model = (r"The line through the origin $\hat{y} = a x$ (intercept = false): $\mathbf{X}$ is the column "
                     r"of the $x_{i}$ and $\boldsymbol{\theta} = (a)$.")
        facts = [f"{n} points $(x, y)$: {points}.", model]
    elif data.form == "columns":
        ones = ("the column of ones is appended last (intercept = true), its entry of $\\boldsymbol{\\theta}$ being the "
                "intercept" if data.intercept else "$\\mathbf{X}$ is used as written (intercept = false)")
        facts = [f"{n} samples, one per row of the design matrix $\\mathbf{{X}}$ (seed 002 stacks the "
                 f"$\\hat{{\\mathbf{{x}}}}^{{(i)T}}$ as rows), with $\\hat{{y}} = \\boldsymbol{{\\theta}}^{{T}}"
                 f"\\hat{{\\mathbf{{x}}}}$; {ones}."]
    else:
        d, c = data.X.shape[0], data.y.shape[0]
        ones = ("a row of ones is appended to $\\mathbf{X}$ (intercept = true): the last column of $\\mathbf{W}$ "
                "is the bias" if data.intercept else "$\\mathbf{X}$ is used as written (intercept = false)")
        facts = [f"{n} samples, one per COLUMN of $\\mathbf{{X}}$ (${d} \\times {n}$) and of $\\mathbf{{Y}}$ "
                 f"(${c} \\times {n}$), as seed 002's homework writes them; the model is $\\hat{{\\mathbf{{y}}}} = "
                 f"\\mathbf{{W}}\\mathbf{{x}}$ with $\\mathbf{{W}}$ of size ${c} \\times {d}$; {ones}."]
    if data.exact:
        facts.append("Every datum is rational as written, so the sheet works in exact fractions (exact = \"auto\" or true).")
    else:
        facts.append("The sheet works in decimals (exact = false, or a datum with more than 4 decimals).")
    return tuple(facts)


def convention_facts(conventions: Conventions) -> tuple[str, ...]:
    return ()


def part_facts(exercise: Exercise, part: Part, style: NumberFormat) -> tuple[str, ...]:
    data: Data = exercise.setup
    half = data.loss_factor == 0.5
    factor = r"\frac{1}{2}" if half else ""
    setting = f"loss_factor = {'0.5, seed 002' if half else '1'}"
    if data.form == "multi":
        gradient = r"\mathbf{W}\mathbf{X}\mathbf{X}^{T} - \mathbf{Y}\mathbf{X}^{T}"
        facts = [f"The loss $L(\\mathbf{{W}}) = {factor}\\operatorname{{tr}}\\left((\\mathbf{{Y}} - \\mathbf{{W}}"
                 f"\\mathbf{{X}})^{{T}}(\\mathbf{{Y}} - \\mathbf{{W}}\\mathbf{{X}})\\right)$, the sum of the squared "
                 f"errors of every output and sample ({setting}). Its gradient "
                 f"${'' if half else '2'}\\left({gradient}\\right)$ is zero at the optimum: "
                 r"$\mathbf{W}\mathbf{X}\mathbf{X}^{T} = \mathbf{Y}\mathbf{X}^{T}$, so "
                 r"$\mathbf{W} = (\mathbf{Y}\mathbf{X}^{T})(\mathbf{X}\mathbf{X}^{T})^{-1}$."]
    else:
        gradient = r"\mathbf{X}^{T}\mathbf{X}\boldsymbol{\theta} - \mathbf{X}^{T}\mathbf{y}"
        facts = [f"The loss $L(\\boldsymbol{{\\theta}}) = {factor}\\sum_{{i}} (y_{{i}} - \\hat{{y}}_{{i}})^{{2}} = "
                 f"{factor}(\\mathbf{{y}} - \\mathbf{{X}}\\boldsymbol{{\\theta}})^{{T}}(\\mathbf{{y}} - \\mathbf{{X}}"
                 f"\\boldsymbol{{\\theta}})$ ({setting}). Its gradient ${'' if half else '2'}\\left({gradient}\\right)$ "
                 r"is zero at the optimum: the normal equations $\mathbf{X}^{T}\mathbf{X}\boldsymbol{\theta} = "
                 r"\mathbf{X}^{T}\mathbf{y}$, so $\boldsymbol{\theta} = (\mathbf{X}^{T}\mathbf{X})^{-1}\mathbf{X}^{T}"
                 r"\mathbf{y}$."]
    if data.form == "line":
        theta = solution(data)
        values = fractions(theta).ravel() if data.exact else [float(v) for v in theta.ravel()]
        if data.intercept:
            facts.append(f"The fitted line: $\\hat{{y}} = a x + b$ with $a = \\theta_{{1}} = {number(values[0], style)}$ "
                         f"and $b = \\theta_{{2}} = {number(values[1], style)}$.")
        else:
            facts.append(f"The fitted line: $\\hat{{y}} = a x$ with $a = \\theta_{{1}} = {number(values[0], style)}$.")
    return tuple(facts)


def derived_blocks(exercise: Exercise, part: Part) -> tuple:
    return ()
