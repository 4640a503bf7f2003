from __future__ import annotations

from pathlib import Path

from application.ports.file_tree import FileTree


class LocalFileTree(FileTree):
    """A directory on the local disk. Files are written whole to a temporary name and renamed,
    so a file is never seen half-written; one that already holds the text is left alone."""

    def __init__(self, root: Path) -> None:
        self._root = root

    def _file(self, path: str) -> Path:
        parts = path.split("/")
        if not path or any(p in {"", ".", ".."} for p in parts):
            raise ValueError(f"not a path inside the directory: {path!r}")
        return self._root.joinpath(*parts)

    def read(self, path: str) -> str | None:
        try:
            return self._file(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def write(self, path: str, text: str) -> None:
        file = self._file(path)
        if self.read(path) == text:
            return
        file.parent.mkdir(parents=True, exist_ok=True)
        partial = file.with_name(f".{file.name}.partial")
        with partial.open("w", encoding="utf-8", newline="\n") as output:
            output.write(text)
        partial.replace(file)

    def paths(self, folder: str) -> list[str]:
        directory = self._file(folder)
        if not directory.is_dir():
            return []
        return sorted(
            f"{folder}/{entry.name}"
            for entry in directory.iterdir()
            if entry.is_file() and not entry.name.startswith(".")
        )

    def remove(self, path: str) -> None:
        self._file(path).unlink(missing_ok=True)
