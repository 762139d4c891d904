"""Helpers shared by the pages: turning service refusals into what a person sees."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .errors import NotFound, PermissionRefused, ValidationFailed, VersionConflict


def attach_errors(form: forms.BaseForm, refusal: ValidationFailed) -> None:
    """Show a service's validation errors on the form the person filled, keeping what they typed.

    The service validates with the same form, so most of its reasons are the form's own: the form is
    cleaned first and only the reasons it did not find are added, so each shows once.
    """
    form.is_valid()
    for field, reasons in refusal.errors.items():
        target = field if field in form.fields else None
        shown = {str(m) for m in form.errors.get(target or NON_FIELD_ERRORS, [])}
        for message in reasons:
            if str(message) not in shown:
                form.add_error(target, message)
                shown.add(str(message))


def is_htmx(request: HttpRequest) -> bool:
    """True for a request htmx made: the view answers with the page's fragment only."""
    return bool(getattr(request, "htmx", False))


def or_404(func: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return func(*args, **kwargs)
    except NotFound as missing:
        raise Http404(str(missing)) from missing


def refuse(refusal: PermissionRefused) -> PermissionDenied:
    return PermissionDenied(str(refusal))


def _labels(field: forms.Field) -> dict[str, str]:
    choices = cast(Iterable[tuple[Any, Any]], getattr(field, "choices", []))
    return {str(value): str(label) for value, label in choices}


def _label_of(field: forms.Field, value: str) -> str:
    """A choice's label; a model choice is looked up by its key alone, not by listing every choice."""
    if isinstance(field, forms.ModelChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField) \
            and value:
        try:  # the field's own reading: a key, or what its widget sends (a municipality's code)
            return str(field.to_python(value) or value)
        except (DjangoValidationError, ValueError, TypeError):
            return value
    if isinstance(field, forms.ModelMultipleChoiceField) and value and field.queryset is not None:
        try:
            found = field.queryset.filter(pk=value).first()
        except (DjangoValidationError, ValueError, TypeError):
            found = None
        return str(found) if found is not None else value
    return _labels(field).get(value, value)


def shown_difference(field: forms.Field, typed: Any, stored: Any) -> tuple[str, str] | None:
    """What was typed and what is stored, as a person reads them, when they differ; None when the same."""
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        typed_set, stored_set = {str(v) for v in typed or []}, {str(v) for v in stored or []}
        if typed_set == stored_set:
            return None
        labels = {value: _label_of(field, value) for value in typed_set | stored_set}
        return (", ".join(sorted(labels.get(v, v) for v in typed_set)),
                ", ".join(sorted(labels.get(v, v) for v in stored_set)))
    if isinstance(field, forms.BooleanField):
        typed_bool, stored_bool = field.to_python(typed), bool(stored)
        return None if typed_bool == stored_bool else (str(typed_bool), str(stored_bool))
    typed_text, stored_text = str(typed if typed is not None else "").strip(), "" if stored is None else str(stored)
    try:
        same = field.to_python(typed_text) == field.to_python(stored_text)
    except DjangoValidationError:
        same = typed_text == stored_text
    if same:
        return None
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return _label_of(field, typed_text), _label_of(field, stored_text)
    return typed_text, stored_text


def shown_value(field: forms.Field, value: Any) -> str:
    """A value as the form takes it, as a person reads it: choices by their labels."""
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return ", ".join(sorted(_label_of(field, str(v)) for v in value or []))
    text = "" if value is None else str(value)
    if text and isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return _label_of(field, text)
    return text


def sent_value(form: forms.BaseForm, name: str) -> Any:
    """What the person sent for this field: a list for a field of several choices."""
    data = form.data
    several = isinstance(form.fields[name], forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
    if several and hasattr(data, "getlist"):
        return data.getlist(name)
    return data.get(name, "")


def changed_fields(form: forms.BaseForm, current: dict[str, Any]) -> list[dict[str, Any]]:
    """What the other person saved, next to what this person typed: for a version conflict."""
    rows = []
    for name, field in form.fields.items():
        if name not in current:
            continue
        differs = shown_difference(field, sent_value(form, name), current[name])
        if differs:
            rows.append({"label": field.label, "typed": differs[0], "stored": differs[1]})
    return rows


def versioned_edit_page(
    request: HttpRequest, *, form_class: type[forms.ModelForm], instance: Any, update: Callable[..., Any],
    template: str, context: dict[str, Any], done_url: str,
) -> HttpResponse:
    """The edit page of a versioned record: on a conflict, the form again with what changed and what was typed."""
    form, version, conflict = form_class(instance=instance), instance.version, None
    if request.method == "POST":
        form = form_class(request.POST, instance=instance)
        version = request.POST.get("version", "")
        try:
            update(version=version, data=request.POST)
        except ValidationFailed as refusal:
            attach_errors(form, refusal)
        except PermissionRefused as refusal:
            raise refuse(refusal) from refusal
        except VersionConflict as stale:
            conflict, version = changed_fields(form, stale.current), stale.current_version
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect(done_url)
    return render(request, template, {**context, "form": form, "version": version, "conflict": conflict})


def create_page(
    request: HttpRequest, *, form_class: type[forms.BaseForm], create: Callable[..., Any], template: str,
    done: Callable[[Any], str], done_message: str, context: dict[str, Any] | None = None,
    initial: dict[str, Any] | None = None, prepare: Callable[[Any], None] | None = None,
    read: Callable[[QueryDict], Any] | None = None, context_of: Callable[[Any], dict[str, Any]] | None = None,
) -> HttpResponse:
    """The page that adds a record through its service: errors on the form, what was typed kept.

    ``prepare`` narrows the form for this person (the choices they may make), ``read`` turns the
    posted data into what the service takes, ``context_of`` adds what the template needs from the form.
    """
    form = form_class(request.POST or None, initial=initial)
    if prepare is not None:
        prepare(form)
    if request.method == "POST":
        try:
            created = create(data=read(request.POST) if read else request.POST)
        except ValidationFailed as refusal:
            attach_errors(form, refusal)
        except PermissionRefused as refusal:
            form.is_valid()
            form.add_error(None, str(refusal))
        else:
            messages.success(request, done_message)
            return redirect(done(created))
    extra = context_of(form) if context_of else {}
    return render(request, template, {**(context or {}), **extra, "form": form, "creating": True})
