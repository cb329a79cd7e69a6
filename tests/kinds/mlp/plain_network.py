"""A plain-NumPy multilayer perceptron and training loop: the oracle of the training-run tests.

Nothing here imports byhand. The forward and backward pass are seed 003's algorithms in matrix
form (d^(L) from the loss and f′, d^(k) = (W^(k+1))ᵀ d^(k+1) ⊙ f′(s^(k)), ∇C^(k) = d^(k) (a^(k−1))ᵀ,
summed over the batch's columns); the optimisers, schedules, clipping and shuffling are
tests/kinds/optimizer/pseudocode.py. Vectors are columns, one column per sample.
"""

from __future__ import annotations

import numpy as np

from tests.kinds.optimizer.pseudocode import (
    NO_SLIPS, STATE_PREFIX, Rule, Slips, clip_by_norm, fisher_yates_orders, look_ahead, scheduled_rate, update,
)


def _softmax(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


ACTIVATIONS = {
    "identity": lambda z: z,
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "softmax": _softmax,
}

# f′ written from the output y = f(z) (or z), as the notes do
DERIVATIVES = {
    "identity": lambda z, y: np.ones_like(z),
    "sigmoid": lambda z, y: y * (1 - y),
    "tanh": lambda z, y: 1 - y**2,
    "relu": lambda z, y: (z > 0).astype(float),
}

# per-sample loss E(y, t) (one value per column) and ∂E/∂y
LOSSES = {
    "half_sse": (lambda y, t: 0.5 * ((y - t) ** 2).sum(axis=0), lambda y, t: y - t),
    "sse": (lambda y, t: ((y - t) ** 2).sum(axis=0), lambda y, t: 2 * (y - t)),
    "cross_entropy": (lambda y, t: -(t * np.log(y)).sum(axis=0), lambda y, t: -t / y),
}


def forward(params, activations, X):
    """The net inputs and activations of every layer; params is [(W, b), …] with b a column."""
    zs, ys = [], [X]
    for (W, b), name in zip(params, activations):
        z = W @ ys[-1] + b
        zs.append(z)
        ys.append(ACTIVATIONS[name](z))
    return zs, ys


def batch_loss(params, activations, loss, X, T, reduction="sum") -> float:
    _, ys = forward(params, activations, X)
    per_sample = LOSSES[loss][0](ys[-1], T)
    return float(per_sample.mean() if reduction == "mean" else per_sample.sum())


def gradients(params, activations, loss, X, T, reduction="sum"):
    """[(∂E/∂W, ∂E/∂b)] of the batch loss (sum over columns, or mean)."""
    zs, ys = forward(params, activations, X)
    dy = LOSSES[loss][1](ys[-1], T)
    grads = [None] * len(params)
    delta = None
    for l in range(len(params) - 1, -1, -1):
        y, z = ys[l + 1], zs[l]
        upstream = dy if l == len(params) - 1 else params[l + 1][0].T @ delta
        if activations[l] == "softmax":  # Jacobian diag(y) − y yᵀ applied column by column
            delta = y * (upstream - (y * upstream).sum(axis=0, keepdims=True))
        else:
            delta = upstream * DERIVATIVES[activations[l]](z, y)
        dW = delta @ ys[l].T
        db = delta.sum(axis=1, keepdims=True)
        if reduction == "mean":
            dW, db = dW / X.shape[1], db / X.shape[1]
        grads[l] = (dW, db)
    return grads


def finite_difference(params, activations, loss, X, T, reduction="sum", h=1e-6):
    """Central differences of the batch loss with respect to every weight and bias."""
    result = []
    for l in range(len(params)):
        pair = []
        for which in (0, 1):
            target = params[l][which]
            grad = np.zeros_like(target)
            for index in np.ndindex(target.shape):
                values = []
                for sign in (1, -1):
                    changed = [[W.copy(), b.copy()] for W, b in params]
                    changed[l][which][index] += sign * h
                    values.append(batch_loss(changed, activations, loss, X, T, reduction))
                grad[index] = (values[0] - values[1]) / (2 * h)
            pair.append(grad)
        result.append(tuple(pair))
    return result


def train(params, activations, loss, samples, *, rule: Rule, mode="batch", batch_size=None, epochs=1,
          shuffle=False, seed=0, schedule=None, clipping=None, validation=(), reduction="sum", part="a",
          states=None, t0=0, slips: Slips = NO_SLIPS):
    """The expected steps {id: value} of a training part as the brief describes its ids, the final
    parameters and states, and the orders of the samples. `samples` are (input, target) pairs;
    `slips` makes every update commit those mistakes."""
    params = [(np.asarray(W, float), np.asarray(b, float).reshape(-1, 1)) for W, b in params]
    names = [(f"W{l}", f"b{l}") for l in range(1, len(params) + 1)]
    n = len(samples)
    size = {"stochastic": 1, "batch": n, "minibatch": batch_size}[mode]
    orders = fisher_yates_orders(n, epochs, seed, shuffle)
    batches = [(e, order[k:k + size]) for e, order in enumerate(orders, 1) for k in range(0, n, size)]
    single_pass = mode == "stochastic" and epochs == 1
    shows_epochs = epochs > 1 or bool(validation) or mode == "minibatch"
    if states is None:
        states = {name: {s: np.zeros_like(value) for s in rule.states}
                  for pair, values in zip(names, params) for name, value in zip(pair, values)}
    expected: dict[str, np.ndarray] = {}
    t = t0
    eta = rule.learning_rate
    for k, (epoch, batch) in enumerate(batches, 1):
        group = "" if len(batches) == 1 else (f"s{k}" if single_pass else f"t{k}")
        prefix = f"{part}.{group}." if group else f"{part}."
        if k == 1 or batches[k - 2][0] != epoch:
            eta = scheduled_rate(rule.learning_rate, schedule, epoch)
            if schedule and schedule["name"] != "constant":
                expected[f"{part}.e{epoch}.eta"] = np.array(eta)
        t += 1
        flat = {name: value for pair, values in zip(names, params) for name, value in zip(pair, values)}
        for name, value in flat.items():
            expected[prefix + name] = value
            if k == 1:
                for s in rule.states:
                    expected[f"{prefix}{STATE_PREFIX[s]}0_{name}"] = states[name][s]
        if rule.counts:
            expected[prefix + "iteration"] = np.array(t)
        at = flat
        if rule.name == "nesterov":
            at = {name: look_ahead(rule, value, states[name], t, slips) for name, value in flat.items()}
            for name, value in at.items():
                expected[f"{prefix}{name}_ahead"] = value
        X = np.hstack([np.asarray(samples[i][0], float).reshape(-1, 1) for i in batch])
        T = np.hstack([np.asarray(samples[i][1], float).reshape(-1, 1) for i in batch])
        expected[prefix + "x0"] = X
        at_params = [(at[w], at[b]) for w, b in names]
        expected[prefix + "E"] = np.array(batch_loss(at_params, activations, loss, X, T, reduction))
        grads = gradients(at_params, activations, loss, X, T, reduction)
        g = {}
        for (w, b), (dW, db) in zip(names, grads):
            expected[f"{prefix}d{w}"], expected[f"{prefix}d{b}"] = g[w], g[b] = dW, db
        if clipping is not None:
            order = [name for pair in names for name in pair]
            scope = clipping.get("scope", "parameter")
            clipped, norms = clip_by_norm([g[name] for name in order], clipping["threshold"], scope)
            if scope == "global":
                expected[prefix + "norm"] = np.array(norms[0])
            for name, c, norm in zip(order, clipped, norms):
                if scope != "global":
                    expected[f"{prefix}norm_d{name}"] = np.array(norm)
                expected[f"{prefix}d{name}_clipped"] = c
                g[name] = c
        new = {}
        for name, value in flat.items():
            new[name], states[name], shown = update(rule, value, g[name], states[name], t, eta, slips)
            for key, v in shown.items():
                expected[f"{prefix}{key}_{name}"] = v
            expected[f"{prefix}{name}_new"] = new[name]
        params = [(new[w], new[b]) for w, b in names]
        last_of_epoch = k == len(batches) or batches[k][0] != epoch
        if last_of_epoch and shows_epochs:
            for key, pairs in (("E_train", samples), ("E_val", validation)):
                if pairs:
                    Xs = np.hstack([np.asarray(x, float).reshape(-1, 1) for x, _ in pairs])
                    Ts = np.hstack([np.asarray(y, float).reshape(-1, 1) for _, y in pairs])
                    expected[f"{part}.e{epoch}.{key}"] = np.array(batch_loss(params, activations, loss, Xs, Ts,
                                                                             reduction))
    return expected, params, states, t, orders
