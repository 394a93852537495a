"""The declarative e-form schema of a procedure (SPEC §3 item 3).

A schema is ``{"fields": [{"name", "label", "type", "required", …}]}``; it is checked
against a JSON Schema so an admin cannot publish a form the Portal cannot render.
"""

import re
from datetime import date

import jsonschema
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

FIELD_TYPES = [
    "text",
    "textarea",
    "date",
    "number",
    "select",
    "checkbox",
    "email",
    "phone",
    "id_number",
]

META_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "fields": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "label", "type"],
                "properties": {
                    "name": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                    "label": {"type": "string", "minLength": 1},
                    "type": {"enum": FIELD_TYPES},
                    "required": {"type": "boolean"},
                    "max_length": {"type": "integer", "minimum": 1},
                    "min": {"type": "number"},
                    "max": {"type": "number"},
                    "choices": {
                        "type": "array",
                        "items": {"type": "string"},
                        "minItems": 1,
                    },
                    "help": {"type": "string"},
                },
                "allOf": [
                    {
                        "if": {"properties": {"type": {"const": "select"}}},
                        "then": {"required": ["choices"]},
                        "else": {"not": {"required": ["choices"]}},
                    }
                ],
            },
        }
    },
}


class FormSchemaError(ValueError):
    """An e-form schema that does not follow :data:`META_SCHEMA`."""


def validate_form_schema(schema: dict) -> None:
    if not schema:
        return
    try:
        jsonschema.validate(schema, META_SCHEMA)
    except jsonschema.ValidationError as error:
        where = "/".join(str(p) for p in error.absolute_path) or "schema"
        raise FormSchemaError(f"{where}: {error.message}") from None
    names = [field["name"] for field in schema.get("fields", [])]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise FormSchemaError(f"duplicate field names: {', '.join(duplicates)}")


def _check_value(spec: dict, value) -> str | None:
    """The error message for one value of a field, or ``None`` when it is valid."""
    kind = spec["type"]
    if kind == "checkbox":
        return None if isinstance(value, bool) else _("Choose yes or no.")
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return _("Enter a number.")
        if "min" in spec and value < spec["min"]:
            return _("Enter a number of at least %(min)s.") % {"min": spec["min"]}
        if "max" in spec and value > spec["max"]:
            return _("Enter a number of at most %(max)s.") % {"max": spec["max"]}
        return None
    if not isinstance(value, str):
        return _("Enter text.")
    if kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return _("Enter a date as YYYY-MM-DD.")
        return None
    if kind == "select" and value not in spec["choices"]:
        return _("Choose one of the options.")
    if kind == "email":
        try:
            validate_email(value)
        except ValidationError:
            return _("Enter a valid e-mail address.")
    if kind == "phone" and not re.fullmatch(r"0\d{9,10}", value):
        return _("Enter a Vietnamese phone number (10 or 11 digits starting with 0).")
    if kind == "id_number" and not re.fullmatch(r"\d{12}", value):
        return _("A personal identification number has 12 digits.")
    if "max_length" in spec and len(value) > spec["max_length"]:
        return _("Enter at most %(n)s characters.") % {"n": spec["max_length"]}
    return None


def validate_form_data(schema: dict, data) -> dict[str, list[str]]:
    """Field-level errors of an applicant's form data against a procedure's e-form schema
    (SPEC §3 item 3); an empty dict when the data is valid."""
    if not isinstance(data, dict):
        return {"form_data": [str(_("The form data must be an object."))]}
    specs = {spec["name"]: spec for spec in (schema or {}).get("fields", [])}
    errors = {
        name: [str(_("This field is not part of the form."))] for name in data if name not in specs
    }
    for name, spec in specs.items():
        value = data.get(name)
        if value is None or value == "" or (spec["type"] == "checkbox" and value is False):
            if spec.get("required"):
                errors[name] = [str(_("This field is required."))]
            continue
        message = _check_value(spec, value)
        if message:
            errors[name] = [str(message)]
    return errors


def build_form_fields(schema: dict, prefix: str = "form_") -> dict:
    """Django form fields for a procedure's e-form, so pages render and validate it the
    same way for the desk and the Portal (labels, required, choices, limits). Names carry
    ``prefix`` so they never collide with a page's own fields."""
    from django import forms

    fields = {}
    for spec in (schema or {}).get("fields", []):
        common = {
            "label": spec["label"],
            "required": bool(spec.get("required")),
            "help_text": spec.get("help", ""),
        }
        kind = spec["type"]
        if kind == "textarea":
            field = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=spec.get("max_length"),
                **common,
            )
        elif kind == "date":
            field = forms.DateField(**common)
        elif kind == "number":
            field = forms.FloatField(min_value=spec.get("min"), max_value=spec.get("max"), **common)
        elif kind == "select":
            field = forms.ChoiceField(
                choices=[("", "—")] + [(c, c) for c in spec["choices"]], **common
            )
        elif kind == "checkbox":
            field = forms.BooleanField(**common)
        elif kind == "email":
            field = forms.EmailField(**common)
        else:  # text, phone, id_number: checked by validate_form_data
            field = forms.CharField(max_length=spec.get("max_length"), **common)
        fields[prefix + spec["name"]] = field
    return fields


def form_data_from(cleaned: dict, schema: dict, prefix: str = "form_") -> dict:
    """JSON form data from a Django form's cleaned values (dates as ISO, empty dropped)."""
    data = {}
    for spec in (schema or {}).get("fields", []):
        value = cleaned.get(prefix + spec["name"])
        if value in (None, ""):
            continue
        if spec["type"] == "date":
            value = value.isoformat()
        elif spec["type"] == "number" and float(value).is_integer():
            value = int(value)
        data[spec["name"]] = value
    return data
