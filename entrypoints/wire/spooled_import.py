"""An import file read from the temporary file its body was spooled to, entity by entity: the
file is never held in memory, parsed whole, nor held as parsed values. Each report's data is
held as where it lies in the file, when the file holds it exactly as storing writes it."""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import IO

import msgspec

from domain.errors import ImportFileInvalid
from domain.export_format.reader import EntityStream, FileItem
from domain.json_document import JsonDocument, JsonValue, LoadedDocument
from entrypoints.wire.json_input import DecoderRefusal, still_refused, strict_decoder

WINDOW_BYTES = 1024 * 1024
_SPACE = re.compile(r"[ \t\n\r]*")


class _NotPlain(Exception):
    """The file is not a plain strict-JSON array: the whole-file parse is to say what it is."""


class SpooledImportFile(EntityStream):
    """A file whose first byte (after whitespace) opens an array. Its entities are read with
    the strict decoder, one level less deep than the file may nest. What the decoder refuses,
    or anything else not plain (a byte that is not UTF-8, text after the array), makes `whole`
    parse the whole file, so that the refusal is worded, line and column included, as a
    whole-file parse words it."""

    def __init__(
        self, file: IO[bytes], max_depth: int, whole: Callable[[bytes], JsonValue]
    ) -> None:
        self._file = file
        self._max_depth = max_depth
        self._whole = whole

    def __iter__(self) -> Iterator[FileItem]:
        read = 0
        try:
            for item in self._entities(_Window(self._file)):
                read += 1
                yield item
        except _NotPlain:
            self._file.seek(0)
            value = self._whole(self._file.read())  # raises ImportFileInvalid, as it should
            if not isinstance(value, list) or len(value) < read:
                raise ImportFileInvalid("The import file is not valid JSON.") from None
            yield from ((v, None) for v in value[read:])

    def _entities(self, window: _Window) -> Iterator[FileItem]:
        decoder = strict_decoder()
        position = window.skip_space(window.first("[") + 1)
        if window.char(position) == "]":
            window.end_at(position + 1)
            return
        while True:
            offset = window.passed(position)
            value, end, text = window.decoded(decoder, position)
            utf8 = text.encode("utf-8")
            if still_refused(text, utf8, value, self._max_depth - 1):
                raise _NotPlain
            yield value, self._data(offset, utf8, value)
            position = window.skip_space(end)
            mark = window.char(position)
            if mark == "]":
                window.end_at(position + 1)
                return
            if mark != ",":
                raise _NotPlain
            position = window.skip_space(position + 1)

    def _data(self, offset: int, entity: bytes, value: JsonValue) -> JsonDocument | None:
        """The entity's data where it lies in the file, when it lies there exactly as storing
        writes it (the entity starts at file offset `offset`)."""
        data = value.get("data") if isinstance(value, dict) else None
        if not isinstance(data, dict):
            return None
        try:
            encoded = msgspec.json.encode(data)
        except (msgspec.MsgspecError, OverflowError):
            return None
        # An export writes `data` last, so it is looked for there first.
        found = len(entity) - len(encoded) - 1
        if not entity.endswith(b"}") or entity[found : found + len(encoded)] != encoded:
            found = entity.find(encoded)
        if found < 0:
            return None  # not as storing writes it: kept as the parsed value
        # Bytes msgspec wrote from a strictly parsed value, so msgspec parses them back alike.
        load = partial(os.pread, self._file.fileno(), len(encoded), offset + found)
        return LoadedDocument(load, msgspec.json.decode)


class _Window:
    """The part of the file being read, as text. Positions are absolute (characters from the
    start of the file); the text before the last position `passed` is let go as more is read,
    so the window holds about one read and one entity."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._bytes = b""
        self._ascii = True
        self._text = ""
        self._text_base = 0  # the absolute position of _text[0]
        self._byte_base = 0  # the file offset of _bytes[0], where _text[0] begins
        self._passed = (0, 0)  # an absolute position at an entity boundary, and its offset
        self._eof = False
        file.seek(0)
        self._grow()

    def first(self, mark: str) -> int:
        return self._text.index(mark)

    def _grow(self) -> bool:
        if self._eof:
            return False
        passed_char, passed_byte = self._passed
        drop = passed_char - self._text_base
        if drop > 0:
            self._text = self._text[drop:]
            self._bytes = self._bytes[passed_byte - self._byte_base :]
            self._text_base, self._byte_base = passed_char, passed_byte
        chunk = self._file.read(max(WINDOW_BYTES, len(self._bytes)))
        try:
            self._text += self._decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError:
            raise _NotPlain from None
        self._bytes += chunk
        self._ascii = self._ascii and chunk.isascii()
        self._eof = not chunk
        return True

    def char(self, position: int) -> str:
        while position - self._text_base >= len(self._text):
            if not self._grow():
                raise _NotPlain
        return self._text[position - self._text_base]

    def skip_space(self, position: int) -> int:
        while True:
            match = _SPACE.match(self._text, position - self._text_base)
            end = match.end() if match else position - self._text_base
            if end < len(self._text) or not self._grow():
                return end + self._text_base

    def decoded(self, decoder: json.JSONDecoder, position: int) -> tuple[JsonValue, int, str]:
        """The value at `position`, where it ends, and its text."""
        while True:
            start = position - self._text_base
            try:
                value, end = decoder.raw_decode(self._text, start)
            except DecoderRefusal:
                if self._grow():
                    continue
                raise _NotPlain from None
            if end < len(self._text) or not self._grow():
                return value, end + self._text_base, self._text[start:end]

    def passed(self, position: int) -> int:
        """Marks an entity boundary: the text before it may be let go. Its file offset."""
        char, byte = self._passed
        if self._ascii:
            byte = self._byte_base + position - self._text_base
        else:
            span = self._text[char - self._text_base : position - self._text_base]
            byte += len(span.encode("utf-8"))
        self._passed = (position, byte)
        return byte

    def end_at(self, position: int) -> None:
        """Only whitespace may follow the array."""
        while True:
            if self._text[position - self._text_base :].strip(" \t\n\r"):
                raise _NotPlain
            position = self._text_base + len(self._text)
            self.passed(position)
            if not self._grow():
                return
