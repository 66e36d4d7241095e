"""The condition tree of a risk rule: its JSON shape and its validation.

A tree is plain JSON, stored as is in the rule's version:

    {"all": [node, ...]}     every child holds
    {"any": [node, ...]}     at least one child holds
    {"not": node}            the child does not hold
    {"field": "booking_lead_hours", "op": "lt", "value": 24}
    {"field": "journey_origin", "op": "in", "value": ["GRU", "BOG"],
     "value_label": "source-country airports"}

`value_label` is optional: the name an analyst gives a value list, quoted by explanations.
Errors name the path of the offending part ("all[2].value: 'XX' is not an airport code") so the
rule builder can show each next to its input.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from typing import Any

from .catalogue import FIELDS, OP_VALUE_SHAPE, FieldSpec, FieldType, Op

MAX_DEPTH = 12
_GROUPS = ("all", "any", "not")
_LEAF_KEYS = frozenset({"field", "op", "value", "value_label"})
_AIRPORT = re.compile(r"[A-Z]{3}")
# Alpha-3 codes, plus the one-letter D that ICAO 9303 uses for Germany (codes.md).
_COUNTRY = re.compile(r"[A-Z]{3}|D")

_SCALAR_KIND = {
    FieldType.AIRPORT_SET: FieldType.AIRPORT,
    FieldType.COUNTRY_SET: FieldType.COUNTRY,
    FieldType.CHOICE_SET: FieldType.CHOICE,
}


class RuleError(ValueError):
    """A condition tree that cannot be evaluated; `errors` name the paths at fault."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def validate_condition(tree: object, *, known_airports: Collection[str] | None = None) -> list[str]:
    """Check a condition tree against the field catalogue; return one error per fault.

    With `known_airports` (the IATA codes of the Airport table), airport values must also be
    among them; otherwise any three letters pass, as IATA location identifiers are.
    """
    errors: list[str] = []
    airports = {a.upper() for a in known_airports} if known_airports is not None else None
    _check_node(tree, "", 0, errors, airports)
    return errors


def _join(path: str, part: str) -> str:
    return f"{path}.{part}" if path and not part.startswith("[") else f"{path}{part}"


def _at(path: str, part: str) -> str:
    """The path of a key, for messages: `value` at the root, `all[2].value` below."""
    return _join(path, part) if path else part


def _check_node(
    node: object, path: str, depth: int, errors: list[str], airports: set[str] | None
) -> None:
    where = path or "condition"
    if depth > MAX_DEPTH:
        errors.append(f"{where}: conditions nest more than {MAX_DEPTH} levels deep")
        return
    if not isinstance(node, Mapping):
        errors.append(f"{where}: expected a group or a condition, got {_kind(node)}")
        return
    groups = [key for key in _GROUPS if key in node]
    if groups:
        if len(node) != 1:
            extra = sorted(str(k) for k in node if k != groups[0])
            errors.append(f"{where}: a group has one key, '{groups[0]}', not also {extra}")
            return
        key = groups[0]
        child = node[key]
        if key == "not":
            _check_node(child, _at(path, "not"), depth + 1, errors, airports)
            return
        if not isinstance(child, list) or not child:
            errors.append(f"{_at(path, key)}: expected a non-empty list of conditions")
            return
        for index, item in enumerate(child):
            _check_node(item, _at(path, f"{key}[{index}]"), depth + 1, errors, airports)
        return
    _check_leaf(node, path, errors, airports)


def _check_leaf(
    leaf: Mapping[str, Any], path: str, errors: list[str], airports: set[str] | None
) -> None:
    unknown = sorted(str(k) for k in leaf if k not in _LEAF_KEYS)
    if unknown:
        errors.append(f"{path or 'condition'}: unknown keys {unknown}")
    name = leaf.get("field")
    spec = FIELDS.get(name) if isinstance(name, str) else None
    if spec is None:
        errors.append(f"{_at(path, 'field')}: unknown field {name!r}")
        return
    op: Op | None
    try:
        op = Op(str(leaf.get("op")))
    except ValueError:
        op = None
    if op is None or op not in spec.ops:
        allowed = ", ".join(o.value for o in spec.ops)
        errors.append(
            f"{_at(path, 'op')}: {leaf.get('op')!r} is not an operator of "
            f"{spec.name} (one of {allowed})"
        )
        return
    label = leaf.get("value_label")
    if label is not None and (not isinstance(label, str) or len(label) > 120):
        errors.append(f"{_at(path, 'value_label')}: expected a text of at most 120 characters")
    _check_value(spec, op, leaf.get("value"), _at(path, "value"), errors, airports)


def _check_value(
    spec: FieldSpec,
    op: Op,
    value: object,
    where: str,
    errors: list[str],
    airports: set[str] | None,
) -> None:
    shape = OP_VALUE_SHAPE[op]
    if shape == "none":
        if value is not None:
            errors.append(f"{where}: '{op.value}' takes no value")
        return
    kind = _SCALAR_KIND.get(spec.type, spec.type)
    if shape == "list":
        if not isinstance(value, list) or not value:
            errors.append(f"{where}: expected a non-empty list")
            return
        for index, item in enumerate(value):
            _check_scalar(spec, kind, item, f"{where}[{index}]", errors, airports)
        return
    if shape == "range":
        if not isinstance(value, list) or len(value) != 2:
            errors.append(f"{where}: expected [low, high]")
            return
        for index, item in enumerate(value):
            _check_scalar(spec, kind, item, f"{where}[{index}]", errors, airports)
        if all(_is_number(v) for v in value) and value[0] > value[1]:
            errors.append(f"{where}: low {value[0]} is above high {value[1]}")
        return
    if op in (Op.CONTAINS, Op.STARTSWITH) and kind is FieldType.TEXT:
        if not isinstance(value, str) or not value.strip():
            errors.append(f"{where}: expected a text")
        return
    _check_scalar(spec, kind, value, where, errors, airports)


def _check_scalar(
    spec: FieldSpec,
    kind: FieldType,
    value: object,
    where: str,
    errors: list[str],
    airports: set[str] | None,
) -> None:
    if kind is FieldType.NUMBER:
        if not _is_number(value):
            errors.append(f"{where}: {value!r} is not a number")
        return
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{where}: expected a text, got {_kind(value)}")
        return
    code = value.strip().upper()
    if kind is FieldType.AIRPORT:
        if not _AIRPORT.fullmatch(code):
            errors.append(f"{where}: {value!r} is not an airport code")
        elif airports is not None and code not in airports:
            errors.append(f"{where}: {value!r} is not a known airport")
    elif kind is FieldType.COUNTRY:
        if not _COUNTRY.fullmatch(code):
            errors.append(f"{where}: {value!r} is not a country code (alpha-3)")
    elif kind is FieldType.CHOICE and value not in spec.choice_codes:
        allowed = ", ".join(sorted(spec.choice_codes))
        errors.append(f"{where}: {value!r} is not one of {allowed}")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    return {dict: "an object", list: "a list", str: "a text", bool: "true/false"}.get(
        type(value), type(value).__name__
    )
