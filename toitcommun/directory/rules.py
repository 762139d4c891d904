"""Who may keep the resource directory: add, change, verify and retire services.

A service is kept by its provider's staff (the organization linked to its
directory record), by the regional coordinators of the territory it lies in
(a service area or a place there), and by administrators. The provider's
workers may only confirm that a record is still right (verify).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from toitcommun.access import rules as r
from toitcommun.access.models import Role
from toitcommun.territory.models import Mrc, Municipality

from .models import Service

DIRECTORY_ROLES = (Role.ADMINISTRATOR, Role.REGIONAL_COORDINATOR, Role.ORGANIZATION_STAFF, Role.WORKER)


# ---- where a service lies ------------------------------------------------------------------


def territories_covering(codes: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each territory code with the codes that contain it: '31084' -> {'31084', '310', '12'}.

    Two queries whatever the number of codes, so that a list can ask for all its rows at once.
    """
    wanted = {c for c in codes if c}
    found: dict[str, frozenset[str]] = {c: frozenset({c}) for c in wanted}
    for code, mrc, region in Municipality.objects.filter(code__in=wanted).values_list(
            "code", "mrc__code", "mrc__region__code"):
        found[code] = frozenset({code, mrc, region})
    for code, region in Mrc.objects.filter(code__in=wanted).values_list("code", "region__code"):
        found[code] = frozenset({code, region})
    return found


def place_codes(service: Service) -> set[str]:
    """The service's area codes and the municipality codes of its places (as prefetched).

    An area we cannot place (imported with a foreign URI, kept as text) lies in no territory of ours.
    """
    codes = {a.territory_code for a in service.service_areas.all() if a.territory_code}
    for sal in service.service_at_locations.all():
        if sal.location.municipality is not None:
            codes.add(sal.location.municipality.code)
    return codes


def territories_of(services: Iterable[Service]) -> dict[Any, frozenset[str]]:
    """For each service, every territory code it lies in (its places, their MRC and region)."""
    places = {s.pk: place_codes(s) for s in services}
    covering = territories_covering(c for codes in places.values() for c in codes)
    return {pk: frozenset().union(*(covering[c] for c in codes)) for pk, codes in places.items()}


# ---- predicates ----------------------------------------------------------------------------


def coordinates_any(user: Any, territories: frozenset[str] | set[str]) -> bool:
    """A regional coordinator of one of these territories; a service placed nowhere yet is anyone's."""
    scopes = [a.territory_code for a in r.assignments(user) if a.role == Role.REGIONAL_COORDINATOR]
    if not territories:
        return bool(scopes)
    return any(scope in territories for scope in scopes)


def within_scope(user: Any, codes: Iterable[str]) -> bool:
    """A regional coordinator whose territories hold every one of these codes (areas or municipalities)."""
    scopes = {a.territory_code for a in r.assignments(user) if a.role == Role.REGIONAL_COORDINATOR}
    covering = territories_covering(codes)
    return bool(scopes) and all(covering[code] & scopes for code in covering)


def may_place(user: Any, organization_id: int | None, added: Iterable[str]) -> bool:
    """May make the provider's service serve or sit in these territories (the new value of a change).

    Administrators anywhere and the provider's staff wherever it serves; a coordinator only inside
    their own territories: a coordinator of region 12 cannot open a service to region 05, or to QC.
    """
    return r.is_administrator(user) or r.is_staff_of(user, organization_id) or within_scope(user, added)


def may_keep(user: Any, organization_id: int | None, territories: frozenset[str] | set[str]) -> bool:
    """Administrators, the coordinators of the territory, the provider's staff."""
    return (
        r.is_administrator(user)
        or coordinates_any(user, territories)
        or r.is_staff_of(user, organization_id)
    )


def can_use_directory_staff_pages(user: Any) -> bool:
    return r.is_administrator(user) or r.has_role(user, DIRECTORY_ROLES)


def can_keep_directory(user: Any) -> bool:
    """May add to or change the directory at all (the workers only verify)."""
    return r.is_administrator(user) or r.has_role(user, [Role.REGIONAL_COORDINATOR, Role.ORGANIZATION_STAFF])


def can_choose_any_provider(user: Any) -> bool:
    """Administrators and coordinators work with every provider; staff with their organization's."""
    return r.is_administrator(user) or r.has_role(user, [Role.REGIONAL_COORDINATOR])


def can_create_directory_organization(user: Any, organization_id: int | None) -> bool:
    """Administrators and coordinators; an organization's staff for their own organization."""
    return (
        r.is_administrator(user)
        or r.has_role(user, [Role.REGIONAL_COORDINATOR])
        or r.is_staff_of(user, organization_id)
    )


def can_create_service(user: Any, organization_id: int | None) -> bool:
    """Administrators and any coordinator; staff for a provider linked to their organization."""
    return (
        r.is_administrator(user)
        or r.has_role(user, [Role.REGIONAL_COORDINATOR])
        or r.is_staff_of(user, organization_id)
    )


def can_change_service(user: Any, service: Service, territories: frozenset[str] | None = None) -> bool:
    if territories is None:
        territories = territories_of([service])[service.pk]
    return may_keep(user, service.directory_organization.organization_id, territories)


def can_retire_service(user: Any, service: Service, territories: frozenset[str] | None = None) -> bool:
    return can_change_service(user, service, territories)


def can_verify_service(user: Any, service: Service, territories: frozenset[str] | None = None) -> bool:
    """Those who keep it, and the provider's workers, who know whether it is still right."""
    return can_change_service(user, service, territories) or r.is_staff_of(
        user, service.directory_organization.organization_id, roles=(Role.WORKER,)
    )


def can_import_hsds(user: Any) -> bool:
    """May bring HSDS documents in at all; each service of the run is then checked as on the pages."""
    return r.is_administrator(user) or r.has_role(user, [Role.REGIONAL_COORDINATOR])


def can_edit_categories(user: Any) -> bool:
    """The region's categories are kept by its coordinators and administrators."""
    return r.is_administrator(user) or r.has_role(user, [Role.REGIONAL_COORDINATOR])


def can_edit_thesaurus(user: Any) -> bool:
    """The region's synonyms are kept as its categories are: by its coordinators and administrators."""
    return can_edit_categories(user)


def can_see_service_contacts(user: Any) -> bool:
    """A service's contact persons and who verified it are people's names and e-mails: the network's staff only.

    The public reaches the service through its own phones, e-mail and website.
    """
    return r.can_see_personal_contacts(user)


# ---- corrections proposed by those who verify ------------------------------------------------


def can_propose_correction(user: Any, service: Service, territories: frozenset[str] | None = None) -> bool:
    """Workers, and whoever may verify the service, when they may not change it themselves.

    Those who may change a service change it directly; a worker of any organization who sees
    that a phone number changed proposes the correction to those who keep the service.
    """
    if territories is None:
        territories = territories_of([service])[service.pk]
    if can_change_service(user, service, territories):
        return False
    return r.has_role(user, [Role.WORKER]) or can_verify_service(user, service, territories)


def can_decide_correction(user: Any, service: Service, territories: frozenset[str] | None = None) -> bool:
    """Accepting or refusing a proposed correction is changing the service: whoever may change it."""
    return can_change_service(user, service, territories)


def can_withdraw_correction(user: Any, proposed_by_id: int | None) -> bool:
    """Only its author withdraws a proposal."""
    return r.is_authenticated(user) and user.pk == proposed_by_id
