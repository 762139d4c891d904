"""Every page of the site, at a phone's width and at a laptop's, with axe-core injected.

On each page: no horizontal scroll at 390 px (the page fits the phone), no serious or
critical axe violation, nothing refused by the Content-Security-Policy. The list of pages
is checked against the URL conf: a new route fails this test until it is visited here or
named in NOT_PAGES with the reason it is not a page. Screenshots of every page at both
widths land in test-artifacts/screenshots/every-page/.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.e2e.conftest import SHOTS
from toitcommun.access.services import api_token_issue
from toitcommun.collective.models import Group, Meeting, Recommendation
from toitcommun.demo import ACCOUNTS
from toitcommun.directory.models import Service, ServiceStatus, SynonymGroup, TaxonomyTerm
from toitcommun.directory.public_reports import error_report
from toitcommun.directory.services import correction_propose
from toitcommun.housing.models import Building
from toitcommun.jobs.models import Job, JobKind, JobStatus
from toitcommun.organizations.models import Organization

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 768}}
# Whole URL trees that are not the site's pages: JSON for programs, and Django's own admin.
NOT_SITE_PREFIXES = ("api/", "admin/")
# Routes of tests/e2e/walk_urls.py, only there to show the error pages.
WALK_ONLY = ("walk_400", "walk_403_csrf", "walk_413", "walk_429", "walk_500")
# Routes that answer something other than a page a person reads, with the reason.
NOT_PAGES = {
    "set_language": "POST only: switches the language and redirects",
    "language_switch": "redirect: sets the language cookie and goes back to the page (the header's link)",
    "housing:import_template": "a CSV file",
    "housing:available_points": "JSON: the available-housing map's points (drawn on the walked page)",
    "organizations:membership_add": "POST only: answers the organization page (walked) or its fragment",
    "organizations:membership_end": "POST only: answers the organization page (walked) or its fragment",
    "directory:territory_suggestions": "JSON: the public search place box's suggestions (combobox)",
    "territory:suggest": "JSON: the territory combobox's suggestions",
    "directory_staff:hours_preview": "htmx fragment of the service form's opening hours (walked within that form)",
    "directory_staff:service_verify": "POST only: answers the staff list (walked) or its row",
    "directory_staff:service_retire": "POST only: answers the service's edit page (walked)",
    "directory_staff:service_restore": "POST only: answers the service's edit page (walked)",
    "directory_staff:correction_accept": "POST only: answers the service's edit page or the corrections page (walked)",
    "directory_staff:correction_refuse": "POST only: answers the service's edit page or the corrections page (walked)",
    "directory_staff:correction_withdraw": "POST only: answers the corrections page (walked)",
    "short_address": "redirects to the service's page (walked)",
    "directory_staff:report_close": "POST only: answers the staff list's to-verify view or the corrections page (walked)",
    "access:login_lock_lift": "POST only: answers the locks page (walked)",
    "access:api_token_revoke": "POST only: answers the tokens page (walked)",
    "housing:available_export": "POST only: starts an export job and answers its page (walked as jobs:job)",
    "jobs:download": "a file (the XLSX an export job made)",
    "support:referral_act": "POST only: answers the referral's page (walked)",
    "people:duplicate_dismiss": "POST only: answers the duplicates page (walked)",
    "people:household_remove": "POST only: answers the person's page (walked)",
    "collective:activity_publish": "POST only: answers the activity's page (walked)",
    "collective:activity_cancel": "POST only: answers the activity's page (walked)",
    "collective:plan_action_follow": "POST only: answers the action plan's page (walked)",
    "collective:activity_photo": "an image (the photo itself), served after the activity's visibility check",
    "collective:activity_photo_remove": "POST only: answers the activity's page (walked)",
    "calendar_feeds:territory": "an iCalendar feed (text/calendar), parsed back in tests/collective",
    "calendar_feeds:group": "an iCalendar feed (text/calendar), parsed back in tests/collective",
    "calendar_feeds:personal": "an iCalendar feed behind a secret address, parsed back in tests/collective",
    "collective:minutes_adopt": "POST only: answers the meeting's page (walked)",
    "collective:minutes_submit": "POST only: answers the meeting's page (walked)",
    "collective:minutes_publish": "POST only: answers the meeting's page (walked)",
    "collective:recommendation_acknowledge": "POST only: answers the recommendation's page (walked)",
    "collective:recommendation_answer": "POST only: answers the recommendation's page (walked)",
    "directory_staff:synonym_delete": "POST only: answers the synonyms page (walked)",
    "collective:meeting_move": "POST only: answers the meeting's page (walked)",
    "collective:agenda_add": "POST only: answers the meeting's page (walked), with the form's errors there",
    "collective:governance_export": "a file (CSV or XLSX of a group's decisions and follow-ups)",
    "collective:plan_objective_add": "POST only: answers the action plan's page (walked), with the form's errors there",
    "collective:plan_action_add": "POST only: answers the action plan's page (walked), with the form's errors there",
    "people:file_json": "a JSON file: a person's complete file (its printable page is walked)",
    "people:consent_scan": "a file (the signed form's scan), served after the consent's visibility check",
    "support:research_export": "a CSV or XLSX file of the research tables (the page is walked)",
}


@dataclass
class Visit:
    """One page to open: its route, who opens it, and the objects its URL names."""

    name: str
    who: str | None = None  # a demo account's username, or None for an anonymous visitor
    args: Callable[[], list[Any]] = list
    query: str | Callable[[], str] = ""  # a function when it names an object of the demo
    status: int = 200
    label: str = ""
    path: str = ""  # a path that no route answers, for the not-found page

    @property
    def slug(self) -> str:
        return self.label or self.name.replace(":", "-").replace("_", "-")

    def url(self) -> str:
        if self.path:
            return self.path
        query = self.query() if callable(self.query) else self.query
        return reverse(self.name, args=self.args()) + (f"?{query}" if query else "")


def _building() -> list[Any]:
    return [Building.objects.order_by("name").first().pk]


def _organization() -> list[Any]:
    return [Organization.objects.get(name="Office municipal d'habitation de Thetford Mines").pk]


def _service() -> list[Any]:
    return [Service.objects.order_by("name").first().pk]


def _retired_service() -> list[Any]:
    return [Service.objects.get(status=ServiceStatus.DEFUNCT).pk]


def _password_reset_link() -> list[Any]:
    """A valid reset link of an account nobody signs in with during the walk (signing in changes the token)."""
    user = get_user_model().objects.get(username="oc.cisss")
    return [urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)]


def _activity() -> list[Any]:
    from toitcommun.collective.models import Activity

    return [Activity.objects.get(title="Grand rassemblement régional").pk]


def _project() -> list[Any]:
    from toitcommun.collective.models import CollectiveProject

    return [CollectiveProject.objects.get(name="Carré famille Saint-Maurice").pk]


def _plan() -> list[Any]:
    from toitcommun.collective.models import ActionPlan, Group
    from toitcommun.demo_activities import _load_action_plan
    from toitcommun.territory.models import Mrc

    if not ActionPlan.objects.exists():  # the table comes with the governance demo, or is made here
        mrc = Mrc.objects.select_related("region").get(code="310")
        Group.objects.get_or_create(name="ÉLÉ des Appalaches", kind="local_table", region=mrc.region, mrc=mrc)
        _load_action_plan({o.name: o for o in Organization.objects.all()}, None)
    return [ActionPlan.objects.order_by("id").first().pk]


def _group() -> list[Any]:
    _plan()  # the table exists once the plan does
    from toitcommun.collective.models import Group

    return [Group.objects.filter(kind="local_table").order_by("id").first().pk]


def _saint_maurice() -> list[Any]:
    return [Building.objects.get(name="Habitations Saint-Maurice").pk]


def _category() -> list[Any]:
    return [TaxonomyTerm.objects.filter(taxonomy__name__icontains="cat").order_by("name").first().pk]


def _running_export() -> list[Any]:
    job = Job.objects.create(kind=JobKind.HOUSING_EXPORT, status=JobStatus.RUNNING, percent=40,
                             params={"code": "12", "date": "2016-01-01", "clientele": ""})
    return [job.pk]


def _finished_import() -> list[Any]:
    lines = ["Lignes lues : 160000, dont 0 inchangées", "Immeubles : 40000 créés, 0 mis à jour"]
    job = Job.objects.create(kind=JobKind.HOUSING_IMPORT, status=JobStatus.DONE, percent=100,
                             owner=get_user_model().objects.get(username="admin"), input_name="parc-fictif.csv",
                             outcome={"lines": lines})
    return [job.pk]


def _tenant() -> list[Any]:
    """The first demo tenant: the office holds the file, an active consent names the partners."""
    from toitcommun.people.models import Person

    return [Person.objects.filter(last_name__endswith="-Démo").order_by("pk").first().pk]


def _consent() -> list[Any]:
    from toitcommun.people.models import Consent

    return [Consent.objects.filter(person_id=_tenant()[0]).order_by("pk").first().pk]


def _incident() -> list[Any]:
    from toitcommun.people.models import ConfidentialityIncident

    return [ConfidentialityIncident.objects.order_by("pk").first().pk]


def _referral() -> list[Any]:
    from toitcommun.support.models import Referral

    return [Referral.objects.exclude(state="draft").order_by("pk").first().pk]


def _case_review() -> list[Any]:
    from toitcommun.support.models import CaseReview

    return [CaseReview.objects.order_by("pk").first().pk]


def _case_review_item() -> list[Any]:
    from toitcommun.support.models import CaseReviewItem

    item = CaseReviewItem.objects.order_by("pk").first()
    return [item.review_id, item.pk]


def _duplicate() -> list[Any]:
    from toitcommun.people.models import DuplicateSuspect

    return [DuplicateSuspect.objects.filter(resolved_at__isnull=True).order_by("pk").first().pk]


def _duplicate_keep() -> str:
    from toitcommun.people.models import DuplicateSuspect

    return f"garder={DuplicateSuspect.objects.get(pk=_duplicate()[0]).other_id}"


def _household() -> list[Any]:
    from toitcommun.people.models import Household

    return [Household.objects.order_by("pk").first().pk]


def _synonym_group() -> list[Any]:
    return [SynonymGroup.objects.order_by("pk").first().pk]


def _group_named(name: str) -> Callable[[], list[Any]]:
    return lambda: [Group.objects.get(name=name).pk]


def _meeting(title: str) -> Callable[[], list[Any]]:
    return lambda: [Meeting.objects.get(title=title).pk]


def _board_mandate() -> list[Any]:
    from toitcommun.collective.models import Mandate

    return [Mandate.objects.get(group__name=ASSOCIATION, holder_name="Locataire Fictif 11").pk]


def _table_decision() -> list[Any]:
    from toitcommun.collective.models import FollowUp

    return [FollowUp.objects.order_by("pk").first().decision_id]


def _follow_up() -> list[Any]:
    from toitcommun.collective.models import FollowUp

    return [FollowUp.objects.order_by("pk").first().pk]


def _recommendation(title: str) -> Callable[[], list[Any]]:
    return lambda: [Recommendation.objects.get(title=title).pk]


ASSOCIATION = "Association des locataires des HLM de Thetford Mines"
ANON, ADMIN = None, "admin"
VISITS = [
    Visit("home"),
    Visit("access:login"),
    Visit("access:password_reset"),
    Visit("access:password_reset_done"),
    Visit("access:password_reset_confirm", args=_password_reset_link),
    Visit("access:password_reset_complete"),
    Visit("territory:browse"),
    Visit("territory:detail", args=lambda: ["12"], label="territory-region"),
    Visit("territory:detail", args=lambda: ["31084"], label="territory-municipality"),
    Visit("organizations:list"),
    Visit("organizations:detail", args=_organization),
    Visit("housing:available", args=lambda: ["QC"], label="available-province"),
    Visit("housing:available", args=lambda: ["310"], query="date=2016-01-01", label="available-mrc"),
    Visit("housing:available", args=lambda: ["31084"], label="available-municipality"),
    Visit("directory:search", query="q=aide+aux+devoirs+du+chat", label="directory-search-closest"),
    Visit("housing:stock", args=lambda: ["12"], label="stock-region"),
    Visit("housing:stock", args=lambda: ["31084"], label="stock-municipality"),
    Visit("housing:building", args=_building),
    Visit("directory:search"),
    Visit("directory:search", query="q=aide&territory=Thetford", label="directory-search-results"),
    Visit("directory:search", query="territory=G6G+1N1&sort=distance", label="directory-search-distance"),
    Visit("directory:service", args=_service),
    Visit("directory:service_sheet", args=_service),
    Visit("collective:calendar", args=lambda: ["310"], query="mois=2015-10", label="calendar-mrc"),
    Visit("collective:calendar_building", args=_building, query="mois=2015-12"),
    Visit("collective:activity", args=_activity),
    Visit("collective:projects"),
    Visit("collective:project", args=_project),
    Visit("collective:calendar_group", args=_group, query="mois=2015-10"),
    Visit("collective:tenants", args=lambda: ["31084"]),
    Visit("collective:tenants_building", args=_saint_maurice),
    Visit("directory:service_report", args=_service),
    Visit("collective:groups"),
    Visit("collective:group", args=_group_named(ASSOCIATION)),
    Visit("collective:meeting", args=_meeting("Assemblée de fondation")),
    Visit("collective:recommendation", args=_recommendation("Ouvrir la salle communautaire le samedi")),
    Visit("collective:group", who="locataires.tm", args=_group_named(ASSOCIATION), label="collective-group-member"),
    Visit("collective:meeting", who="secretaire.tm", args=_meeting("Réunion du conseil d'administration du 10 février 2016"),
          label="collective-meeting-officer"),
    Visit("collective:minutes_edit", who="locataires.tm", args=_meeting("Assemblée des locataires du 20 janvier 2016")),
    Visit("collective:meeting_new", who="secretaire.tm", args=_group_named(ASSOCIATION)),
    Visit("collective:meeting_attendance", who="secretaire.tm", args=_meeting("Assemblée générale annuelle 2016")),
    Visit("collective:decision_new", who="secretaire.tm",
          args=_meeting("Réunion du conseil d'administration du 10 février 2016")),
    Visit("collective:mandate_new", who="secretaire.tm", args=_group_named(ASSOCIATION)),
    Visit("collective:mandate_end", who="secretaire.tm", args=_board_mandate),
    Visit("collective:follow_up_new", who=ADMIN, args=_table_decision),
    Visit("collective:follow_up", args=_follow_up),
    Visit("collective:governance_search", query="q=salle+communautaire"),
    Visit("collective:governance_search", who="secretaire.tm", query="q=salle+communautaire",
          label="collective-search-member"),
    Visit("collective:recommendation", who="omh.thetford",
          args=_recommendation("Ouvrir la salle communautaire le samedi"), label="collective-recommendation-office"),
    # Signed in: the administrator sees every page and the longest navigation.
    Visit("home", who=ADMIN, label="home-signed-in"),
    Visit("organizations:create", who=ADMIN),
    Visit("organizations:detail", who=ADMIN, args=_organization, label="organizations-detail-staff"),
    Visit("organizations:edit", who=ADMIN, args=_organization),
    Visit("housing:available", who=ADMIN, args=lambda: ["310"], label="available-mrc-signed-in"),
    Visit("housing:building_create", who=ADMIN),
    Visit("housing:building", who=ADMIN, args=_building, label="housing-building-staff"),
    Visit("housing:building_edit", who=ADMIN, args=_building),
    Visit("housing:availability_report", who=ADMIN, args=_building),
    Visit("housing:import", who=ADMIN),
    Visit("jobs:job", args=_running_export, label="job-running-export"),
    Visit("jobs:job", who=ADMIN, args=_finished_import, label="job-finished-import"),
    Visit("directory_staff:list", who=ADMIN),
    Visit("directory_staff:list", who="intervenante", label="directory-staff-list-worker"),
    Visit("directory_staff:list", who=ADMIN, query="to_verify=1", label="directory-staff-list-to-verify"),
    Visit("directory_staff:service_create", who=ADMIN),
    Visit("directory_staff:service_edit", who=ADMIN, args=_service),
    Visit("directory_staff:organization_create", who=ADMIN),
    Visit("directory_staff:correction_propose", who="intervenante", args=_service),
    Visit("directory_staff:corrections", who="intervenante"),
    Visit("directory_staff:corrections", who=ADMIN, label="directory-staff-corrections-to-decide"),
    Visit("directory_staff:categories", who=ADMIN),
    Visit("directory_staff:category_edit", who=ADMIN, args=_category),
    # The support record, as the committee's workers see it.
    Visit("support:caseload", who="technicienne"),
    Visit("people:list", who="technicienne"),
    Visit("people:register", who="technicienne"),
    Visit("people:detail", who="technicienne", args=_tenant),
    Visit("people:detail", who="intervenante", args=_tenant, label="people-detail-partner"),
    Visit("people:consent_add", who="technicienne", args=_tenant),
    Visit("people:consent_print", who="technicienne", args=_consent),
    Visit("people:consent_revoke", who="technicienne", args=_consent),
    Visit("support:intervention_add", who="technicienne", query=lambda: f"personne={_tenant()[0]}"),
    Visit("support:referral_add", who="technicienne", query=lambda: f"personne={_tenant()[0]}"),
    Visit("support:referral", who="technicienne", args=_referral),
    Visit("support:received", who="intervenante"),
    Visit("people:duplicates", who="technicienne"),
    Visit("people:households", who="technicienne"),
    Visit("people:household_new", who="technicienne", query=lambda: f"personne={_tenant()[0]}"),
    Visit("people:household", who="intervenante", args=_household, query="q=D%C3%A9mo"),
    Visit("people:duplicate", who="technicienne", args=_duplicate),
    Visit("people:duplicate_merge", who="technicienne", args=_duplicate, query=_duplicate_keep),
    Visit("support:referrals_open", who="technicienne"),
    Visit("support:reviews", who="intervenante"),
    Visit("support:review_create", who="technicienne"),
    Visit("support:review", who="intervenante", args=_case_review),
    Visit("support:review_add_person", who="technicienne", args=_case_review, query="q=D%C3%A9mo"),
    Visit("support:review_note", who="oc.cisss", args=_case_review_item),
    Visit("support:statistics", who="technicienne"),
    Visit("support:statistics", who="chercheure", label="support-statistics-research"),
    Visit("people:access_log", who="rprp.omh"),
    Visit("people:file_request", who="rprp.omh"),
    Visit("people:file_print", who="rprp.omh", args=_tenant),
    Visit("people:incidents", who="rprp.omh"),
    Visit("people:incident_add", who="rprp.omh"),
    Visit("people:incident", who="rprp.omh", args=_incident),
    Visit("people:destructions", who="rprp.omh"),
    Visit("people:consent_scan_add", who="technicienne", args=_consent),
    Visit("support:research", who="chercheure"),
    Visit("collective:activity_create", who="locataires.tm"),
    Visit("collective:activity_edit", who=ADMIN, args=_activity),
    Visit("collective:activity_attendance", who=ADMIN, args=_activity),
    Visit("collective:activity_photo_add", who=ADMIN, args=_activity),
    Visit("collective:action_plans", who="coordination"),
    Visit("collective:action_plan", who="intervenante", args=_plan),
    Visit("collective:action_plan", who="coordination", args=_plan, label="collective-action-plan-keeper"),
    Visit("collective:plan_create", who="coordination"),
    Visit("collective:plan_edit", who="coordination", args=_plan),
    Visit("collective:project_create", who="intervenante"),
    Visit("collective:project_edit", who="intervenante", args=_project),
    Visit("collective:my_calendar", who="locataires.tm"),
    Visit("directory_staff:synonyms", who=ADMIN),
    Visit("directory_staff:synonym_edit", who=ADMIN, args=_synonym_group),
    Visit("access:audit", who=ADMIN),
    Visit("access:login_locks", who=ADMIN),
    Visit("access:api_tokens", who=ADMIN),
    Visit("access:password_change", who=ADMIN),
    Visit("access:password_change_done", who=ADMIN),
    # Error pages, in the layout: those a route gives, then those of tests/e2e/walk_urls.py.
    Visit("home", path="/nulle-part/", status=404, label="error-404"),
    Visit("housing:import", who="intervenante", status=403, label="error-403"),
    Visit("access:logout", status=405, label="error-405"),
    Visit("directory:service", args=_retired_service, status=410, label="error-410"),
    Visit("walk_400", status=400, label="error-400"),
    Visit("walk_403_csrf", status=403, label="error-403-form"),
    Visit("walk_413", status=413, label="error-413"),
    Visit("walk_429", status=429, label="error-429"),
    Visit("walk_500", status=500, label="error-500"),
    Visit("walk_500", who=ADMIN, status=500, label="error-500-signed-in"),
]


def site_routes() -> set[str]:
    """Every named route of the site's URL conf, as "namespace:name"."""
    names: set[str] = set()

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if route.startswith(NOT_SITE_PREFIXES):
                continue
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(namespace + p.name)

    walk(get_resolver().url_patterns, "", "")
    return names


