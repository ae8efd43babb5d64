"""Problems found in a catalog, reported the way compilers do so editors and CI can jump to them."""

from __future__ import annotations

from dataclasses import dataclass

from site_builder.errors import CredcatError


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self) -> str:
        """`path:line:col: message`, then the hint indented on its own line."""
        prefix = "" if self.is_error else "warning: "
        text = f"{self.file}:{self.line}:{self.column}: {prefix}{self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


class CatalogError(CredcatError):
    """Raised when a catalog has errors; carries every problem so one run reports them all."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        super().__init__(
            f"the catalog has {len(errors)} error(s):\n" + "\n".join(p.format() for p in errors)
        )


def summary(problems: list[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "catalog OK: no problems found"
    return f"{errors} error(s), {warnings} warning(s)"
