"""Every site of the generated codecs, reached with every irregular value.

The generated decoders are unrolled per field, per spelling and per strictness,
and nested models are inlined, so one wrong site hides among many right ones.
Here the cases come from the field tables, so that a new field or model is
covered without a change: every field of every model, in both spellings (the
API key and the Python name), at every level it can occur (at the top, inside
``toAddress``/``fromAddress``, inside ``segments[i]``/``messages[i]``), and an
unknown key at every level, each given every irregular value. For each case:

- the fast decoder builds exactly what the careful decoder (the definition)
  builds, in every detail, or declines; it takes the values it exists for
  (timestamps: exactly the texts of the fast form, ``_timestamps.FAST_FORM``);
- ``from_dict`` gives the careful decoder's result or its errors;

on both codec paths (the ``codecs`` fixture), strict and not. The constructor
and every property setter get the same values, and must store or refuse each
exactly as ``_values.validate`` decides.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from types import ModuleType
from typing import Any

import pytest
from dateutil import tz

from codec_checks import outcome, shape
from fast_form import expected_fast
from purecloud_internal_message import Model, _codecs_py, _decode, _values
from purecloud_internal_message._codegen.plan import package_models
from purecloud_internal_message._fields import FieldSpec
from purecloud_internal_message._limits import MAX_DEPTH

MODELS = package_models()
UTC = timezone.utc
TS = "2024-05-01T12:34:56.789Z"
WHEN = datetime(2024, 5, 1, 12, 34, 56, 789000, tzinfo=UTC)
SPELLINGS = ("api", "py")

# What the fast path must do with a value: take it always, take it unless strict,
# never take it, or either (None: only agreement with the careful decoder is required).
ALWAYS, UNLESS_STRICT, NEVER = "always", "unless strict", "never"


class Text(str):
    """A str subclass: the careful decoder stores its text, the fast path declines."""


class When(datetime):
    """A datetime subclass."""


@dataclass(frozen=True)
class Case:
    """One value for one site, and what the fast path must do with it."""

    value: Any
    label: str
    fast: str | None = None

    def fast_expected(self, strict: bool) -> bool:
        return self.fast == ALWAYS or (self.fast == UNLESS_STRICT and not strict)


# -- where a value can be --------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """A field (or, with ``field`` None, an unknown key) of the object found by following
    ``path`` (field, list index or None) from a record of ``root``."""

    root: type[Model]
    path: tuple[tuple[FieldSpec, int | None], ...]
    field: FieldSpec | None

    @property
    def model(self) -> type[Model]:
        """The model of the object the site is in."""
        model = self.root
        for spec, _ in self.path:
            assert spec.model is not None
            model = spec.model
        return model

    @property
    def level(self) -> int:
        """The nesting level of that object: the record is 1, a nested object one more,
        an object in a list two more (the list is a level)."""
        return 1 + sum(1 if index is None else 2 for _, index in self.path)

    def __str__(self) -> str:
        steps = [self.root.__name__]
        for spec, index in self.path:
            steps.append(spec.key + ("" if index is None else f"[{index}]"))
        steps.append(self.field.key if self.field is not None else "<unknown key>")
        return ".".join(steps)


def _paths(
    model: type[Model], path: tuple[tuple[FieldSpec, int | None], ...]
) -> Iterator[tuple[tuple[FieldSpec, int | None], ...]]:
    yield path
    for spec in model.__model_fields__:
        if spec.model is None or any(step.model is spec.model for step, _ in path):
            continue
        # In a list, the second item: the first one is decoded before it.
        yield from _paths(spec.model, (*path, (spec, 1 if spec.is_model_list else None)))


def sites() -> list[Site]:
    found = []
    for root in MODELS:
        for path in _paths(root, ()):
            site = Site(root, path, None)
            found += [Site(root, path, spec) for spec in site.model.__model_fields__]
            found.append(site)
    return found


SITES = sites()


def spelled(spec: FieldSpec, spelling: str) -> str:
    return spec.key if spelling == "api" else spec.name


def regular(model: type[Model], spelling: str, within: tuple[type[Model], ...] = ()) -> Any:
    """A record of ``model`` with every field set to a regular value, in one spelling."""
    record: dict[str, Any] = {}
    for spec in model.__model_fields__:
        if spec.is_text:
            value: Any = spec.enum[0] if spec.enum else f"{spec.name} é"
        elif spec.is_timestamp:
            value = TS
        elif spec.model in within:  # a model nested in itself: not followed
            value = None
        else:
            assert spec.model is not None
            nested = regular(spec.model, spelling, (*within, model))
            value = [nested, copy.deepcopy(nested)] if spec.is_model_list else nested
        record[spelled(spec, spelling)] = value
    return record


def target_of(site: Site, record: dict[str, Any], spelling: str) -> dict[str, Any]:
    """The object ``site`` is in, within ``record``."""
    target: Any = record
    for spec, index in site.path:
        target = target[spelled(spec, spelling)]
        if index is not None:
            target = target[index]
    return target  # type: ignore[no-any-return]


# -- the irregular values ------------------------------------------------------------------


def timestamp_texts() -> list[Case]:
    """The canonical text, texts made from it by changing each character in turn
    (each digit to other digits, ASCII and not, each separator to other characters),
    and the other spellings of RFC 3339 and of the grammar. The fast path takes
    exactly the texts of the fast form (``fast_form.expected_fast``), storing what
    the careful decoder stores, and declines every other."""
    texts = [(TS, "canonical")]
    others = {
        "-": ["/", "0", "_"],
        "T": [" ", "t", "0"],
        ":": [".", "0", "-"],
        ".": [",", "0", ":"],
        "Z": ["z", "0", "+00:00", "+02:00", ""],
    }
    for position, char in enumerate(TS):
        if char.isdigit():
            digit = int(char)
            changes = [str((digit + 1) % 10), str((digit + 5) % 10), "\u0663"]
        else:
            changes = others[char]
        for change in changes:
            text = TS[:position] + change + TS[position + 1 :]
            texts.append((text, f"{position}:{char!r}->{change!r}"))
    texts += [
        ("2024-05-01T12:34:56Z", "no fraction"),
        ("2024-05-01T12:34:56.789123Z", "microseconds"),
        ("2024-05-01T12:34:56.789000Z", "microseconds, whole milliseconds"),
        ("2024-05-01T12:34:56.123456789Z", "nine fraction digits"),
        ("2024-05-01T14:34:56.789+02:00", "offset +02:00"),
        ("2024-05-01T07:04:56-0530", "offset -0530"),
        ("2024-05-01T14:34:56+02", "offset +02"),
        ("2024-05-01T12:34:56.789-00:00", "offset -00:00"),
        ("2024-05-01 12:34:56.789z", "space and z"),
        ("2024-05-01T24:00:00.000Z", "hour 24"),
        ("2024-02-30T12:34:56.789Z", "February 30"),
        ("2024-05-01T12:34:56.789", "naive text"),
        ("2024-05-01T12:34:56.1234567890Z", "ten fraction digits"),
        ("2024-05-01T12:34:56,789Z", "comma fraction"),
        ("20240501T123456.789Z", "basic format"),
        ("2024-W18-3T12:34:56.789Z", "week date"),
        ("0001-01-01T05:00:00+01:00", "year 1 with an offset"),
        ("0001-01-01T00:30:00+01:00", "before year 1 in UTC"),
        ("9999-12-31T23:00:00.000-00:30", "after year 9999 in UTC"),
    ]
    return [
        Case(text, label, NEVER if expected_fast(text) is None else ALWAYS) for text, label in texts
    ]


def datetimes(fast: str | None) -> list[Case]:
    return [
        Case(WHEN, "datetime UTC", fast),
        Case(WHEN.replace(tzinfo=None), "naive datetime", fast),
        Case(WHEN.replace(microsecond=789123), "datetime with microseconds", fast),
        Case(WHEN.astimezone(timezone(timedelta(hours=2))), "datetime +02:00", fast),
        Case(WHEN.replace(tzinfo=tz.tzutc()), "datetime tzutc (the SDK's)", fast),
        Case(WHEN.replace(tzinfo=tz.tzoffset(None, 7200)), "datetime tzoffset +2h", fast),
        Case(WHEN.replace(tzinfo=timezone(timedelta(0))), "datetime UTC, another instance", fast),
        Case(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))), "before year 1 in UTC"),
        Case(When(2024, 5, 1, tzinfo=UTC), "datetime subclass"),
    ]


def enum_values(spec: FieldSpec) -> list[Case]:
    """Each documented value in other cases, unknown values, and one holding a surrogate."""
    assert spec.enum is not None
    cases = []
    for value in spec.enum:
        for variant in {value, value.upper(), value.capitalize(), value.swapcase()}:
            cases.append(Case(variant, f"enum {variant!r}", ALWAYS))
        cases.append(Case(value + "\ud800", "enum value with a lone surrogate"))
        cases.append(Case(value + "s", "enum value plus a letter", UNLESS_STRICT))
    cases += [
        Case("parked", "unknown enum value", UNLESS_STRICT),
        Case("NEW_VALUE", "unknown enum value", UNLESS_STRICT),
        Case("c\u00f6nnected", "unknown non-ASCII enum value", UNLESS_STRICT),
    ]
    return cases


def field_cases(spec: FieldSpec) -> list[Case]:
    """Every irregular value for ``spec`` (and the regular ones of its kind)."""
    text = (UNLESS_STRICT if spec.enum else ALWAYS) if spec.is_text else None
    cases = [
        Case(None, "null", ALWAYS),
        Case("text", "text", text),
        Case("", "empty text", text),
        Case("\u00e9 \U0001f600", "non-ASCII text", text),
        Case(Text("text"), "str subclass"),
        Case("\ud800", "lone surrogate"),
        Case("a\udfffb", "lone surrogate inside"),
        Case(5, "number"),
        Case(1.5, "float"),
        Case(True, "bool"),
        Case(b"x", "bytes"),
        Case({}, "empty object", ALWAYS if spec.is_model else None),
        Case(
            {"unknownKey": 1},
            "object with an unknown key",
            UNLESS_STRICT if spec.is_model else None,
        ),
        Case([], "empty list", ALWAYS if spec.is_model_list else None),
        Case([{}], "list of an object", ALWAYS if spec.is_model_list else None),
        Case([{}, 5], "list holding a number"),
        Case([None], "list holding null"),
        Case(({},), "tuple"),
        *datetimes(ALWAYS if spec.is_timestamp else None),
    ]
    if spec.is_timestamp:
        cases += timestamp_texts()
    if spec.enum:
        cases += enum_values(spec)
    return cases


def nested_list(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def unknown_cases(site: Site) -> list[tuple[Any, Case]]:
    """(key, case) pairs for an unknown key in the object of ``site``."""
    # The deepest value an unknown field may hold there: its outer list sits one
    # level below the object, its innermost one at the limit.
    deepest = MAX_DEPTH - site.level
    return [
        ("unknownKey", Case(1, "number", UNLESS_STRICT)),
        ("unknownKey", Case({"a": [1, None, "s", 1.5]}, "object", UNLESS_STRICT)),
        ("unknownKey", Case(TS, "timestamp text", UNLESS_STRICT)),
        ("unknownKey", Case(WHEN.replace(tzinfo=tz.tzutc()), "datetime", UNLESS_STRICT)),
        ("unknownKey", Case(nested_list(deepest), "nested to the limit", UNLESS_STRICT)),
        ("unknownKey", Case(nested_list(deepest + 1), "nested past the limit")),
        ("unknownKey", Case("\ud800", "lone surrogate")),
        ("unknownKey", Case(math.nan, "NaN")),
        ("unknownKey", Case(10**700, "integer past the limit")),
        ("\ud800", Case(1, "lone surrogate key")),
        ("\u00e9", Case(1, "non-ASCII key", UNLESS_STRICT)),
        (Text("unknownKey"), Case(1, "str subclass key")),
        (1, Case("x", "number key")),
    ]


# -- the checks ------------------------------------------------------------------------------


def check(
    codecs: ModuleType, root: type[Model], data: Any, strict: bool, case: Case, where: str
) -> None:
    """The fast path and ``from_dict`` of ``codecs`` agree with the careful decoder."""
    functions = codecs.CODECS[root]
    label = f"{where} = {case.label} ({'strict' if strict else 'not strict'})"
    careful = outcome(_decode.decode, root, data, strict)
    assert outcome(functions["from_dict"], root, data, strict=strict) == careful, label
    try:
        quick = functions["fast_decode"](data, strict)
    except ValueError:
        # fromisoformat refusing text of the canonical shape: from_dict declines then.
        assert codecs is _codecs_py, label
        quick = None
    if quick is not None:
        assert careful == ("ok", shape(quick)), label
        if case.fast == NEVER:
            pytest.fail(f"the fast path took {label}")
    elif case.fast_expected(strict):
        pytest.fail(f"the fast path declined {label}")


@pytest.mark.parametrize("site", SITES, ids=str)
def test_every_value_at_every_site(codecs: ModuleType, site: Site) -> None:
    for spelling in SPELLINGS:
        for strict in (False, True):
            if site.field is None:
                for key, case in unknown_cases(site):
                    data = regular(site.root, spelling)
                    target_of(site, data, spelling)[key] = case.value
                    check(codecs, site.root, data, strict, case, f"{site} {key!r} ({spelling})")
                continue
            key = spelled(site.field, spelling)
            for case in field_cases(site.field):
                data = regular(site.root, spelling)
                target_of(site, data, spelling)[key] = case.value
                check(codecs, site.root, data, strict, case, f"{site} as {key!r}")


@pytest.mark.parametrize("site", [site for site in SITES if site.field is not None], ids=str)
def test_every_site_in_the_other_spelling_and_in_both(codecs: ModuleType, site: Site) -> None:
    """A field spelled unlike its neighbours is the careful decoder's; spelled both ways,
    an error that names the two spellings in the order they came."""
    assert site.field is not None
    spec = site.field
    for spelling, other in (SPELLINGS, SPELLINGS[::-1]):
        if spelled(spec, spelling) == spelled(spec, other):
            continue
        for strict in (False, True):
            data = regular(site.root, spelling)
            target = target_of(site, data, spelling)
            value = target.pop(spelled(spec, spelling))
            target[spelled(spec, other)] = value
            check(codecs, site.root, data, strict, Case(value, "other spelling"), str(site))

            data = regular(site.root, spelling)
            target_of(site, data, spelling)[spelled(spec, other)] = value
            check(codecs, site.root, data, strict, Case(value, "both spellings"), str(site))
            errors = outcome(_decode.decode, site.root, data, strict)
            first, second = spelled(spec, spelling), spelled(spec, other)
            message = f"field {spec.name!r} is given twice, as {first!r} and {second!r}"
            assert message in [text for _, text in errors[1]], errors


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_the_regular_record_takes_the_fast_path(
    codecs: ModuleType, model: type[Model], spelling: str
) -> None:
    """The base every site's case is built on is the fast path's own (so each case
    reaches the site it is meant for)."""
    for strict in (False, True):
        check(codecs, model, regular(model, spelling), strict, Case(None, "record", ALWAYS), "")


def test_every_site_is_there() -> None:
    """Generated from the tables: every field of every model, at every level."""
    named = {str(site) for site in SITES}
    for model in MODELS:
        for spec in model.__model_fields__:
            assert f"{model.__name__}.{spec.key}" in named
    assert "InternalMessage.segments[1].startTime" in named
    assert "InternalMessage.messages[1].messageTime" in named
    assert "InternalMessage.fromAddress.addressRaw" in named
    assert "InternalMessage.toAddress.<unknown key>" in named


# -- the constructor and the setters ------------------------------------------------------------


def instances() -> list[Case]:
    """Model instances, in and out of lists, of each model and of a subclass of each."""
    cases = []
    for model in MODELS:
        sub = type(f"Sub{model.__name__}", (model,), {"__slots__": ()})
        cases += [
            Case(model(), model.__name__),
            Case(sub(), f"subclass of {model.__name__}"),
            Case([model(), sub()], f"list of {model.__name__}"),
            Case([model(), None], f"list of {model.__name__} and null"),
            Case((model(),), f"tuple of {model.__name__}"),
        ]
    return cases


def stored(instance: Model, spec: FieldSpec) -> Any:
    return shape(getattr(instance, spec.slot))


def assert_did_as_validate(
    instance: Model, spec: FieldSpec, done: Any, expected: Any, label: str
) -> None:
    """``done`` (the outcome of storing a value into ``instance``) is what ``expected``
    (``validate``'s outcome) says: the value it returns stored, with no kept timestamp
    text, or the same error."""
    if expected[0] != "ok":
        assert done == expected, label
        return
    assert done == ("ok", shape(None)), label
    assert stored(instance, spec) == expected[1], label
    if spec.text_slot is not None:
        assert getattr(instance, spec.text_slot) is None, label


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_constructor_and_setters_decide_as_validate(codecs: ModuleType, model: type[Model]) -> None:
    init = codecs.CODECS[model]["__init__"]
    for spec in model.__model_fields__:
        for case in [*field_cases(spec), *instances()]:
            value = case.value
            label = f"{model.__name__}.{spec.name} = {case.label}"
            expected = outcome(_values.validate, model, spec, value)

            instance = model.__new__(model)
            done = outcome(init, instance, **{spec.name: value})
            assert_did_as_validate(instance, spec, done, expected, label)
            assert outcome(model, **{spec.name: value})[0] == expected[0], label

            # A setter on a decoded instance, whose timestamps keep their text.
            instance = codecs.CODECS[model]["from_dict"](model, regular(model, "api"))
            before = stored(instance, spec)
            done = outcome(setattr, instance, spec.name, value)
            assert_did_as_validate(instance, spec, done, expected, label)
            if expected[0] != "ok":
                assert stored(instance, spec) == before, label  # a refusal changes nothing
