"""Evaluate condition trees over a flight frame, explain matches, and score rules.

Evaluation walks the tree once and computes each node for every traveller at once, as a pandas
nullable boolean Series. The logic is three-valued (Kleene, as pandas' "boolean" dtype does it):
a condition on a value that is not known is NA, `not NA` is NA, `NA and False` is False,
`NA or True` is True, and a traveller matches only where the whole tree is True. So a traveller
without a reservation never matches "paid cash" nor "not paid cash" — only "is not known".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .catalogue import FIELDS, SET_TYPES, FieldSpec, FieldType, Op
from .conditions import RuleError, validate_condition
from .frame import typed_frame

Condition = Mapping[str, Any]

_COUNTRY_ALIASES = {"D": "DEU"}


@dataclass(frozen=True, slots=True)
class Rule:
    """One version of a risk rule as the evaluator needs it."""

    id: int | str
    version: int
    condition: Condition
    weight: int
    category: str
    name: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.weight <= 100:
            raise ValueError(f"rule {self.id}: weight {self.weight} is not within 0 to 100")


@dataclass(frozen=True, slots=True)
class RuleHit:
    """A traveller the rule flagged, with the words an officer reads."""

    traveller_key: str
    rule_id: int | str
    rule_version: int
    weight: int
    category: str
    explanation: str


def evaluate(rule: Rule | Condition, frame: pd.DataFrame) -> pd.Series:
    """Which travellers of the frame the rule matches: a bool Series on the frame's index.

    Raises `RuleError` when the tree does not validate, so that a broken rule fails loudly
    instead of flagging nobody.
    """
    tree = _checked(rule)
    return _node(tree, frame, None).fillna(False).astype(bool)


def score_rule_hits(rules: Sequence[Rule], frame: pd.DataFrame) -> list[RuleHit]:
    """Evaluate every rule over the flight and explain each traveller it matches.

    Rules are evaluated column-wise, keeping every node's result; the matched rows are then
    explained from those results without evaluating anything again. Hits come rule by rule,
    travellers in frame order.
    """
    hits: list[RuleHit] = []
    for rule in rules:
        tree = _checked(rule)
        truths: _Truths = {}
        matched = _node(tree, frame, truths).fillna(False).to_numpy(dtype=bool)
        positions = np.flatnonzero(matched)
        for position, words in zip(
            positions, _explanations(tree, frame, positions, truths), strict=True
        ):
            hits.append(
                RuleHit(
                    traveller_key=str(frame.index[position]),
                    rule_id=rule.id,
                    rule_version=rule.version,
                    weight=rule.weight,
                    category=rule.category,
                    explanation=words,
                )
            )
    return hits


def explain(rule: Rule | Condition, frame_row: pd.Series) -> str:
    """Say in plain words why the rule matches this traveller (a row of the flight frame).

    Only the conditions that hold are said: every child of an `all`, the children of an `any`
    that matched, and for a `not` what the traveller is instead. Returns "" when the rule does
    not match the row.
    """
    tree = _checked(rule)
    row = typed_frame(frame_row.to_frame().T)
    truths: _Truths = {}
    if not bool(_node(tree, row, truths).fillna(False).iloc[0]):
        return ""
    return _explanations(tree, row, np.array([0]), truths)[0]


# --- evaluation --------------------------------------------------------------------------------

# Each node's result per row (True, False or None for unknown), keyed by the node's id, kept
# while a rule is evaluated so that explaining a hit reads results instead of recomputing.
_Truths = dict[int, np.ndarray]


def _checked(rule: Rule | Condition) -> Condition:
    tree = rule.condition if isinstance(rule, Rule) else rule
    errors = validate_condition(tree)
    if errors:
        raise RuleError(errors)
    return tree


def _node(node: Condition, frame: pd.DataFrame, truths: _Truths | None) -> pd.Series:
    if "all" in node or "any" in node:
        is_all = "all" in node
        children = node["all"] if is_all else node["any"]
        result = _node(children[0], frame, truths)
        for child in children[1:]:
            other = _node(child, frame, truths)
            result = result & other if is_all else result | other
    elif "not" in node:
        result = ~_node(node["not"], frame, truths)
    else:
        result = _leaf(node, frame)
    if truths is not None:
        truths[id(node)] = result.to_numpy(dtype=object, na_value=None)
    return result


def _leaf(leaf: Condition, frame: pd.DataFrame) -> pd.Series:
    spec = FIELDS[leaf["field"]]
    op = Op(leaf["op"])
    column = frame[spec.name]
    missing = column.isna().to_numpy(dtype=bool)
    if op is Op.IS_EMPTY:
        return pd.Series(missing, index=frame.index, dtype="boolean")
    if op is Op.IS_NOT_EMPTY:
        return pd.Series(~missing, index=frame.index, dtype="boolean")
    hit = _compare(spec, op, leaf.get("value"), column)
    result = pd.array(hit, dtype="boolean")
    result[missing] = pd.NA
    return pd.Series(result, index=frame.index)


def _compare(spec: FieldSpec, op: Op, value: Any, column: pd.Series) -> np.ndarray:
    """The comparison for every row as a numpy bool array; rows with no value are masked after."""
    if spec.type is FieldType.BOOLEAN:
        truth = column.fillna(False).to_numpy(dtype=bool)
        return truth if op is Op.IS_TRUE else ~truth
    if spec.type in SET_TYPES:
        wanted = [value] if op is Op.CONTAINS else value
        members = _has_any(column, {_normal(spec, v) for v in wanted})
        return ~members if op is Op.NOT_IN else members
    if spec.type is FieldType.NUMBER:
        numbers = column.to_numpy(dtype=float)
        return _compare_numbers(op, value, numbers)
    codes = column
    if op in (Op.EQ, Op.NE):
        equal = (codes == _normal(spec, value)).to_numpy(dtype=bool)
        return equal if op is Op.EQ else ~equal
    if op in (Op.IN, Op.NOT_IN):
        inside = codes.isin({_normal(spec, v) for v in value}).to_numpy(dtype=bool)
        return inside if op is Op.IN else ~inside
    text = codes.fillna("").astype(str)
    needle = _normal(spec, value)
    if op is Op.CONTAINS:
        return text.str.contains(needle, regex=False).to_numpy(dtype=bool)
    return text.str.startswith(needle).to_numpy(dtype=bool)


def _compare_numbers(op: Op, value: Any, numbers: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        match op:
            case Op.EQ:
                return numbers == value
            case Op.NE:
                return numbers != value
            case Op.LT:
                return numbers < value
            case Op.LE:
                return numbers <= value
            case Op.GT:
                return numbers > value
            case Op.GE:
                return numbers >= value
            case Op.BETWEEN:
                return (numbers >= value[0]) & (numbers <= value[1])
            case Op.IN:
                return np.isin(numbers, value)
            case Op.NOT_IN:
                return ~np.isin(numbers, value)
    raise RuleError([f"{op.value} does not apply to numbers"])


def _has_any(column: pd.Series, wanted: set[str]) -> np.ndarray:
    """Whether each row's set shares a member with `wanted`, without a Python loop over rows."""
    flat = column.reset_index(drop=True).explode()
    found = flat.isin(wanted).to_numpy(dtype=bool)
    result = np.zeros(len(column), dtype=bool)
    result[flat.index.to_numpy()[found]] = True
    return result


