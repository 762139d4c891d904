"""The region edits its taxonomy of categories."""

import pytest

from tests.directory.factories import DirectoryOrganizationFactory
from toitcommun.access.models import AuditEvent
from toitcommun.directory.models import Service, TaxonomyTerm
from toitcommun.directory.search import index_services
from toitcommun.directory.selectors import search_query, services_search
from toitcommun.directory.services import category_save
from toitcommun.directory.taxonomy_seed import CATEGORIES_TAXONOMY, term_id
from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed


def test_coordinator_adds_a_category_and_services_can_use_it(coordinator):
    term = category_save(actor=coordinator, data={"code": "clothing", "name": "Vêtements", "name_en": "Clothing",
                                                  "description": "Comptoirs vestimentaires."})
    assert term.taxonomy_id == CATEGORIES_TAXONOMY
    assert AuditEvent.objects.filter(action="category.create").count() == 1
    assert search_query(category="clothing").category == "clothing"


def test_renaming_a_category_keeps_its_code_and_refreshes_search(admin_user, db):
    provider = DirectoryOrganizationFactory(name="Org", description="d")
    service = Service.objects.create(directory_organization=provider, name="Comptoir", description="d")
    service.categories.add(term_id("category", "food"))
    index_services([service])
    category_save(actor=admin_user, term_id=term_id("category", "food"),
                  data={"code": "changed", "name": "Nourriture", "name_en": "Food", "description": "x"})
    term = TaxonomyTerm.objects.get(pk=term_id("category", "food"))
    assert (term.code, term.name) == ("food", "Nourriture")
    assert [s.name for s in services_search(search_query(text="nourriture"))] == ["Comptoir"]


@pytest.mark.parametrize("who", ["office_staff", "office_worker", "researcher", "nobody"])
def test_others_may_not_edit_categories(request, db, who):
    with pytest.raises(PermissionRefused):
        category_save(actor=request.getfixturevalue(who), data={"code": "x1", "name": "X", "description": "x"})
    assert not TaxonomyTerm.objects.filter(code="x1").exists()


@pytest.mark.parametrize("data, field", [
    ({"code": "food", "name": "Doublon", "description": "x"}, "code"),
    ({"code": "Pas un code!", "name": "X", "description": "x"}, "code"),
    ({"code": "ok_code", "name": "", "description": "x"}, "name"),
    ({"code": "ok_code", "name": "x" * 201, "description": "x"}, "name"),
])
def test_bad_categories_are_refused(coordinator, data, field):
    before = TaxonomyTerm.objects.count()
    with pytest.raises(ValidationFailed) as refusal:
        category_save(actor=coordinator, data=data)
    assert field in refusal.value.errors
    assert TaxonomyTerm.objects.count() == before


def test_unknown_category_is_not_found(coordinator):
    for pk in ("nope", "00000000-0000-0000-0000-000000000000", term_id("clientele", "seniors")):
        with pytest.raises(NotFound):
            category_save(actor=coordinator, term_id=pk, data={"name": "x", "description": "x"})


def test_category_pages(client, coordinator, office_staff):
    client.force_login(office_staff)
    assert client.get("/repertoire/gestion/categories/").status_code == 403
    client.force_login(coordinator)
    response = client.get("/repertoire/gestion/categories/")
    assert response.status_code == 200 and "Alimentation" in response.content.decode()
    response = client.post("/repertoire/gestion/categories/", {"code": "", "name": "Vêtements", "description": "v"})
    assert "Ce champ est obligatoire." in response.content.decode()
    assert 'value="Vêtements"' in response.content.decode()
    assert client.post("/repertoire/gestion/categories/", {"code": "clothing", "name": "Vêtements",
                                                          "description": "v"}).status_code == 302
    food = term_id("category", "food")
    assert client.post(f"/repertoire/gestion/categories/{food}/", {"name": "Aide alimentaire", "name_en": "Food",
                                                                  "description": "d"}).status_code == 302
    assert TaxonomyTerm.objects.get(pk=food).name == "Aide alimentaire"
    assert client.get("/repertoire/gestion/categories/nope/").status_code == 404
