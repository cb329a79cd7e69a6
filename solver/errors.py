"""The one family of errors a user of byhand can see.

Every failure caused by input (a file, a key, a value) is raised as a `SolverError`
subclass carrying where the problem is. The CLI turns it into one line on stderr and
exit status 2; the Python API lets it propagate.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from solver.text import one_line


class SolverError(Exception):
    """A problem with the user's input, located as precisely as it is known."""

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.key = key
        self.line = line

    def __str__(self) -> str:
        """One printable line: the file, key and message may quote a hostile file's text, so each
        goes through `one_line` (no terminal escapes, no second line, no 5,000-letter key)."""
        file = one_line(self.file, 200) if self.file else None
        place = f"{file}:{self.line}" if file and self.line else file
        key = one_line(self.key, 120) if self.key else None
        return ": ".join(part for part in (place, key, one_line(self.message, 600)) if part)


class ExerciseError(SolverError):
    """An exercise file that is missing, malformed or inconsistent."""


class AnswersError(SolverError):
    """An answers file that cannot be read at all (a problem with one entry is not an error)."""


class LimitError(SolverError):
    """An exercise larger than the limits allow (see Limits); the message names the option."""


class NumericError(SolverError):
    """A value of the calculation itself that is not a finite number: too large for float64, a
    division by 0, log 0 (infinite), or not defined at all (NaN: log −1, 0/0, ∞ − ∞)."""


@dataclass(frozen=True)
class Location:
    """Where a key stands in an exercise file, kept by a reader for an error the engine finds later."""

    key: str
    line: int | None = None


@contextmanager
def blamed_on(location: Location | None, errors: type[SolverError] | None = None) -> Iterator[None]:
    """Report an error of class `errors` (NumericError unless given) raised inside at `location`
    (the custom expression that made the value, the epochs that made the steps), keeping the step
    id it was raised at in the message; with None, as it was raised."""
    try:
        yield
    except errors or NumericError as error:
        if location is None:
            raise
        raise type(error)(f"{error.key}: {error.message}" if error.key else error.message, file=error.file,
                          key=location.key, line=location.line) from None


class OutputError(SolverError):
    """A sheet that cannot be written where it was asked to go."""


class MissingDependency(SolverError):
    """An optional package or program that a format needs is not installed; the message says how
    to install it."""
