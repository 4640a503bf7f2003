"""In-memory stand-ins for the client's other ports: a directory, a spool, a progress display and
a release converter."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from application.ports.file_tree import FileTree
from application.ports.progress import Progress
from application.ports.release_converter import (
    ConversionUnavailable,
    ConvertedEntities,
    ReleaseConverter,
)
from application.ports.spool import Spool
from domain.json_document import JsonValue


@dataclass
class FakeFileTree(FileTree):
    files: dict[str, str] = field(default_factory=dict)
    writes: int = 0
    written: list[str] = field(default_factory=list)
    """Each path written or removed, in turn."""

    def read(self, path: str) -> str | None:
        return self.files.get(path)

    def write(self, path: str, text: str) -> None:
        if self.files.get(path) != text:
            self.writes += 1
            self.written.append(path)
            self.files[path] = text

    def paths(self, folder: str) -> list[str]:
        return sorted(p for p in self.files if p.rpartition("/")[0] == folder)

    def remove(self, path: str) -> None:
        if self.files.pop(path, None) is not None:
            self.writes += 1
            self.written.append(path)


@dataclass
class MemorySpool(Spool):
    data: bytearray = field(default_factory=bytearray)
    closed: bool = False
    largest_write: int = 0
    writes: int = 0

    def write(self, data: bytes | memoryview) -> None:
        assert not self.closed
        self.writes += 1
        self.largest_write = max(self.largest_write, len(data))
        self.data.extend(data)

    def chunks(self) -> Iterator[bytes]:
        yield bytes(self.data)

    def close(self) -> None:
        self.closed = True


@dataclass
class RecordingProgress(Progress):
    phases: list[tuple[str, int | None]] = field(default_factory=list)
    done: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    waits: list[str] = field(default_factory=list)

    def phase(self, name: str, total: int | None = None) -> None:
        self.phases.append((name, total))
        self.done[name] = 0

    def advance(self, count: int = 1) -> None:
        self.done[self.phases[-1][0]] += count

    def note(self, text: str) -> None:
        self.notes.append(text)

    def waiting(self, text: str) -> None:
        self.waits.append(text)


@dataclass
class VersionRenumbering(ReleaseConverter):
    """A converter that knows one release: it writes every entity with that release's index
    versions, as the real converter would for a release whose only difference is the numbers."""

    release: str
    versions: dict[str, int]
    losses: tuple[str, ...] = ()
    converted: list[str] = field(default_factory=list)

    def release_of(self, mismatching_indices: Sequence[JsonValue]) -> str | None:
        targets = {i.get("targetIndexVersion") for i in mismatching_indices if isinstance(i, dict)}
        return self.release if targets <= set(self.versions.values()) else None

    def convert(self, entities: Sequence[JsonValue], release: str) -> ConvertedEntities:
        self.converted.append(release)
        out: list[JsonValue] = []
        for entity in entities:
            assert isinstance(entity, dict)
            kind = entity["exportEntityType"]
            assert isinstance(kind, str)
            out.append({**entity, "sourceIndexVersion": self.versions[kind]})
        return ConvertedEntities(release, out, self.losses)


class NoReleaseConverter(ReleaseConverter):
    """A converter that knows no release: a mismatch is reported as the target sent it."""

    def release_of(self, mismatching_indices: Sequence[JsonValue]) -> str | None:  # noqa: ARG002
        return None

    def convert(self, entities: Sequence[JsonValue], release: str) -> ConvertedEntities:  # noqa: ARG002
        raise ConversionUnavailable(f"This converter cannot write release {release}.")
