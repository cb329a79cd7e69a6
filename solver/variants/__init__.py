"""Variants of an exercise: its numbers drawn again from the ranges and choices of its
`[variants]` table (spec.py), with a seeded generator (draw.py), each draw kept when it meets the
table's conditions (conditions.py) and written back as an exercise file (toml_writer.py) with its
sheets and answer key (files.py)."""

from solver.variants.files import variant_files
from solver.variants.make import FIRST_TRIES, MAX_COUNT, TRIES_PER_VARIANT, Variant, make_variants
from solver.variants.spec import VariantSpec, read_spec

__all__ = ["FIRST_TRIES", "MAX_COUNT", "TRIES_PER_VARIANT", "Variant", "VariantSpec", "make_variants", "read_spec", "variant_files"]
