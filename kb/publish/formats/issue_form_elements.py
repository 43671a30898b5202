"""Issue-form element of each field type, for kb.publish.issue_form (the GitHub form
« Proposer une coopération »): a drop-down list for vocabulary terms, a one-line input,
or a free text area."""
from __future__ import annotations

from . import entry
from ...content.fieldtypes import get

ELEMENTS: dict[str, str] = {
    "text": "input", "term": "dropdown", "terms": "dropdown", "date": "input", "partial_date": "input",
    "year": "input", "year_or_date": "input", "euros": "input", "number": "input", "url": "input",
    "code": "input", "departement": "input", "ref": "input", "refs": "input", "origin": "input",
    "source_id": "input", "choice": "input", "texts": "textarea", "objects": "textarea", "object": "textarea",
}


def form_item(f, data, label: str, required: bool | None = None) -> dict:
    """The GitHub issue form element that asks for field ``f``."""
    element = entry(ELEMENTS, f.type, "issue-form element", "kb.publish.formats.issue_form_elements.ELEMENTS")
    ftype = get(f.type)
    required = f.required if required is None else required
    if element == "dropdown":
        vocab = data.vocabularies[f.vocab]
        return {"type": "dropdown", "id": f.name, "attributes": {
            "label": label,
            "description": f.help + (" Plusieurs choix possibles." if f.is_list else ""),
            "multiple": f.is_list,
            "options": [f"{t.label} ({t.id})" for t in vocab.terms.values()]},
            "validations": {"required": required}}
    description = f.help
    if f.fields:
        description += (" Un élément par ligne : " if ftype.is_list else " Précisez : ") + \
            ", ".join(_named(sub, data) for sub in f.fields) + "."
    elif ftype.hint:
        description += f" Forme : {ftype.hint}."
    return {"type": element, "id": f.name, "attributes": {"label": label, "description": description},
            "validations": {"required": required}}


def _named(sub, data) -> str:
    """A sub-field's name, with its allowed values when they are few: « sens (apporte, recoit) »."""
    allowed = list(sub.choices) or (list(data.vocabularies[sub.vocab].terms) if sub.vocab else [])
    return f"{sub.name} ({', '.join(allowed)})" if allowed else sub.name
