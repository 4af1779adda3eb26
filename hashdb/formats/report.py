"""What an import tells: rows read, rows skipped (with line numbers and why)."""

from dataclasses import dataclass, field

MAX_KEPT_PROBLEMS = 1000


@dataclass
class ParseReport:
    read: int = 0
    skipped: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)

    def skip(self, line: int, message: str) -> None:
        self.skipped += 1
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            self.problems.append((line, message))

    def summary(self) -> str:
        return f"{self.read} read, {self.skipped} skipped"
