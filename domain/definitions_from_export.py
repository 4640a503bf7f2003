"""What a target needs before an export file can be imported into it: the definitions the file's
reports name, and a collection scope that holds them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from domain.collection import ScopeEntry
from domain.definition import Definition, DefinitionRef, DefinitionType, definition_refs
from domain.definition_xml import read_definition_xml
from domain.errors import DefinitionInvalid
from domain.export_format.reader import FileEntry
from domain.report import Report

FIRST_VERSION = "1"


class _Unread:
    """A report's XML not read yet."""


_UNREAD = _Unread()


def definitions_to_register(
    entries: Sequence[FileEntry], existing: Iterable[Definition]
) -> list[Definition]:
    """The definition versions the file's reports name that are not known yet, for each of
    their tenants, with the XML the reports carry when it is a valid document for that key.
    A report that covers "all" or "latest" versions needs one version; it gets version 1 unless
    some version is known already."""
    known = {(d.type, d.key, d.version, d.tenant_id) for d in existing}
    known_keys = {(d.type, d.key, d.tenant_id) for d in existing}
    wanted: dict[tuple[DefinitionType, str, str, str | None], Definition] = {}
    for report, refs in _reports_with_refs(entries):
        for ref in refs:
            # Read only for a definition that is new: every report of a big file carries the
            # same XML, which would otherwise be parsed once per report.
            xml: str | _Unread | None = _UNREAD
            for tenant in ref.tenant_ids:
                versions = ref.concrete_versions
                if not versions:
                    if (ref.type, ref.key, tenant) in known_keys or any(
                        k[:2] == (ref.type, ref.key) and k[3] == tenant for k in wanted
                    ):
                        continue
                    versions = (FIRST_VERSION,)
                for version in versions:
                    identity = (ref.type, ref.key, version, tenant)
                    if identity not in known and identity not in wanted:
                        if isinstance(xml, _Unread):
                            xml = _carried_xml(report, ref.type, ref.key)
                        wanted[identity] = Definition(
                            ref.type, ref.key, version, tenant, ref.name, xml
                        )
    return list(wanted.values())


def scope_needed(entries: Sequence[FileEntry]) -> list[ScopeEntry]:
    """One scope entry per definition the file's reports name, with all their tenants."""
    tenants: dict[tuple[DefinitionType, str], dict[str | None, None]] = {}
    for _report, refs in _reports_with_refs(entries):
        for ref in refs:
            tenants.setdefault((ref.type, ref.key), {}).update(dict.fromkeys(ref.tenant_ids))
    return [ScopeEntry(t, k, tuple(ts)) for (t, k), ts in tenants.items()]


def _reports_with_refs(
    entries: Sequence[FileEntry],
) -> Iterator[tuple[Report, tuple[DefinitionRef, ...]]]:
    """Each report with the definitions it names: as the reader read them, else read now."""
    for entry in entries:
        if isinstance(entry.entity, Report):
            yield entry.entity, entry.refs or definition_refs(entry.entity)


def _carried_xml(report: Report, definition_type: DefinitionType, key: str) -> str | None:
    data = report.data.value
    configuration = data.get("configuration") if isinstance(data, dict) else None
    xml = configuration.get("xml") if isinstance(configuration, dict) else None
    if not isinstance(xml, str):
        return None
    try:
        carried_key, _ = read_definition_xml(definition_type, xml)
    except DefinitionInvalid:
        return None  # Some exports carry a placeholder such as "string" instead of XML.
    return xml if carried_key == key else None
