"""The forward pass of a network, recorded: the first half of an update, and the class of a new
point. Samples are columns; a batch keeps one column per sample.
"""

from __future__ import annotations

import numpy as np

from solver.engine.scope import Scope, Tracked
from solver.engine.slips import Slip
from solver.errors import blamed_on
from solver.formula import Formula, Ref
from solver.kinds.mlp.dropout import drop, given_masks
from solver.kinds.mlp.fractions import exact_activation
from solver.kinds.mlp.network import Network
from solver.kinds.mlp.normalization import Statistics, normalize

Parameters = tuple[tuple[Tracked, ...], ...]
"""(weights, biases) per layer, or (weights, γ, β) for a layer with batch norm."""
Running = tuple[tuple[Tracked, Tracked] | None, ...]
"""The running mean and variance of each batch-norm layer (None for a layer without)."""


def forward(scope: Scope, network: Network, parameters: Parameters, x0: Tracked, running: Running | None = None,
            dropout: tuple[np.ndarray | None, ...] | None = None
            ) -> tuple[list[tuple[Tracked, Tracked, Tracked, Tracked | None]], list[Statistics | None]]:
    """(the activation's input z or z̃, x, the activation fed to the next layer, the dropout mask)
    for every layer, and each batch-norm layer's batch statistics; with `running`, batch norm uses
    the running averages instead (a query). `dropout` holds each layer's 0/1 masks, one column per
    sample (None for a layer without), in training only; the fed activation is then x̃."""
    n = scope.notation
    layers, statistics = [], []
    x = x0
    masks = given_masks(scope, dropout) if dropout is not None else (None,) * len(network.layers)
    for l, (layer, (W, *rest)) in enumerate(zip(network.layers, parameters), 1):
        f = layer.function
        found = None
        if layer.normalization is not None:
            z = scope.record(f"z{l}", "forward", "net", n.layered(n.net, l), W.value @ x.value,
                             Formula((Ref(W.id), " ", Ref(x.id))))
            z, found = normalize(scope, l, layer.normalization, z, *rest, None if running is None else running[l - 1])
        else:
            exact = scope.exact(W, x, rest[0])
            bias = 0.0 if scope.slip is Slip.BIAS_LEFT_OUT_OF_NET else rest[0].value
            z = scope.record(f"z{l}", "forward", "net", n.layered(n.net, l), W.value @ x.value + bias,
                             Formula((Ref(W.id), " ", Ref(x.id), " + ", Ref(rest[0].id))),
                             exact=exact[0] @ exact[1] + exact[2] if exact else None)
        with blamed_on(layer.expression_at):
            x = scope.record(f"x{l}", "forward", "activation", n.layered(n.activation, l), f.evaluate(z.value),
                             Formula((f.latex_name, r"\left(", Ref(z.id), r"\right)")), exact=exact_activation(scope, f, z))
        activation, mask = x, None
        if masks[l - 1] is not None:
            mask, x = drop(scope, l, layer.dropout, masks[l - 1], x)
        layers.append((z, activation, x, mask))
        statistics.append(found)
    return layers, statistics


def query(scope: Scope, network: Network, parameters: Parameters, query: np.ndarray, running: Running) -> None:
    """The output and class of the point `query`; batch norm uses the `running` averages."""
    n = scope.notation
    x0 = scope.record("x0", "given", "input", n.layered(n.activation, 0), query)
    output = forward(scope, network, parameters, x0, running)[0][-1][1]
    winner = int(np.argmax(output.value[:, 0])) + scope.part.conventions.first_class
    scope.record("class", "class", "class", r"\mathrm{class}", winner,
                 Formula((r"\operatorname{argmax}_i\,", Ref(output.id))))
