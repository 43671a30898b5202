"""What each field type (kb.content.fieldtypes) becomes in one published format: one small
module per format, each a map from type name to a function, read by its publisher
(kb.publish.decap, kb.publish.opendata, kb.publish.issue_form). The JSON Schema of a type
is the content layer's own (validation uses it) and stays in kb.content.fieldtypes."""
