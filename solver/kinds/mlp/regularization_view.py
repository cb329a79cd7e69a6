"""What an MLP sheet says about a part's regularisation and gradient check: sentences with math
between $…$, numbers written by solver/render/format.py."""

from __future__ import annotations

from solver.kinds.mlp.reader import Part
from solver.render.format import NumberFormat, matrix


def regularization_facts(part: Part, style: NumberFormat) -> tuple[str, ...]:
    """How the part's penalty is written and what the epoch losses hold; () without one."""
    regularization = part.regularization
    if not part.train or not regularization.active:
        return ()
    n = part.conventions.notation
    lam = matrix(regularization.strength, style)
    coefficient = r"\frac{\lambda}{M}" if regularization.divide_by_batch else r"\lambda"
    covered = "weights and biases" if regularization.biases else "weights (not the biases)"
    w, norm = n.weight, _norm(n, regularization)
    if regularization.penalty == "l2":
        half = r"\frac{\lambda}{2M}" if regularization.divide_by_batch else r"\frac{\lambda}{2}"
        penalty = rf"\Omega = {half} \sum_l {norm}"
        gradient = rf"$\partial \Omega / \partial {w} = {coefficient} {w}$"
        decay = rf"{w} \leftarrow \left(1 - {n.rate} {coefficient}\right) {w} - {n.rate}\, \partial {n.loss} / \partial {w}"
    else:
        penalty = rf"\Omega = {coefficient} \sum_l {norm}"
        gradient = (rf"$\partial \Omega / \partial {w} = {coefficient} \operatorname{{sign}}({w})$ with "
                    r"$\operatorname{sign}(0) = 0$, that is $|0|' = 0$")
        decay = (rf"{w} \leftarrow {w} - {n.rate} {coefficient} \operatorname{{sign}}({w}) - "
                 rf"{n.rate}\, \partial {n.loss} / \partial {w}")
    name = "L2" if regularization.penalty == "l2" else "L1"
    batch = ", M the number of samples the update takes" if regularization.divide_by_batch else ""
    facts = [rf"{name} regularisation of the {covered}, $\lambda = {lam}$: ${penalty}$, "
             rf"$\tilde{{{n.loss}}} = {n.loss} + \Omega$, {gradient}{batch}."]
    if regularization.form == "weight_decay":
        facts.append(f"The update is written as weight decay: ${decay}$.")
    elif part.optimizer.name == "sgd":
        facts.append(rf"The update uses the regularised gradient $\partial \tilde{{{n.loss}}} / \partial {w}$.")
    else:
        facts.append(rf"The optimiser is given the regularised gradient $\partial \tilde{{{n.loss}}} / \partial {w}$.")
    if part.epochs > 1 or part.validation or part.mode == "minibatch":
        facts.append("The losses after each epoch are the data loss without the penalty.")
    return tuple(facts)


def gradient_check_facts(part: Part, style: NumberFormat) -> tuple[str, ...]:
    """How the part's first update is checked; () without a gradient check."""
    check = part.gradient_check
    if check is None:
        return ()
    n = part.conventions.notation
    J = rf"\tilde{{{n.loss}}}" if part.regularization.active else n.loss
    penalty = " (with the penalty)" if part.regularization.active else ""
    return (rf"Gradient check (seed 004) of the first update: each weight and bias $\theta_{{ij}}$ in turn is moved "
            rf"by $\pm\varepsilon$, $\varepsilon = {matrix(check.epsilon, style)}$, and ${J}${penalty} is worked "
            rf"out again on the update's samples, which gives the numeric gradient "
            rf"$\Delta\theta_{{\mathrm{{approx}}}} = ({J}^{{+}} - {J}^{{-}})/(2\varepsilon)$ to compare with the backprop "
            rf"gradient $\Delta\theta$ above. The relative difference "
            r"$\|\Delta\theta_{\mathrm{approx}} - \Delta\theta\|_2 / (\|\Delta\theta_{\mathrm{approx}}\|_2 + "
            r"\|\Delta\theta\|_2)$ is taken per layer and over all "
            rf"layers, and passes when it is at most $\tau = {matrix(check.threshold, style)}$: "
            r"$[\cdot]$ is 1 when it holds, else 0. Where the gradient is truly 0 both norms are rounding noise, "
            r"so the denominator is at least $\rho \sqrt{n}$, $\rho = 2^{-53} \max(|" + J + r"|, 1)/\varepsilon$ "
            "being the smallest gradient a two-sided difference can tell from 0 ($n$ entries). The shifted losses "
            "agree to about 7 significant figures; the JSON export keeps every digit.",)


def _norm(n, regularization) -> str:
    """‖W^[l]‖²_F (+ ‖b^[l]‖²₂), or the 1-norms, as summed over the layers l."""
    power = "^2" if regularization.penalty == "l2" else ""
    index = "F" if regularization.penalty == "l2" else "1"
    weights = rf"\|{n.layered(n.weight, 'l')}\|_{index}{power}"
    if not regularization.biases:
        return weights
    bias_index = "2" if regularization.penalty == "l2" else "1"
    return rf"\left({weights} + \|{n.layered(n.bias, 'l')}\|_{bias_index}{power}\right)"
