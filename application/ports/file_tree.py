from __future__ import annotations

from typing import Protocol


class FileTree(Protocol):
    """A directory of text files, addressed by relative paths with `/` separators."""

    def read(self, path: str) -> str | None:
        """The file's text, or None when there is no such file."""
        ...

    def write(self, path: str, text: str) -> None:
        """Writes the file (creating its folders) unless it already holds exactly `text`, so an
        unchanged file keeps its modification time."""
        ...

    def paths(self, folder: str) -> list[str]:
        """The files directly in `folder`, sorted; none when it does not exist."""
        ...

    def remove(self, path: str) -> None: ...
