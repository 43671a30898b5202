"""What each field type (kb.content.fieldtypes) becomes in one published format: one small
module per format, each a map from type name to a function, read by its publisher
(kb.publish.decap, kb.publish.opendata, kb.publish.issue_form). The JSON Schema of a type
is the content layer's own (validation uses it) and stays in kb.content.fieldtypes."""


def entry(table: dict, type_name: str, what: str, table_name: str):
    """``table[type_name]``, or a ValueError naming the table a new field type must be added to."""
    try:
        return table[type_name]
    except KeyError:
        raise ValueError(f"field type {type_name!r} has no {what}: add it to {table_name}") from None
