"""The directory form of a collection, as `boardport pull` writes it and `push` reads it: one
file per entity in a stable, diff-friendly form, and the BPMN/DMN XML the reports carry stored
once per definition version."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from domain.definition import DefinitionType
from domain.definition_xml import read_definition_xml
from domain.entity_type import EntityType
from domain.errors import DefinitionInvalid, ImportFileInvalid
from domain.json_document import JsonValue
from domain.selection import Selector

MANIFEST = "boardport.json"
DASHBOARDS = "dashboards"
REPORTS = "reports"
DEFINITIONS = "definitions"
STATE = ".boardport"
"""The client's own files in the directory (what it pushed where, the id map, an unfinished
pull), which are not the collection's: ignored by Git through their own .gitignore."""
STATE_GITIGNORE = f"{STATE}/.gitignore"
STATE_GITIGNORE_TEXT = "*\n"
PULL_UNFINISHED = f"{STATE}/pull-unfinished"
FORMAT = "boardport-directory/1"
XML_FILE_FIELD = "configurationXmlFile"
"""The report file's field naming the definition file whose XML is its `configuration.xml`."""
_SLUG_LENGTH = 48
_EXTENSION = {DefinitionType.PROCESS: "bpmn", DefinitionType.DECISION: "dmn"}


def render(value: JsonValue) -> str:
    """The one text form of every file: keys sorted, 2-space indent, a trailing newline."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False) + "\n"


_SPELLED_OUT = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "þ": "th",
        "\u0131": "i",
    }
)
"""Letters that Unicode does not decompose into a base letter and marks."""


def slug(name: str) -> str:
    """The letters and digits of a name, lower-case, a Latin letter's accents taken off
    (Überblick: uberblick), joined by `-`; letters of other scripts are kept as they are,
    never dropped. `untitled` when none."""
    spelled = unicodedata.normalize("NFC", name).lower().translate(_SPELLED_OUT)
    bare = "".join(_latin_base(c) for c in spelled).lower()
    words = re.findall(r"[^\W_]+", bare)
    return "-".join(words)[:_SLUG_LENGTH].strip("-") or "untitled"


def _latin_base(char: str) -> str:
    """A character's compatibility decomposition without its marks, when that is ASCII (é:
    e, ﬁ: fi); else the character itself, whose marks belong to the letter (ё, ポ)."""
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base.isascii() else char


def _safe_id(entity_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", entity_id).lstrip(".") or "_"


@dataclass(frozen=True, slots=True)
class DefinitionFile:
    path: str
    xml: str


@dataclass(frozen=True, slots=True)
class EntityFile:
    path: str
    text: str
    definition: DefinitionFile | None = None
    """The XML the report carried, to be stored at `definition.path` (once)."""


def entity_file(entity: JsonValue, taken: dict[str, str]) -> EntityFile:
    """The file for one exported entity. `taken` maps each definition file path already chosen
    in this directory to its XML, so the same XML is stored once and different XML never
    shares a path; it is updated here."""
    if not isinstance(entity, dict):
        raise ImportFileInvalid("An exported entity must be a JSON object.")
    entity_id, name = entity.get("id"), entity.get("name")
    kind = EntityType.parse(str(entity.get("exportEntityType", "")))
    if not isinstance(entity_id, str) or kind is None:
        raise ImportFileInvalid("An exported entity needs an id and a known exportEntityType.")
    folder = DASHBOARDS if kind is EntityType.DASHBOARD else REPORTS
    path = f"{folder}/{slug(name if isinstance(name, str) else '')}-{_safe_id(entity_id)}.json"
    stored, definition = _without_xml(entity, kind, taken)
    return EntityFile(path, render(stored), definition)


def _without_xml(
    entity: dict[str, JsonValue], kind: EntityType, taken: dict[str, str]
) -> tuple[dict[str, JsonValue], DefinitionFile | None]:
    definition_type = DefinitionType.of_report(kind)
    data = entity.get("data")
    configuration = data.get("configuration") if isinstance(data, dict) else None
    xml = configuration.get("xml") if isinstance(configuration, dict) else None
    if definition_type is None or not isinstance(xml, str) or not isinstance(data, dict):
        return entity, None
    try:
        key, _ = read_definition_xml(definition_type, xml)
    except DefinitionInvalid:
        return entity, None  # a placeholder such as "string": it stays in the report file
    stem = f"{DEFINITIONS}/{_safe_id(key)}-{_version_label(data, key)}"
    path = f"{stem}.{_EXTENSION[definition_type]}"
    if taken.get(path, xml) != xml:
        digest = hashlib.sha256(xml.encode()).hexdigest()[:12]
        path = f"{stem}-{digest}.{_EXTENSION[definition_type]}"
    taken[path] = xml
    assert isinstance(configuration, dict)  # noqa: S101 - narrowed above
    stored = {
        **entity,
        "data": {**data, "configuration": {**configuration, "xml": None}},
        XML_FILE_FIELD: path,
    }
    return stored, DefinitionFile(path, xml)


def _version_label(data: dict[str, JsonValue], key: str) -> str:
    """The one version a report names for `key`, else what it names (all, latest, several)."""
    versions: JsonValue = None
    listed = data.get("definitions")
    if isinstance(listed, list):
        for entry in listed:
            if isinstance(entry, dict) and entry.get("key") == key:
                versions = entry.get("versions")
                break
    else:
        versions = data.get("processDefinitionVersions") or data.get("decisionDefinitionVersions")
    texts = [str(v) for v in versions] if isinstance(versions, list) else []
    if len(texts) == 1:
        return _safe_id(texts[0])
    return "versions-" + "_".join(_safe_id(t) for t in sorted(texts)) if texts else "all"


def entity_from_file(
    path: str,
    text: str,
    read_definition: Callable[[str], str | None],
    *,
    parse: Callable[[str], JsonValue] = json.loads,
) -> JsonValue:
    """The exported entity a file holds, its XML put back from the definition file it names.
    `parse` reads JSON text (raising ValueError for what is not JSON). Raises ImportFileInvalid
    naming the file when it is not such a file."""
    try:
        entity = parse(text)
    except ValueError as error:
        raise ImportFileInvalid(f"{path} is not JSON: {error}") from None
    if not isinstance(entity, dict):
        raise ImportFileInvalid(f"{path} must hold one exported entity, a JSON object.")
    reference = entity.pop(XML_FILE_FIELD, None)
    if reference is None:
        return entity
    if not isinstance(reference, str) or not _is_definition_path(reference):
        raise ImportFileInvalid(
            f"{path}: {XML_FILE_FIELD} must name a file in {DEFINITIONS}/, not {reference!r}"
        )
    xml = read_definition(reference)
    if xml is None:
        raise ImportFileInvalid(f"{path} names {reference}, which is missing.")
    data = entity.get("data")
    configuration = data.get("configuration") if isinstance(data, dict) else None
    if not isinstance(configuration, dict):
        raise ImportFileInvalid(f"{path} names {reference} but has no data.configuration.")
    configuration["xml"] = xml
    return entity


def _is_definition_path(reference: str) -> bool:
    folder, _, name = reference.partition("/")
    return folder == DEFINITIONS and bool(name) and "/" not in name and not name.startswith(".")


def manifest(
    source: str,
    collection_id: str,
    index_versions: dict[str, int],
    files: Mapping[str, str],
    *,
    part: Selector | None = None,
) -> str:
    """The manifest's text: where the files came from, the release format they are in (the
    sourceIndexVersion of each entity type, as the source wrote them), and each entity's file,
    so that a push can tell a whole directory from a part of one. `part`: the selectors of a
    pull that took a part of the collection, which makes the directory partial."""
    document: dict[str, JsonValue] = {
        "format": FORMAT,
        "source": source,
        "collection": collection_id,
        "sourceIndexVersions": dict(sorted(index_versions.items())),
        "entities": dict(sorted(files.items())),
    }
    if part is not None:
        document |= {"partial": True, "selectors": part.to_json()}
    return render(document)


@dataclass(frozen=True, slots=True)
class Manifest:
    source: str | None
    collection: str | None
    files: dict[str, str] | None
    """Each entity's id and its file; None in a manifest that does not list them (written by
    an earlier boardport)."""
    partial: bool = False
    """Pulled with selectors: the files are a part of the collection."""


def read_manifest(text: str | None) -> Manifest | None:
    """The manifest a directory holds; None when it has none, or none that can be read."""
    try:
        document = json.loads(text) if text is not None else None
    except ValueError:
        return None
    if not isinstance(document, dict):
        return None
    source, collection, files = (document.get(k) for k in ("source", "collection", "entities"))
    listed = isinstance(files, dict) and all(isinstance(v, str) for v in files.values())
    return Manifest(
        source if isinstance(source, str) else None,
        collection if isinstance(collection, str) else None,
        {str(k): str(v) for k, v in files.items()} if listed and isinstance(files, dict) else None,
        partial=document.get("partial") is True,
    )


def directory_problems(
    manifest: Manifest | None, read: Mapping[str, str], *, pull_unfinished: bool
) -> list[str]:
    """Why a directory is not the whole of a pulled collection: an unfinished pull, no
    manifest, or entity files (`read`: each entity id read and its file) other than those the
    manifest lists. Edits inside the listed files are not problems: that is what Git is for."""
    if pull_unfinished:
        return ["the last pull into it did not finish"]
    if manifest is None:
        return [f"it has no {MANIFEST}, which boardport pull writes last"]
    if manifest.files is None:
        return [f"its {MANIFEST} does not list the entities (an earlier boardport wrote it)"]
    part = (
        [f"it was pulled with selectors, a part of the collection ({MANIFEST} says partial)"]
        if manifest.partial
        else []
    )
    missing = sorted(path for i, path in manifest.files.items() if i not in read)
    extra = sorted(path for i, path in read.items() if i not in manifest.files)
    return [
        *part,
        *(
            [f"{len(missing)} file(s) of {MANIFEST} are missing: {_some(missing)}"]
            if missing
            else []
        ),
        *([f"{len(extra)} file(s) are not in {MANIFEST}: {_some(extra)}"] if extra else []),
    ]


def _some(paths: list[str], shown: int = 5) -> str:
    return ", ".join(paths[:shown]) + (
        f" and {len(paths) - shown} more" if len(paths) > shown else ""
    )
