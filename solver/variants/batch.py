"""A teacher's batch job: variants of several exercises into one directory, written all at once
(nothing is written when one exercise cannot be used) or, with `keep_going`, the others written
and each broken exercise reported."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from solver.errors import OutputError, SolverError
from solver.limits import Limits
from solver.output import write_all
from solver.text import counted
from solver.variants.files import variant_files
from solver.variants.make import make_variants


@dataclass(frozen=True)
class Batch:
    """What a batch wrote: `failed` holds (exercise as named, the error) for each skipped one."""

    variants: int
    files: int
    directory: Path
    seconds: float
    failed: tuple[tuple[str, SolverError], ...]

    @property
    def summary(self) -> str:
        line = (f"wrote {counted(self.variants, 'variant')} ({counted(self.files, 'file')}) to {self.directory} "
                f"in {self.seconds:.1f} s")
        if self.failed:
            names = ", ".join(name for name, _ in self.failed)
            line += f"; {counted(len(self.failed), 'exercise')} could not be used: {names}"
        return line


def write_variants(exercises: Iterable[str | Path], count: int, seed: int, directory: str | Path, *,
                   formats: Iterable[str] = ("md",), precision: int | None = None, keep_going: bool = False,
                   limits: Limits = Limits(), find: Callable[[str | Path], Path] = Path,
                   progress: Callable[[str], Callable[[int, int], None] | None] = lambda name: None,
                   on_failure: Callable[[str, SolverError], None] = lambda name, error: None) -> Batch:
    """Write `count` variants of each exercise (found by `find`) into `directory`. `progress(name)`
    gives the callback for one exercise's variants; `on_failure` hears of each skipped exercise
    with `keep_going` (without it, the first error is raised and nothing is written)."""
    start = time.perf_counter()
    target, formats = Path(directory), tuple(formats)
    outputs: dict[Path, str | bytes] = {}
    inputs, failed, made = set(), [], 0
    for name in exercises:
        try:
            path = find(name)
            variants = make_variants(path, count, seed, limits, progress(Path(name).stem))
            files = variant_files(variants, formats, precision)
        except SolverError as error:
            if not keep_going:
                raise
            failed.append((str(name), error))
            on_failure(str(name), error)
            continue
        inputs.add(path)
        made += len(variants)
        for file_name, content in files.items():
            if target / file_name in outputs:
                raise OutputError(f"two exercises would write {file_name}; give them different names", key="--output")
            outputs[target / file_name] = content
    _refuse_mixing(target, outputs, {path.stem for path in inputs})
    write_all(outputs, protected=inputs, sheets=False)
    return Batch(made, len(outputs), target, time.perf_counter() - start, tuple(failed))


def _refuse_mixing(target: Path, outputs: dict[Path, str | bytes], stems: set[str]) -> None:
    """Refuse to write into a directory that holds variants of these exercises that this run
    would not replace (v003–v020 of an earlier -n 20, when -n 2 is asked now): handed out as one
    set, its versions would come from two different draws."""
    if not target.is_dir():
        return
    variant = re.compile(rf"({'|'.join(re.escape(stem) for stem in stems)})-v\d+[-.]")
    stale = sorted(file.name for file in target.iterdir() if variant.match(file.name) and file not in outputs)
    if stale:
        raise OutputError(f"already holds {counted(len(stale), 'variant file')} that this run would not replace "
                          f"({stale[0]}, …), perhaps of another draw; write to an empty directory or remove them "
                          "first", file=str(target))
