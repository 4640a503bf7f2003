from __future__ import annotations

import msgspec

from domain.errors import ImportFileInvalid
from domain.json_document import JsonValue


def decode_import_body(body: bytes) -> JsonValue:
    """The JSON of an import file; an empty body or anything that is not JSON is refused as the
    contract's `importFileInvalid`."""
    if not body.strip():
        raise ImportFileInvalid("The import file is empty.")
    try:
        value: JsonValue = msgspec.json.decode(body)
    except msgspec.DecodeError as error:
        raise ImportFileInvalid(f"The import file is not valid JSON: {error}.") from None
    return value
