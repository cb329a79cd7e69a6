"""The multilayer perceptron: a [network] trained by gradient descent, worked step by step."""
