import datetime

import pytest

from tests.factories import OrganizationFactory
from toitcommun.access.models import AuditEvent
from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed, VersionConflict
from toitcommun.organizations.models import Organization
from toitcommun.organizations.services import (
    organization_create,
    organization_get,
    organization_update,
)


def new_org(thetford, **extra):
    return {"name": "Maison de la famille des Appalaches", "kind": "community_organization",
            "municipality": thetford.pk, **extra}


def test_coordinator_registers_an_organization_in_their_region(coordinator, thetford):
    org = organization_create(actor=coordinator, data=new_org(thetford))
    assert org.name_key == "maison de la famille des appalaches"
    event = AuditEvent.objects.get(action="organization.create")
    assert event.after["name"] == "Maison de la famille des Appalaches"


@pytest.mark.parametrize("who", ["coordinator_elsewhere", "office_staff", "office_worker", "researcher", "nobody"])
def test_others_may_not_register_an_organization(request, who, thetford):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionRefused):
        organization_create(actor=actor, data=new_org(thetford))
    assert not Organization.objects.filter(name="Maison de la famille des Appalaches").exists()
    assert not AuditEvent.objects.filter(action="organization.create").exists()


def test_bad_input_names_the_field_in_french(admin_user, thetford):
    with pytest.raises(ValidationFailed) as refusal:
        organization_create(actor=admin_user, data=new_org(thetford, kind="secret_society", email="pas-un-courriel",
                                                           name="x" * 201))
    errors = refusal.value.errors
    assert set(errors) == {"kind", "email", "name"}
    assert "Saisissez une adresse de courriel valide." in errors["email"]
    assert Organization.objects.count() == 0


def test_a_name_already_taken_is_refused_whatever_its_accents(admin_user, thetford, housing_office):
    with pytest.raises(ValidationFailed) as refusal:
        organization_create(actor=admin_user, data=new_org(thetford, name="OFFICE MUNICIPAL D'HABITATION DE "
                                                                          "THETFORD MINES (TEST)"))
    assert "name" in refusal.value.errors


def test_staff_update_their_own_organization(office_staff, housing_office):
    org = organization_update(actor=office_staff, organization_id=housing_office.pk,
                              version=housing_office.version, data={"phone": "418 335-0000"})
    assert (org.phone, org.version) == ("418 335-0000", 2)
    event = AuditEvent.objects.get(action="organization.update")
    assert (event.before["phone"], event.after["phone"]) == ("", "418 335-0000")


def test_a_stale_version_is_refused_and_nothing_is_overwritten(office_staff, coordinator, housing_office):
    organization_update(actor=coordinator, organization_id=housing_office.pk, version=1, data={"phone": "111"})
    with pytest.raises(VersionConflict) as stale:
        organization_update(actor=office_staff, organization_id=housing_office.pk, version=1, data={"phone": "222"})
    assert stale.value.current["phone"] == "111"
    assert stale.value.current_version == 2
    assert Organization.objects.get(pk=housing_office.pk).phone == "111"


@pytest.mark.parametrize("who", ["other_staff", "office_worker", "coordinator_elsewhere", "researcher"])
def test_others_may_not_update_an_organization(request, who, housing_office):
    with pytest.raises(PermissionRefused):
        organization_update(actor=request.getfixturevalue(who), organization_id=housing_office.pk, version=1,
                            data={"phone": "999"})
    assert Organization.objects.get(pk=housing_office.pk).phone == ""


def test_update_without_version_is_refused(office_staff, housing_office):
    with pytest.raises(ValidationFailed) as refusal:
        organization_update(actor=office_staff, organization_id=housing_office.pk, version=None, data={})
    assert "version" in refusal.value.errors


def test_unknown_organization_is_not_found(db):
    for pk in (999999, "abc", None):
        with pytest.raises(NotFound):
            organization_get(pk)


def test_list_page_filters_by_kind_and_territory(client, db, housing_office, other_office, django_assert_max_num_queries):
    OrganizationFactory(name="CDC des Appalaches (test)", kind="community_organization")
    with django_assert_max_num_queries(6):
        response = client.get("/organisations/", {"territory": "310", "kind": "housing_office"})
    names = [o.name for o in response.context["page"]]
    assert names == [housing_office.name]
    response = client.get("/organisations/", {"territory": "nowhere"})
    assert "Territoire introuvable : « nowhere »." in response.content.decode()


