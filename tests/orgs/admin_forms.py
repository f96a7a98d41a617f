"""What an admin change page would post back unchanged: its form's and inline formsets' current values."""

from __future__ import annotations

from django.forms import BooleanField


def _field_values(form) -> dict:
    data: dict = {}
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(field, BooleanField):
            if value:
                data[key] = "on"
        elif isinstance(value, (list, tuple)):
            data[key] = [str(v) for v in value]
        elif value is None:
            data[key] = ""
        else:
            data[key] = str(value)
        if field.show_hidden_initial and key in data:
            # A field with a callable default is compared with its hidden initial value, as a browser posts it.
            data[form.add_initial_prefix(name)] = data[key]
    return data


def change_form_data(page) -> dict:
    """The POST data of the admin change page `page` (a test-client response), every value as shown."""
    data = _field_values(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.initial_forms:
            data.update(_field_values(form))
        data[management.add_prefix("TOTAL_FORMS")] = str(len(formset.initial_forms))
    return data
