"""Public pages of the resource directory: search, a service's page, its printable sheet.

No login: a tenant, or the worker beside them, finds a service by what they need,
where they live and who they are. Retired services are not shown here.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from toitcommun.access.selectors import client_ip
from toitcommun.dates import format_date
from toitcommun.errors import NotFound, ValidationFailed
from toitcommun.territory.places import Place, place_resolve, place_suggestions
from toitcommun.territory.selectors import TerritoryNotChosen, TerritoryRef
from toitcommun.views import error_page
from toitcommun.views_common import attach_errors, is_htmx, or_404

from . import rules
from .models import Clientele, Location, Phone, Schedule, Service, ServiceStatus
from .public_reports import CONTACT_MAX, REPORT_MAX, TooManyReports, error_report
from .selectors import (
    DAYS,
    MAX_PAGE_NUMBER,
    categories,
    open_at,
    search_query,
    service_distance_km,
    service_get,
    services_page,
)
from .short_address import service_by_short_code, short_code

PER_PAGE = 20
MAX_TERRITORY_LENGTH = 100
SUGGESTIONS = 12
FIELDS = ("q", "territory", "category", "clientele", "sort")
FIELD_LABELS = {"q": gettext_lazy("Recherche"), "territory": gettext_lazy("Lieu"),
                "category": gettext_lazy("Catégorie"), "clientele": gettext_lazy("Clientèle"),
                "sort": gettext_lazy("Trier par")}
DAY_NAMES = {"MO": gettext_lazy("lundi"), "TU": gettext_lazy("mardi"), "WE": gettext_lazy("mercredi"),
             "TH": gettext_lazy("jeudi"), "FR": gettext_lazy("vendredi"), "SA": gettext_lazy("samedi"),
             "SU": gettext_lazy("dimanche")}
PHONE_TYPES = {"voice": "", "text": gettext_lazy("texto"), "fax": gettext_lazy("télécopieur"),
               "cell": gettext_lazy("cellulaire"), "video": gettext_lazy("vidéo"), "pager": gettext_lazy("téléavertisseur"),
               "textphone": gettext_lazy("ATS (téléscripteur)")}


# --- Search -----------------------------------------------------------------------------------


@dataclass
class PhoneLine:
    number: str
    href: str
    extension: int | None
    description: str
    languages: str = ""


def _phone_lines(phones: Iterable[Phone], *, with_languages: bool = False) -> list[PhoneLine]:
    """Phones as the page shows them, one line per number; their languages when prefetched (one service's page)."""
    lines, seen = [], set()
    for p in phones:
        digits = re.sub(r"[^\d+]", "", p.number)
        if (digits, p.extension) in seen:
            continue
        seen.add((digits, p.extension))
        href = f"tel:{digits}" + (f",{p.extension}" if p.extension else "")
        kind = PHONE_TYPES.get(p.type.strip().lower(), p.type)  # HSDS types; "voice" goes without saying
        lines.append(PhoneLine(number=p.number, href=href, extension=p.extension,
                               description=p.description or str(kind),
                               languages=", ".join(lang.name for lang in p.languages.all())
                               if with_languages else ""))
    return lines


@dataclass
class ResultRow:
    """One service in the results list, with what the list shows already picked from prefetched data."""

    service: Service
    is_open: bool
    address: str = ""
    municipality: str = ""
    phone: PhoneLine | None = None
    points: list[dict[str, Any]] = field(default_factory=list)
    distance_km: float | None = None


def _result_row(service: Service, is_open: bool, origin: tuple[float, float] | None = None) -> ResultRow:
    row = ResultRow(service=service, is_open=is_open, distance_km=service_distance_km(service, origin))
    phones = list(service.phones.all())
    for sal in service.service_at_locations.all():
        location = sal.location
        addresses = list(location.addresses.all())
        if not row.address and addresses:
            row.address = addresses[0].address_1
            row.municipality = location.municipality.name if location.municipality else addresses[0].city
        phones += list(location.phones.all())
        point = _map_point(service, location, addresses[0].city if addresses else "")
        if point:
            row.points.append(point)
    row.phone = next(iter(_phone_lines(phones)), None)
    return row


def _map_point(service: Service, location: Location, city: str = "") -> dict[str, Any] | None:
    if location.latitude is None or location.longitude is None:
        return None
    point = {"name": service.name, "lat": float(location.latitude), "lng": float(location.longitude),
             "url": _service_url(service),
             "municipality": location.municipality.name if location.municipality else city,
             "tenure": service.directory_organization.name}
    if location.position_is_approximate:
        point["approximate"] = _("position approximative")
    return point


def _service_url(service: Service) -> str:
    return reverse("directory:service", args=[service.pk])


def _open_ids(services: Iterable[Service], moment: datetime.datetime) -> set[Any]:
    """Which of these services are open at this moment, in one query whatever their number."""
    ids = [s.pk for s in services]
    if not ids:
        return set()
    return set(Service.objects.filter(pk__in=ids).filter(open_at(moment)).values_list("pk", flat=True).distinct())


def _query_with(params: QueryDict, **changes: str) -> str:
    """The same search as a query string, back on its first page, with these fields changed."""
    kept = params.copy()
    kept.pop("page", None)
    for name, value in changes.items():
        kept[name] = value
    return kept.urlencode()


def _page_number(typed: str | None) -> int:
    """The page asked for: the first when absent or not a number; past the last, the last.

    A number no search could reach is not a page: refused with the site's 400 page.
    """
    try:
        number = int(typed or 1)
    except ValueError:
        return 1
    if number > MAX_PAGE_NUMBER:
        raise BadRequest(_("Numéro de page trop grand."))
    return max(1, number)


def search(request: HttpRequest) -> HttpResponse:
    typed = {name: request.GET.get(name, "") for name in FIELDS}
    open_now = request.GET.get("open_now", "") in ("1", "on", "true")
    errors: dict[str, list[str]] = {}
    place: Place | None = None
    candidates: list[TerritoryRef] = []
    try:
        place = place_resolve(typed["territory"], code=request.GET.get("territory_code", ""))
    except TerritoryNotChosen as refusal:
        errors["territory"] = [str(refusal)]
        candidates = [s.territory for s in refusal.suggestions]
    if place is not None:
        candidates = list(place.alternatives)
    # Distance needs a place with a point: without one (an MRC, no place yet) the page says so and
    # keeps the usual order rather than refusing the search.
    wanted_sort = typed["sort"] or "relevance"
    sort = "relevance" if wanted_sort == "distance" and not (place and place.point) else wanted_sort
    query = None
    known = list(categories())  # the form's choices, and what a category is checked against
    try:
        query = search_query(text=typed["q"], territory=place.territory.code if place else "",
                             category=typed["category"], clientele=typed["clientele"], open_now=open_now,
                             origin=place.point if place else None, sort=sort,
                             known_categories={c.code for c in known})
    except ValidationFailed as refusal:
        errors = {**refusal.errors, **errors}
    context: dict[str, Any] = {
        "typed": typed, "open_now": open_now, "categories": known, "clienteles": Clientele.choices,
        "errors": [{"field": name, "label": FIELD_LABELS.get(name, name), "messages": errors[name]}
                   for name in dict.fromkeys((*FIELDS, *errors)) if errors.get(name)],
        "invalid": set(errors),
        "candidates": [{"ref": ref, "query": _query_with(request.GET, territory=ref.code, territory_code="")}
                       for ref in candidates],
        "territory": None, "place": place, "page_obj": None, "rows": [], "map_points": [],
        "page_query": _query_with(request.GET),
        "sort": sort,
        "place_code": place.code if place else "",
    }
    if query is not None and not errors:
        moment = timezone.now()
        page_obj = services_page(query, number=_page_number(request.GET.get("page")), per_page=PER_PAGE,
                                 moment=moment)
        services = list(page_obj.object_list)
        open_ids = _open_ids(services, moment)
        rows = [_result_row(s, s.pk in open_ids, query.origin) for s in services]
        context.update({"territory": query.territory, "page_obj": page_obj, "rows": rows,
                        "map_points": [p for row in rows for p in row.points],
                        "sort": query.sort,
                        "distance_unavailable": wanted_sort == "distance" and sort != "distance",
                        "filtered": any((query.text, query.territory, query.category, query.clientele,
                                         query.open_now))})
    template = "directory/search.html#results" if is_htmx(request) else "directory/search.html"
    return render(request, template, context)


def territory_suggestions(request: HttpRequest) -> HttpResponse:
    """The place box's suggestions, as JSON for the combobox: a postal code (and the municipality it
    is taken as), or territories by name as everywhere else."""
    typed = (request.GET.get("q") or request.GET.get("territory") or "").strip()[:MAX_TERRITORY_LENGTH]
    return JsonResponse({"items": place_suggestions(typed, limit=SUGGESTIONS)})


# --- A service ---------------------------------------------------------------------------------


@dataclass
class HoursLine:
    """One line of opening hours in plain words, and where it applies when the service has several places."""

    text: str
    where: str = ""


def _days_text(byday: str) -> str:
    """'MO,TU,WE,TH,FR' -> 'du lundi au vendredi'; 'MO,WE' -> 'les lundi et mercredi'."""
    wanted = {d.strip().upper() for d in byday.split(",")}
    days = [d for d in DAYS if d in wanted]
    if not days:
        return ""
    if len(days) == 7:
        return _("tous les jours")
    names = [str(DAY_NAMES[d]) for d in days]
    if len(days) == 1:
        return _("le %(day)s") % {"day": names[0]}
    positions = [DAYS.index(d) for d in days]
    if len(days) >= 3 and positions == list(range(positions[0], positions[-1] + 1)):
        return _("du %(first)s au %(last)s") % {"first": names[0], "last": names[-1]}
    return _("les %(days)s et %(last)s") % {"days": ", ".join(names[:-1]), "last": names[-1]}


def _time_text(t: datetime.time) -> str:
    """9:00 -> '9 h', 16:30 -> '16 h 30' in French; '9 a.m.', '4:30 p.m.' in English; never split across lines."""
    if (translation.get_language() or "fr").startswith("en"):
        return dateformat.time_format(t, "P").replace(" ", "\u00a0")
    if t.minute:
        text = _("%(hour)s h %(minute)02d") % {"hour": t.hour, "minute": t.minute}
    else:
        text = _("%(hour)s h") % {"hour": t.hour}
    return text.replace(" ", "\u00a0")


def _span_text(opens: datetime.time | None, closes: datetime.time | None) -> str:
    if opens is None and closes is None:
        return ""
    if opens == datetime.time(0) and closes is not None and closes >= datetime.time(23, 59):
        return _("24 heures sur 24")
    if opens is None:
        return _("jusqu'à %(closes)s") % {"closes": _time_text(closes)} if closes else ""
    if closes is None:
        return _("à partir de %(opens)s") % {"opens": _time_text(opens)}
    return _("de %(opens)s à %(closes)s") % {"opens": _time_text(opens), "closes": _time_text(closes)}


def _validity_text(start: datetime.date | None, end: datetime.date | None) -> str:
    if start and end:
        return _("du %(start)s au %(end)s") % {"start": format_date(start, "j F Y"), "end": format_date(end, "j F Y")}
    if start:
        return _("à partir du %(start)s") % {"start": format_date(start, "j F Y")}
    if end:
        return _("jusqu'au %(end)s") % {"end": format_date(end, "j F Y")}
    return ""


def _recurrence_text(schedule: Schedule) -> str:
    """What HSDS's rule adds to the days: every other week, days of the month."""
    every = schedule.interval or 1
    if schedule.freq == "MONTHLY":
        days = [_("1er") if d.strip() == "1" else d.strip() for d in schedule.bymonthday.split(",") if d.strip()]
        parts = [_("tous les %(n)s mois") % {"n": every}] if every > 1 else []
        if len(days) == 1:
            parts.append(_("le %(day)s du mois") % {"day": days[0]})
        elif days:
            parts.append(_("les %(days)s et %(last)s du mois") % {"days": ", ".join(days[:-1]), "last": days[-1]})
        return ", ".join(parts) or _("tous les mois")
    if every > 1:
        return _("toutes les %(n)s semaines") % {"n": every}
    return ""


def hours_lines(schedules: Iterable[Schedule], where: str = "") -> list[HoursLine]:
    """Schedule rows in plain words; rows for the same days join: 'du lundi au vendredi, de 9 h à 12 h et de 13 h à 16 h'."""
    groups: dict[tuple[Any, ...], list[Schedule]] = {}
    for s in schedules:
        key = (",".join(d for d in DAYS if d in {x.strip().upper() for x in s.byday.split(",")}),
               s.valid_from, s.valid_to, s.description.strip(), _recurrence_text(s))
        groups.setdefault(key, []).append(s)

    def order(item: tuple[tuple[Any, ...], list[Schedule]]) -> tuple[int, datetime.time]:
        (days, *_rest), rows = item
        first = DAYS.index(days.split(",")[0]) if days else 7
        return first, min((r.opens_at or datetime.time(0)) for r in rows)

    lines = []
    for (days, start, end, description, recurrence), rows in sorted(groups.items(), key=order):
        spans = [_span_text(r.opens_at, r.closes_at)
                 for r in sorted(rows, key=lambda r: r.opens_at or datetime.time(0))]
        parts = [p for p in (_validity_text(start, end), recurrence, _days_text(days),
                             _(" et ").join(p for p in spans if p)) if p]
        text = ", ".join(parts)
        if description:
            text = f"{text} ({description})" if text else description
        if text:
            lines.append(HoursLine(text=text, where=where))
    return lines


def _service_context(service: Service, user: Any = None) -> dict[str, Any]:
    locations = [sal.location for sal in service.service_at_locations.all()]
    hours = hours_lines(service.schedules.all())
    several = len(locations) > 1
    for sal in service.service_at_locations.all():
        where = sal.location.name if several else ""
        hours += hours_lines(sal.location.schedules.all(), where) + hours_lines(sal.schedules.all(), where)
    phones = list(service.phones.all())
    for sal in service.service_at_locations.all():
        phones += list(sal.phones.all()) + list(sal.location.phones.all())
    points = [p for p in (_map_point(service, loc) for loc in locations) if p]
    clientele_labels = dict(Clientele.choices)
    return {
        "service": service, "organization": service.directory_organization, "locations": locations,
        "hours": hours, "phones": _phone_lines(phones, with_languages=True), "map_points": points,
        "approximate_position": any(loc.position_is_approximate for loc in locations),
        "is_open": bool(_open_ids([service], timezone.now())),
        "clienteles": [clientele_labels[c] for c in service.clienteles if c in clientele_labels],
        # Who verified and the contact persons are people's names and e-mails: staff only.
        "verified_by": (service.verified_by_label or (service.verified_by.get_full_name() if service.verified_by else ""))
        if rules.can_see_service_contacts(user) else "",
        "contacts": list(service.contacts.all()) if rules.can_see_service_contacts(user) else [],
        "website": service.url or service.directory_organization.website,
        "email": service.email or service.directory_organization.email,
    }


def _retired(request: HttpRequest, pk: str) -> HttpResponse | None:
    """410 for a retired service (a printed sheet outlives it); None when the service is not retired."""
    try:
        service = service_get(pk, include_retired=True)
    except NotFound:
        return None
    if service.status != ServiceStatus.DEFUNCT:
        return None
    return error_page(request, 410, template="directory/service_retired.html", context={"service": service})


def service_detail(request: HttpRequest, pk: str) -> HttpResponse:
    if (gone := _retired(request, pk)) is not None:
        return gone
    service = or_404(service_get, pk)
    return render(request, "directory/service.html", _service_context(service, request.user))


def service_sheet(request: HttpRequest, pk: str) -> HttpResponse:
    if (gone := _retired(request, pk)) is not None:
        return gone
    service = or_404(service_get, pk)
    context = _service_context(service, request.user)
    short_url = request.build_absolute_uri(reverse("short_address", args=[short_code(service)]))
    context["short_url"] = short_url
    # The QR code leads to the same short address: a phone's camera opens the service's page.
    context["qr_code"] = mark_safe(segno.make(short_url, error="m").svg_inline(  # noqa: S308 (segno's own SVG)
        scale=3, svgclass="sheet-qr-code", omitsize=False))
    context["printed_on"] = timezone.localdate()
    return render(request, "directory/service_sheet.html", context)


def short_address(request: HttpRequest, code: str) -> HttpResponse:
    """/s/<code>: the short address printed on a sheet leads to the service's page."""
    service = or_404(service_by_short_code, code)
    return redirect(_service_url(service))


# ---- errors reported by the public ---------------------------------------------------------


class ErrorReportForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Qu'est-ce qui est inexact ?"), max_length=REPORT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Par exemple : le numéro de téléphone a changé, le service a déménagé, "
                               "les heures ne sont plus les mêmes."))
    contact = forms.CharField(
        label=gettext_lazy("Pour vous joindre (facultatif)"), required=False, max_length=CONTACT_MAX,
        help_text=gettext_lazy("Un courriel ou un numéro de téléphone, si vous acceptez qu'on vous pose une "
                               "question. Seules les personnes qui tiennent ce service à jour le verront."))
    # A spam trap: hidden from people (and from screen readers); a robot that fills every field fills it.
    website = forms.CharField(required=False, max_length=200, label=gettext_lazy("Laissez ce champ vide"))


def service_report(request: HttpRequest, pk: str) -> HttpResponse:
    """"Signaler une erreur": anyone, no account, tells those who keep the service what is wrong."""
    if (gone := _retired(request, pk)) is not None:
        return gone
    service = or_404(service_get, pk)
    form = ErrorReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        thanks = _("Merci ! Votre signalement est transmis aux personnes qui tiennent ce service à jour.")
        if form.cleaned_data["website"]:
            # The trap was filled: thank as for a person, keep nothing.
            messages.success(request, thanks)
            return redirect(_service_url(service))
        try:
            error_report(service_id=service.pk, text=form.cleaned_data["text"],
                         contact=form.cleaned_data["contact"], sender=client_ip(request))
        except TooManyReports as limit:
            response = error_page(request, 429, context={
                "until": timezone.now() + datetime.timedelta(seconds=limit.retry_after)})
            response["Retry-After"] = str(limit.retry_after)
            return response
        except ValidationFailed as refusal:
            attach_errors(form, refusal)
        else:
            messages.success(request, thanks)
            return redirect(_service_url(service))
    return render(request, "directory/service_report.html", {"service": service, "form": form})
