"""An independent count of a network, written from the definitions in seed 002 and LeCun et al.
(1998) with plain integer loops: nothing here comes from solver/. The output size is the number
of places the window lands as it slides over the padded input (not the formula), and the
connections are added up map by map and row by row of outputs."""

from __future__ import annotations


def pair(value) -> tuple[int, int]:
    return (value[0], value[1]) if isinstance(value, list) else (value, value)


def count_network(input_size: list[int], layers: list[dict], bias_is_connection: bool = True) -> list[dict]:
    """Per layer: width, height, channels, inputs (fc), weights, biases, params, connections, activations."""
    if len(input_size) == 1:
        width, height, channels = 1, 1, input_size[0]
    else:
        width, height, channels = input_size
    found = []
    for layer in layers:
        row: dict = {}
        if layer["type"] == "fc":
            inputs = width * height * channels
            row["inputs"] = inputs
            row["weights"] = row["connections"] = 0
            for _unit in range(layer["units"]):  # each unit: one weight and one connection per input
                row["weights"] += inputs
                row["connections"] += inputs + (1 if bias_is_connection else 0)
            row["biases"] = layer["units"]
            width, height, channels = 1, 1, layer["units"]
            row["activations"] = layer["units"]
        else:
            fw, fh = pair(layer["size"])
            sw, sh = pair(layer.get("stride", 1 if layer["type"] == "conv" else layer["size"]))
            pw, ph = pair(layer.get("padding", 0))
            # slide the window over the padded input and count where it lands
            out_w = sum(1 for x in range(0, width + 2 * pw - fw + 1, sw))
            out_h = sum(1 for y in range(0, height + 2 * ph - fh + 1, sh))
            assert (width + 2 * pw - fw) % sw == 0 and (height + 2 * ph - fh) % sh == 0, "the test's network must fit"
            connections = 0
            if layer["type"] == "conv":
                seen = layer.get("input_channels", [channels] * layer["filters"])
                weights = sum(fw * fh * c for c in seen)
                for k in range(layer["filters"]):  # each output value, row by row of each map
                    for _row in range(out_h):
                        connections += out_w * (fw * fh * seen[k] + (1 if bias_is_connection else 0))
                biases, out_c = layer["filters"], layer["filters"]
            else:
                trainable = layer.get("op", "max") == "subsample"
                weights = biases = channels if trainable else 0
                for _channel in range(channels):
                    for _row in range(out_h):
                        connections += out_w * (fw * fh + (1 if trainable and bias_is_connection else 0))
                out_c = channels
            width, height, channels = out_w, out_h, out_c
            row.update(width=out_w, height=out_h, channels=out_c, weights=weights, biases=biases,
                       connections=connections, activations=out_w * out_h * out_c)
        row["params"] = row["weights"] + row["biases"]
        found.append(row)
    return found
