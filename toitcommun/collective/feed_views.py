"""The page where a person gets, renews or revokes the address of their personal calendar."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .feed_services import calendar_token_issue, calendar_token_revoke, personal_meetings
from .models import CalendarToken


@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    address = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if calendar_token_revoke(actor=request.user):
                messages.success(request, _("Adresse révoquée : elle ne donne plus rien."))
            return redirect("collective:my_calendar")
        raw = calendar_token_issue(actor=request.user)
        address = request.build_absolute_uri(reverse("calendar_feeds:personal", args=[raw]))
    return render(request, "collective/my_calendar.html", {
        "address": address, "has_token": CalendarToken.objects.filter(user_id=request.user.pk or 0).exists(),
        "meetings": list(personal_meetings(request.user)[:10]),
    })