def test_edit_page_shows_the_conflict_and_keeps_what_was_typed(client, office_staff, coordinator, housing_office):
    organization_update(actor=coordinator, organization_id=housing_office.pk, version=1, data={"phone": "111"})
    client.force_login(office_staff)
    data = {"name": housing_office.name, "kind": "housing_office", "municipality": housing_office.municipality_id,
            "phone": "222", "version": "1"}
    response = client.post(f"/organisations/{housing_office.pk}/modifier/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="version-conflict"' in body
    assert 'value="222"' in body
    assert response.context["conflict"] == [{"label": "Téléphone", "typed": "222", "stored": "111"}]
    assert Organization.objects.get(pk=housing_office.pk).phone == "111"


def test_edit_page_that_loses_a_rename_race_shows_the_name_error_and_keeps_what_was_typed(
    client, office_staff, housing_office, other_office, monkeypatch
):
    from toitcommun.organizations import services

    # The check said the name was free; the other office took it before this write.
    monkeypatch.setattr(services, "_name_taken", lambda *args, **kwargs: False)
    client.force_login(office_staff)
    data = {"name": other_office.name, "kind": "housing_office", "municipality": housing_office.municipality_id,
            "phone": "418 555-0101", "version": "1"}

    response = client.post(f"/organisations/{housing_office.pk}/modifier/", data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["Une organisation porte déjà ce nom."]}
    assert 'value="418 555-0101"' in response.content.decode()
    housing_office.refresh_from_db()
    assert (housing_office.name, housing_office.version) == ("Office municipal d'habitation de Thetford Mines (test)", 1)


def test_edit_page_refuses_other_organizations_staff(client, other_staff, housing_office):
    client.force_login(other_staff)
    assert client.get(f"/organisations/{housing_office.pk}/modifier/").status_code == 403


def test_create_page_shows_errors_in_french_and_keeps_input(client, admin_user, thetford):
    client.force_login(admin_user)
    response = client.post("/organisations/nouvelle/", {"name": "Popote roulante", "kind": "", "municipality": thetford.pk})
    body = response.content.decode()
    assert "Ce champ est obligatoire." in body
    assert 'value="Popote roulante"' in body
    response = client.post("/organisations/nouvelle/", {"name": "Popote roulante", "kind": "community_organization",
                                                        "municipality": thetford.pk})
    assert response.status_code == 302


# --- Memberships -------------------------------------------------------------------------------

from toitcommun.organizations.models import Membership  # noqa: E402
from toitcommun.organizations.services import membership_add, membership_end  # noqa: E402


def test_staff_add_a_person_and_later_note_that_they_left(office_staff, housing_office):
    m = membership_add(actor=office_staff, organization_id=housing_office.pk,
                       data={"full_name": "Julie Roy", "title": "Technicienne en location", "is_contact": "on"})
    assert (m.organization, m.is_contact, m.end_date) == (housing_office, True, None)
    ended = membership_end(actor=office_staff, membership_id=m.pk)
    assert ended.end_date is not None
    assert Membership.objects.filter(pk=m.pk).exists()  # nothing lost: the record stays, with its end
    actions = AuditEvent.objects.filter(action__startswith="membership.").order_by("id")
    assert [e.action for e in actions] == ["membership.add", "membership.end"]


@pytest.mark.parametrize("who", ["other_staff", "office_worker", "coordinator_elsewhere", "researcher", "nobody"])
def test_others_may_not_add_or_end_memberships(request, db, who, housing_office):
    m = Membership.objects.create(organization=housing_office, full_name="A", title="B")
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionRefused):
        membership_add(actor=actor, organization_id=housing_office.pk, data={"full_name": "X", "title": "Y"})
    with pytest.raises(PermissionRefused):
        membership_end(actor=actor, membership_id=m.pk)
    assert Membership.objects.count() == 1 and Membership.objects.get().end_date is None


def test_bad_membership_input_is_refused(office_staff, housing_office):
    with pytest.raises(ValidationFailed) as refusal:
        membership_add(actor=office_staff, organization_id=housing_office.pk,
                       data={"full_name": "", "title": "x" * 121, "email": "nope"})
    assert set(refusal.value.errors) == {"full_name", "title", "email"}
    with pytest.raises(NotFound):
        membership_end(actor=office_staff, membership_id=424242)
    m = Membership.objects.create(organization=housing_office, full_name="A", title="B",
                                  start_date=datetime.date(2030, 1, 1))
    with pytest.raises(ValidationFailed):
        membership_end(actor=office_staff, membership_id=m.pk, end_date=datetime.date(2029, 1, 1))


def test_membership_page_answers_htmx_with_the_people_fragment(client, office_staff, housing_office):
    client.force_login(office_staff)
    response = client.post(f"/organisations/{housing_office.pk}/membres/",
                           {"full_name": "Sophie Lachance", "title": "TP"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "Sophie Lachance" in body and "<html" not in body
    m = Membership.objects.get()
    response = client.post(f"/organisations/{housing_office.pk}/membres/{m.pk}/fin/", headers={"HX-Request": "true"})
    assert "Sophie Lachance" not in response.content.decode()


def test_membership_pages_refuse_others(client, other_staff, housing_office, other_office):
    m = Membership.objects.create(organization=housing_office, full_name="A", title="B")
    client.force_login(other_staff)
    assert client.post(f"/organisations/{housing_office.pk}/membres/", {"full_name": "X", "title": "Y"}).status_code == 403
    assert client.post(f"/organisations/{housing_office.pk}/membres/{m.pk}/fin/").status_code == 403
    # A membership reached through another organization's address is not found.
    assert client.post(f"/organisations/{other_office.pk}/membres/{m.pk}/fin/").status_code == 404
