"""What every step shares: the JSON an entity is, the loss it reports going down, and the error
it raises for input of the wrong shape (which names the field; the caller adds the entity)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.json_document import JsonValue

Entity = dict[str, JsonValue]


class StepInputInvalid(Exception):
    """A field a step reads has a shape no release wrote."""

    def __init__(self, field: str, text: str) -> None:
        super().__init__(f"field '{field}' {text}")
        self.field = field
        self.text = text


@dataclass(frozen=True, slots=True)
class Loss:
    """What an older format cannot hold: the field and what is lost."""

    field: str
    text: str

    def __str__(self) -> str:
        return f"{self.field}: {self.text}"


def obj(value: JsonValue, field: str) -> dict[str, JsonValue] | None:
    """`value` when it is an object, None when null or missing; any other shape is refused."""
    if value is None or isinstance(value, dict):
        return value
    raise StepInputInvalid(field, f"must be an object, not {kind(value)}")


def arr(value: JsonValue, field: str) -> list[JsonValue] | None:
    if value is None or isinstance(value, list):
        return value
    raise StepInputInvalid(field, f"must be an array, not {kind(value)}")


def data_of(entity: Entity) -> dict[str, JsonValue]:
    data = entity.get("data")
    if isinstance(data, dict):
        return data
    raise StepInputInvalid("data", f"must be an object, not {kind(data)}")


def configuration_of(data: dict[str, JsonValue]) -> dict[str, JsonValue] | None:
    return obj(data.get("configuration"), "data.configuration")


def ensure(target: dict[str, JsonValue], key: str, *, default: JsonValue) -> None:
    """Sets `key` only when it is missing or null, as Optimize's scripts did."""
    if target.get(key) is None:
        target[key] = default


def kind(value: object) -> str:
    match value:
        case None:
            return "null"
        case bool():
            return "a boolean"
        case int() | float():
            return "a number"
        case str():
            return "a string"
        case list():
            return "an array"
        case dict():
            return "an object"
    return type(value).__name__


def copy_json(value: JsonValue) -> JsonValue:
    """A deep copy of parsed JSON, so a chain of steps never changes what it was given."""
    if isinstance(value, dict):
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    return value
