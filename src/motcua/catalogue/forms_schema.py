"""The declarative e-form schema of a procedure (SPEC §3 item 3).

A schema is ``{"fields": [{"name", "label", "type", "required", …}]}``; it is checked
against a JSON Schema so an admin cannot publish a form the Portal cannot render.
"""

import jsonschema

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