def test_every_route_is_walked_or_said_not_to_be_a_page(db):
    walked = {v.name for v in VISITS} - set(WALK_ONLY)
    assert site_routes() - walked - set(NOT_PAGES) == set(), "a new page: add it to VISITS"
    assert (walked | set(NOT_PAGES)) - site_routes() == set(), "a route that no longer exists"


AXE_URL = "/__test__/axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


def check(page, visit: Visit, width: str, refused: list[str]) -> list[str]:
    """Open one page at one width; what is wrong with it, in words."""
    problems: list[str] = []
    refused.clear()
    url = visit.url()
    response = page.goto(page.base_url + url)
    page.wait_for_load_state("networkidle")
    where = f"{visit.slug} at {width} px ({url})"
    if response is None or response.status != visit.status:
        problems.append(f"{where}: status {response.status if response else None}, expected {visit.status}")
    if width == "390":
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            problems.append(f"{where}: {scroll} px wide, scrolls sideways")
    # axe-core from node_modules, served from the page's own origin: the strict CSP refuses inline scripts.
    page.add_script_tag(url=page.base_url + AXE_URL)
    for v in page.evaluate(AXE_RUN):
        problems.append(f"{where}: axe {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}")
    problems += [f"{where}: CSP refused: {text}" for text in refused]
    (SHOTS / "every-page").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "every-page" / f"{visit.slug}-{width}.png"), full_page=True)
    return problems


