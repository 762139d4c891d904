"""Helpers shared by the pages: turning service refusals into what a person sees."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
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


def changed_fields(form: forms.BaseForm, current: dict[str, Any]) -> list[dict[str, Any]]:
    """What the other person saved, next to what this person typed: for a version conflict."""
    rows = []
    for name, field in form.fields.items():
        if name not in current:
            continue
        typed = form.data.get(name, "")
        stored = current[name]
        typed_value: object
        stored_value: object
        if isinstance(field, forms.BooleanField):
            typed_value, stored_value = bool(typed), bool(stored)
        else:
            typed_value, stored_value = str(typed or "").strip(), "" if stored is None else str(stored)
        if isinstance(field, forms.ModelChoiceField) and stored is not None and field.queryset is not None:
            obj = field.queryset.filter(pk=stored).first()
            stored_display = str(obj) if obj else stored_value
        else:
            stored_display = stored_value
        if typed_value != stored_value:
            rows.append({"label": field.label, "typed": typed, "stored": stored_display})
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
) -> HttpResponse:
    """The page that adds a record through its service: errors on the form, what was typed kept."""
    form = form_class(request.POST or None)
    if request.method == "POST":
        try:
            created = create(data=request.POST)
        except ValidationFailed as refusal:
            attach_errors(form, refusal)
        except PermissionRefused as refusal:
            form.is_valid()
            form.add_error(None, str(refusal))
        else:
            messages.success(request, done_message)
            return redirect(done(created))
    return render(request, template, {**(context or {}), "form": form, "creating": True})
