"""The files `byhand variants` writes for each variant: the exercise (NAME-v001.toml), its sheet
in each format asked (NAME-v001.md, with the pictures beside it), and its answer key
(NAME-v001-key.toml: an answers file with every step's true value, solver/check/template.py)."""

from __future__ import annotations

from collections.abc import Iterable

from solver.check.template import answers_key
from solver.render import EXTENSIONS, render_with_images
from solver.variants.make import Variant

KEY_SUFFIX = "-key.toml"


def variant_files(variants: Iterable[Variant], formats: Iterable[str] = ("md",), precision: int | None = None,
                  *, full: bool = False) -> dict[str, str | bytes]:
    """File name → content, for every variant: its exercise, its sheets and its key."""
    files: dict[str, str | bytes] = {}
    for variant in variants:
        files[f"{variant.name}.toml"] = variant.text
        for format in formats:
            sheet, images = render_with_images(variant.solution, format, variant.name, precision, full=full)
            files[f"{variant.name}{EXTENSIONS[format]}"] = sheet
            files.update(images)
        files[f"{variant.name}{KEY_SUFFIX}"] = answers_key(variant.solution, f"{variant.name}.toml", precision)
    return files