def _normal(spec: FieldSpec, value: Any) -> Any:
    """A condition's value as the frame holds it: codes and texts upper case, D as DEU."""
    if spec.type is FieldType.NUMBER or not isinstance(value, str):
        return value
    if spec.type in (FieldType.CHOICE, FieldType.CHOICE_SET):
        return value
    code = " ".join(value.split()).upper()
    if spec.type in (FieldType.COUNTRY, FieldType.COUNTRY_SET):
        return _COUNTRY_ALIASES.get(code, code)
    return code


# --- explanation -------------------------------------------------------------------------------


def _explanations(
    tree: Condition, frame: pd.DataFrame, positions: np.ndarray, truths: _Truths
) -> list[str]:
    """The words for each matched row (by position), from the node results of evaluation."""
    rows = frame.iloc[positions].to_dict("records")
    return [
        "; ".join(dict.fromkeys(_why(tree, row, int(position), truths, holds=True)))
        for position, row in zip(positions, rows, strict=True)
    ]


def _why(
    node: Condition, row: Mapping[str, Any], position: int, truths: _Truths, *, holds: bool
) -> list[str]:
    """Phrases saying why `node` is `holds` (True or False) for the row."""
    if "not" in node:
        return _why(node["not"], row, position, truths, holds=not holds)
    if "all" in node or "any" in node:
        children = node["all"] if "all" in node else node["any"]
        # An all that holds, or an any that fails, needs every child; otherwise only the
        # children that decided it.
        every = ("all" in node) == holds
        phrases: list[str] = []
        for child in children:
            if every or truths[id(child)][position] is holds:
                phrases.extend(_why(child, row, position, truths, holds=holds))
        return phrases
    return [_phrase(node, row, holds=holds)]


