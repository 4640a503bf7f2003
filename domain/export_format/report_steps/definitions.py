"""3.5 (process and decision 6 -> 7): the one definition of a report moves into a list of
`definitions`, and each filter names the definitions it applies to."""

from __future__ import annotations

import uuid

from domain.export_format.shape import (
    Entity,
    Loss,
    StepInputInvalid,
    arr,
    configuration_of,
    data_of,
    kind,
    obj,
)
from domain.json_document import JsonValue

# --- 3.5: process and decision 6 -> 7 -----------------------------------------------------------

_IDENTIFIERS = uuid.UUID("5b0a7c1e-2f4d-4c8e-9a3b-6d1e8f2c4a70")


def _legacy_fields(decision: bool) -> tuple[str, str, str]:
    prefix = "decision" if decision else "process"
    return f"{prefix}DefinitionKey", f"{prefix}DefinitionName", f"{prefix}DefinitionVersions"


def up_7(entity: Entity, *, decision: bool) -> None:
    data = data_of(entity)
    filters = arr(data.get("filter"), "data.filter")
    applied = _definitions_up(entity, data, decision=decision)
    for position, entry in enumerate(filters or []):
        if not isinstance(entry, dict):
            text = f"must be an object, not {kind(entry)}"
            raise StepInputInvalid(f"data.filter[{position}]", text)
        if "appliedTo" not in entry:
            entry["appliedTo"] = [applied]
        level = entry.get("filterLevel")
        if isinstance(level, str):
            entry["filterLevel"] = level.lower()
    configuration = configuration_of(data)
    if not decision and configuration is not None and "hiddenNodes" in configuration:
        where = "data.configuration.hiddenNodes"
        hidden = obj(configuration.pop("hiddenNodes"), where)
        keys = hidden.get("keys") if hidden else None
        if hidden and hidden.get("active") is True and isinstance(keys, list) and keys:
            executed: JsonValue = {
                "type": "executedFlowNodes",
                "data": {"operator": "not in", "values": keys},
                "filterLevel": "view",
                "appliedTo": [applied],
            }
            data["filter"] = [*(filters or []), executed]


def _definitions_up(entity: Entity, data: dict[str, JsonValue], *, decision: bool) -> str:
    """Moves the one definition into `definitions`; answers what its filters apply to."""
    key_field, name_field, versions_field = _legacy_fields(decision)
    applied = "all"
    if "definitions" in data:
        definitions = arr(data.get("definitions"), "data.definitions") or []
        if len(definitions) == 1 and isinstance(definitions[0], dict):
            identifier = definitions[0].get("identifier")
            applied = identifier if isinstance(identifier, str) else "all"
    else:
        key = data.get(key_field)
        if key is not None and not isinstance(key, str):
            raise StepInputInvalid(f"data.{key_field}", f"must be a string, not {kind(key)}")
        data["definitions"] = []
        if key:
            # Optimize drew a random UUID; a stable one keeps a conversion repeatable.
            applied = str(uuid.uuid5(_IDENTIFIERS, f"{entity.get('id')}/{key}"))
            tenants = data.get("tenantIds")
            data["definitions"] = [
                {
                    "identifier": applied,
                    "key": key,
                    "name": data.get(name_field),
                    "displayName": None,
                    "versions": data.get(versions_field),
                    "tenantIds": tenants if tenants is not None else [None],
                }
            ]
    for field in (key_field, name_field, versions_field, "tenantIds"):
        data.pop(field, None)
    return applied


def down_7(entity: Entity, *, decision: bool) -> list[Loss]:
    losses: list[Loss] = []
    data = data_of(entity)
    if "definitions" not in data:
        return losses
    key_field, name_field, versions_field = _legacy_fields(decision)
    definitions = arr(data.pop("definitions"), "data.definitions") or []
    if len(definitions) > 1:
        losses.append(
            Loss("data.definitions", f"{len(definitions)} definitions; the format holds one")
        )
    first = obj(definitions[0], "data.definitions[0]") if definitions else None
    identifier = first.get("identifier") if first else None
    if first is not None:
        display = first.get("displayName")
        if display is not None and display != first.get("name"):
            losses.append(
                Loss("data.definitions[0].displayName", f'"{display}" has no place in the format')
            )
    data[key_field] = first.get("key") if first else None
    data[name_field] = first.get("name") if first else None
    data[versions_field] = first.get("versions") if first else []
    data["tenantIds"] = first.get("tenantIds") if first else []
    for position, entry in enumerate(arr(data.get("filter"), "data.filter") or []):
        if isinstance(entry, dict) and "appliedTo" in entry:
            applied = entry.pop("appliedTo")
            if len(definitions) <= 1 and applied not in (["all"], [identifier]):
                losses.append(
                    Loss(f"data.filter[{position}].appliedTo", "applies to only some definitions")
                )
    return losses
