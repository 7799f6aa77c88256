"""Avro schemas derived from the pydantic models, and record conversion both ways.

One source of truth (the models) avoids the classic drift between hand-written `.avsc` files and
the code that fills them. The generated files are committed so non-Python consumers can use them.
"""

from __future__ import annotations

import types
import typing
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from schemas.models import AMOUNT_SCALE

NAMESPACE = "dev.callstream"
DECIMAL_PRECISION = 18

AvroSchema = dict[str, Any]


def avro_schema(model: type[BaseModel]) -> AvroSchema:
    """The Avro record schema for `model`; nested records are defined once, then named."""
    return _record(model, defined=set())


def _record(model: type[BaseModel], defined: set[str]) -> AvroSchema | str:
    full_name = f"{NAMESPACE}.{model.__name__}"
    if full_name in defined:
        return full_name
    defined.add(full_name)
    fields = []
    for name, info in model.model_fields.items():
        field: dict[str, Any] = {"name": name, "type": _type(info.annotation, defined)}
        if info.description:
            field["doc"] = info.description
        extra = info.json_schema_extra
        if isinstance(extra, dict) and "sensitive" in extra:
            field["sensitive"] = extra["sensitive"]
        if not info.is_required():
            default = _default(info)
            if default is not _NO_DEFAULT:
                field["default"] = default
        fields.append(field)
    schema: AvroSchema = {"type": "record", "name": model.__name__, "namespace": NAMESPACE, "fields": fields}
    if model.__doc__:
        schema["doc"] = " ".join(model.__doc__.split())
    return schema


_NO_DEFAULT = object()


def _default(info: Any) -> Any:
    """Avro defaults are what let an old reader read new records: every optional field gets one."""
    if info.default_factory is not None:
        produced = info.default_factory()
        if isinstance(produced, list | dict):
            return produced
        if isinstance(produced, BaseModel):
            return to_avro_record(produced)
        return _NO_DEFAULT  # e.g. a timestamp factory: no stable default
    value = info.default
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return _NO_DEFAULT


def _type(annotation: Any, defined: set[str]) -> Any:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        if len(members) != 1:
            raise TypeError(f"only Optional[X] unions are supported, got {annotation}")
        return ["null", _type(members[0], defined)]
    if origin is typing.Annotated:
        return _type(get_args(annotation)[0], defined)
    if origin is list:
        return {"type": "array", "items": _type(get_args(annotation)[0], defined)}
    if origin is dict:
        key, value = get_args(annotation)
        if key is not str:
            raise TypeError("Avro maps need string keys")
        return {"type": "map", "values": _type(value, defined)}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _record(annotation, defined)
    primitive = {str: "string", int: "long", float: "double", bool: "boolean", bytes: "bytes"}
    if annotation in primitive:
        return primitive[annotation]
    if annotation is Decimal:
        return {
            "type": "bytes",
            "logicalType": "decimal",
            "precision": DECIMAL_PRECISION,
            "scale": AMOUNT_SCALE,
        }
    if annotation is datetime:
        return {"type": "long", "logicalType": "timestamp-micros"}
    if annotation is date:
        return {"type": "int", "logicalType": "date"}
    raise TypeError(f"no Avro mapping for {annotation!r}")


def to_avro_record(model: BaseModel) -> dict[str, Any]:
    """A dict fastavro can write: pydantic's python-mode dump already has Decimal/date/datetime."""
    return model.model_dump(mode="python")
