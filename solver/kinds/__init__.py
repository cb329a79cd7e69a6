"""Kinds of exercise: each solver/kinds/<kind> package reads its part of an exercise file and
works it step by step."""