def _phrase(leaf: Condition, values: Mapping[str, Any], *, holds: bool) -> str:
    spec = FIELDS[leaf["field"]]
    op = Op(leaf["op"])
    value = values[spec.name]
    if op in (Op.IS_EMPTY, Op.IS_NOT_EMPTY):
        if (op is Op.IS_EMPTY) == holds:
            return f"{spec.label.lower()} not known"
        return _says(spec, values, value)
    if spec.type is FieldType.BOOLEAN:
        positive = (op is Op.IS_TRUE) == holds
        return _fill(spec.says, values) if positive else _fill(spec.says_not, values)
    wanted: Any = leaf.get("value")
    shown = value
    if spec.type in SET_TYPES and _inside(op, holds):
        # Quote only the members that made the match: "route through GRU", not the whole route.
        targets = {_normal(spec, v) for v in ([wanted] if op is Op.CONTAINS else wanted)}
        shown = tuple(v for v in value if v in targets)
    text = _says(spec, values, shown)
    suffix = _suffix(op, leaf, holds=holds, is_set=spec.type in SET_TYPES)
    return f"{text} ({suffix})" if suffix else text


def _inside(op: Op, holds: bool) -> bool:
    """Whether the traveller's value is among (or contains) the condition's values."""
    if op in (Op.IN, Op.CONTAINS):
        return holds
    return op is Op.NOT_IN and not holds


def _says(spec: FieldSpec, values: Mapping[str, Any], value: Any) -> str:
    return _fill(spec.says, values, value=_show(value))


def _fill(template: str, values: Mapping[str, Any], **extra: str) -> str:
    return template.format_map(_Shown(values, extra))


class _Shown(Mapping[str, str]):
    """A row's values as an explanation prints them, read only for the placeholders used."""

    def __init__(self, values: Mapping[str, Any], extra: Mapping[str, str]) -> None:
        self._values = values
        self._extra = extra

    def __getitem__(self, key: str) -> str:
        if key in self._extra:
            return self._extra[key]
        # An unknown placeholder prints "?" rather than failing a whole flight's screening.
        return _show(self._values.get(key))

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def _suffix(op: Op, leaf: Condition, *, holds: bool, is_set: bool) -> str:
    """What the condition asked, when the traveller's value alone does not say it."""
    wanted: Any = leaf.get("value")
    label = leaf.get("value_label")
    if (op in (Op.IN, Op.NOT_IN) or (is_set and op is Op.CONTAINS)) and _inside(op, holds):
        return label or ""
    if op in (Op.IN, Op.NOT_IN):
        return f"not in {label}" if label else f"none of {_show_list(wanted)}"
    if op is Op.CONTAINS:
        if is_set:
            return f"without {_show(wanted)}"
        return f"contains '{wanted}'" if holds else f"does not contain '{wanted}'"
    if op is Op.EQ:
        return "" if holds else f"not {_show(wanted)}"
    if op is Op.NE:
        return f"not {_show(wanted)}" if holds else ""
    if op is Op.STARTSWITH:
        return f"starts with '{wanted}'" if holds else f"does not start with '{wanted}'"
    if op is Op.BETWEEN:
        text = f"between {_show(wanted[0])} and {_show(wanted[1])}"
    else:
        comparison = {Op.LT: "under", Op.LE: "at most", Op.GT: "over", Op.GE: "at least"}
        text = f"{comparison[op]} {_show(wanted)}"
    return text if holds else f"not {text}"


def _show(value: Any) -> str:
    if value is None or value is pd.NA:
        return "?"
    if isinstance(value, float):
        if np.isnan(value):
            return "?"
        return f"{value:.0f}" if value.is_integer() else f"{value:.1f}"
    if isinstance(value, tuple | list):
        return ", ".join(_show(v) for v in value)
    return str(value)


def _show_list(values: list[Any], limit: int = 6) -> str:
    shown = ", ".join(_show(v) for v in values[:limit])
    return shown if len(values) <= limit else f"{shown}… ({len(values)} in all)"
