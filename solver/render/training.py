"""What a sheet says about how parameters are trained, for any kind that trains: the optimiser
and its hyperparameters, the learning-rate schedule and gradient clipping. Sentences with math
between $…$, numbers written by format.py."""

from __future__ import annotations

from solver.formula import Expression
from solver.render.format import NumberFormat, matrix
from solver.render.formula_latex import expression
from solver.symbolic.optimizers import ETA0, SCHEDULES
from solver.training import Clipping, Optimizer, Schedule

_NAMES = {"sgd": "Gradient descent", "momentum": "Momentum", "nesterov": "Nesterov momentum",
          "adagrad": "AdaGrad", "rmsprop": "RMSProp", "adam": "Adam"}


def optimizer_fact(optimizer: Optimizer, rate: float, rate_symbol: str, style: NumberFormat) -> str:
    """The optimiser, its hyperparameters and the conventions of its form."""
    settings = [f"${rate_symbol} = {matrix(rate, style)}$"]
    if optimizer.name in ("momentum", "nesterov"):
        settings.append(rf"$\mu = {matrix(optimizer.momentum, style)}$")
    if optimizer.name == "rmsprop":
        settings.append(rf"$\rho = {matrix(optimizer.rho, style)}$")
    if optimizer.name == "adam":
        settings += [rf"$\beta_1 = {matrix(optimizer.beta1, style)}$", rf"$\beta_2 = {matrix(optimizer.beta2, style)}$"]
    if optimizer.name in ("adagrad", "rmsprop", "adam"):
        settings.append(rf"$\varepsilon = {matrix(optimizer.epsilon, style)}$")
    notes = []
    if optimizer.name in ("momentum", "nesterov"):
        notes.append("in the velocity form $v \\leftarrow \\mu v - \\eta g$, $\\theta \\leftarrow \\theta + v$ (seed 002)"
                     if optimizer.form == "velocity" else
                     "in the average form $v \\leftarrow \\mu v + (1 - \\mu) g$, $\\theta \\leftarrow \\theta - \\eta v$ "
                     "(seeds 003, 004)")
    if optimizer.name == "nesterov":
        notes.append(r"the gradient taken at the look-ahead point $\tilde{\theta} = \theta + \mu v$")
    if optimizer.name in ("momentum", "adam") and (optimizer.name == "adam" or optimizer.form == "average"):
        decay = r"\mu" if optimizer.name == "momentum" else r"\beta"
        notes.append(f"with bias correction $1/(1 - {decay}^t)$" if optimizer.corrects_bias else "without bias correction")
    if optimizer.name in ("adagrad", "rmsprop", "adam"):
        notes.append(r"$\varepsilon$ inside the square root, $\sqrt{s + \varepsilon}$" if optimizer.epsilon_placement
                     == "inside" else r"$\varepsilon$ outside the square root, $\sqrt{s} + \varepsilon$")
    sentence = f"{_NAMES[optimizer.name]}: {', '.join(settings)}"
    return sentence + ("; " + "; ".join(notes) if notes else "") + "."


def schedule_fact(schedule: Schedule, rate_symbol: str, style: NumberFormat) -> str:
    """How the learning rate changes from epoch to epoch."""
    formula = expression(Expression(SCHEDULES[schedule.name], names=((ETA0, f"{rate_symbol}_0"),), elementwise=False), {})
    values = {"inverse": f"$d = {matrix(schedule.decay, style)}$", "exponential": f"$b = {matrix(schedule.base, style)}$",
              "inverse_sqrt": f"$k = {matrix(schedule.k, style)}$"}
    return (rf"The learning rate of epoch $e = 1, 2, \ldots$ is ${rate_symbol}_e = "
            rf"{formula}$ with {values[schedule.name]} (seed 004).")


def clipping_fact(clipping: Clipping, style: NumberFormat) -> str:
    scope = ("each parameter's gradient by its own norm" if clipping.scope == "parameter"
             else "all gradients together by their joint norm")
    return (rf"Gradients are clipped by norm (seed 002), {scope}: when $\|g\| \geq c$, "
            rf"$g \leftarrow c\, g / \|g\|$, with $c = {matrix(clipping.threshold, style)}$.")