def signed_in_cookie(username: str) -> str:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.cookies["sessionid"].value


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_and_has_no_serious_accessibility_violation(browser, live_server, territory_loaded,
                                                                    settings, width):
    settings.AXES_ENABLED = False
    settings.ROOT_URLCONF = "tests.e2e.walk_urls"
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    admin = next(a for a in ACCOUNTS if a.username == ADMIN)
    api_token_issue(username=admin.username, password=admin.password, name="Tableur de la coordination")
    retired = Service.objects.order_by("-name").first()
    Service.objects.filter(pk=retired.pk).update(status=ServiceStatus.DEFUNCT)
    # A worker's proposed correction waits on the first service: its edit page and the corrections page show it.
    first = Service.objects.get(pk=_service()[0])
    correction_propose(actor=get_user_model().objects.get(username="intervenante"), service_id=first.pk,
                       version=first.version, data={"phone": "418 555-0199"}, note="Le numéro a changé.")
    # And an error reported by the public, with a way to reach its sender: the to-verify view shows it.
    error_report(service_id=first.pk, text="Le service a déménagé.", contact="418 555-0142", sender="192.0.2.1")
    problems: list[str] = []
    for who in dict.fromkeys(v.who for v in VISITS):
        context = browser.new_context(locale="fr-CA", viewport=WIDTHS[width])
        context.set_default_timeout(15000)
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url)
                      else route.abort())
        if who:
            context.add_cookies([{"name": "sessionid", "value": signed_in_cookie(who), "url": live_server.url}])
        page = context.new_page()
        page.base_url = live_server.url
        page.route(live_server.url + AXE_URL, lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
        refused: list[str] = []
        page.on("console", lambda m, refused=refused: refused.append(m.text)
                if "Content Security Policy" in m.text else None)
        for visit in (v for v in VISITS if v.who == who):
            problems += check(page, visit, width, refused)
        context.close()
    assert problems == [], "\n".join(problems)
