"""The region's thesaurus: groups of equivalent expressions, applied at query time, edited by its keepers."""

import pytest

from tests.directory.factories import DirectoryOrganizationFactory
from toitcommun.access.models import AuditEvent
from toitcommun.access.reading import ACTIONS
from toitcommun.directory.models import Service, SynonymGroup
from toitcommun.directory.search import (
    fts5_expression,
    index_services,
    normalized,
    text_query,
    tsquery_expression,
)
from toitcommun.directory.selectors import search_query, services_search
from toitcommun.directory.services import synonym_group_delete, synonym_group_save
from toitcommun.errors import NotFound, PermissionRefused, ValidationFailed, VersionConflict


@pytest.fixture
def clothing(db):
    provider = DirectoryOrganizationFactory(name="Friperie (test)", description="d")
    service = Service.objects.create(directory_organization=provider, name="Comptoir vestimentaire",
                                     description="Vêtements usagés à petit prix.")
    index_services([service])
    return service


def names(text):
    return [s.name for s in services_search(search_query(text=text))]


# ---- the normalizer ----------------------------------------------------------------------------


@pytest.mark.parametrize("typed, indexed", [
    ("Épicerie solidaire Cœur-des-Appalaches", "epicer solidair coeur appalach"),
    ("ÉPICERIES SOLIDAIRES COEUR DES APPALACHES", "epicer solidair coeur appalach"),
    ("L'aide d'urgence qu'on offre", "aid urgenc offre"),
    ("Les loyers du logement", "loi log"),
    ("le loyer", "loi"),
    ("Curriculum vitæ", "curriculum vita"),
    ("rapport d’impôt", "rapport impot"),
])
def test_one_normalizer_folds_splits_drops_and_stems(typed, indexed):
    assert normalized(typed) == indexed


def test_the_thesaurus_expands_a_query_into_phrases_for_both_engines():
    groups = [[("banqu", "alimentair"), ("aid", "alimentair"), ("mang",)]]
    query = text_query("banques alimentaires Thetford", groups)
    assert fts5_expression(query) == ('("banqu alimentair" OR "aid alimentair" OR "mang") AND ("thetford" OR "thetford"*)')
    assert tsquery_expression(query) == "(banqu <-> alimentair | aid <-> alimentair | mang) & (thetford | thetford:*)"
    assert tsquery_expression(query, any_slot=True).count("|") > tsquery_expression(query).count("|")


# ---- the thesaurus ---------------------------------------------------------------------------------


def test_the_thesaurus_is_seeded_with_the_fields_common_expressions(db):
    expressions = {e for g in SynonymGroup.objects.all() for e in g.expressions}
    assert {"banque alimentaire", "dépannage alimentaire", "comptoir alimentaire", "aide alimentaire", "épicerie",
            "impôts", "rapport d'impôt", "déclaration de revenus", "loyer", "bail", "logement"} <= expressions


def test_a_coordinator_adds_a_group_and_the_next_search_uses_it(coordinator, clothing):
    assert names("vêtements") == ["Comptoir vestimentaire"]
    assert names("linge") == []
    group = synonym_group_save(actor=coordinator, data={"expressions": "vêtements\n  linge \n\nhabits"})
    assert group.expressions == ["vêtements", "linge", "habits"]
    assert names("linge") == ["Comptoir vestimentaire"]  # no reindexing
    event = AuditEvent.objects.get(action="synonyms.create")
    assert event.after == {"expressions": ["vêtements", "linge", "habits"]} and "synonyms.create" in ACTIONS


def test_changing_and_deleting_a_group_is_audited_and_effective_at_once(admin_user, clothing):
    group = synonym_group_save(actor=admin_user, data={"expressions": "vêtements\nlinge"})
    synonym_group_save(actor=admin_user, data={"expressions": "vêtements\nhabits"}, group_id=group.pk, version=1)
    assert (names("linge"), names("habits")) == ([], ["Comptoir vestimentaire"])
    synonym_group_delete(actor=admin_user, group_id=group.pk)
    assert names("habits") == []
    actions = list(AuditEvent.objects.filter(object_id=str(group.pk), action__startswith="synonyms.")
                   .values_list("action", flat=True))
    assert sorted(actions) == ["synonyms.create", "synonyms.delete", "synonyms.update"]


def test_a_stale_save_is_refused_and_changes_nothing(admin_user, clothing):
    group = synonym_group_save(actor=admin_user, data={"expressions": "vêtements\nlinge"})
    synonym_group_save(actor=admin_user, data={"expressions": "vêtements\nhabits"}, group_id=group.pk, version=1)
    with pytest.raises(VersionConflict):
        synonym_group_save(actor=admin_user, data={"expressions": "vêtements\nfringues"}, group_id=group.pk,
                           version=1)
    assert SynonymGroup.objects.get(pk=group.pk).expressions == ["vêtements", "habits"]


@pytest.mark.parametrize("who", ["office_staff", "office_worker", "researcher", "nobody"])
def test_others_may_not_edit_the_thesaurus(request, admin_user, db, who):
    actor = request.getfixturevalue(who)
    group = SynonymGroup.objects.first()
    before = (SynonymGroup.objects.count(), group.expressions)
    with pytest.raises(PermissionRefused):
        synonym_group_save(actor=actor, data={"expressions": "a1b\nc2d"})
    with pytest.raises(PermissionRefused):
        synonym_group_save(actor=actor, data={"expressions": "a1b\nc2d"}, group_id=group.pk, version=1)
    with pytest.raises(PermissionRefused):
        synonym_group_delete(actor=actor, group_id=group.pk)
    assert (SynonymGroup.objects.count(), SynonymGroup.objects.get(pk=group.pk).expressions) == before
    assert not AuditEvent.objects.filter(action__startswith="synonyms.").exists()


@pytest.mark.parametrize("typed", ["", "seul", "vêtements\nvêtements", "vêtements\nde la", "x" * 101 + "\nlinge",
                                   "\n".join(f"mot{i}" for i in range(41))])
def test_bad_groups_are_refused_with_the_reason(coordinator, db, typed):
    count = SynonymGroup.objects.count()
    with pytest.raises(ValidationFailed) as refusal:
        synonym_group_save(actor=coordinator, data={"expressions": typed})
    assert "expressions" in refusal.value.errors
    assert SynonymGroup.objects.count() == count


@pytest.mark.parametrize("pk", ["nope", "999999", "-1", "1" * 40])
def test_unknown_groups_are_not_found(coordinator, db, pk):
    with pytest.raises(NotFound):
        synonym_group_delete(actor=coordinator, group_id=pk)
    with pytest.raises(NotFound):
        synonym_group_save(actor=coordinator, data={"expressions": "a1\nb2"}, group_id=pk, version=1)


# ---- the pages ---------------------------------------------------------------------------------


def test_the_thesaurus_page_lists_adds_edits_and_deletes(client, coordinator, clothing):
    client.force_login(coordinator)
    page = client.get("/repertoire/gestion/synonymes/")
    assert page.status_code == 200 and "banque alimentaire" in page.content.decode()
    assert 'id="edit-synonyms"' in client.get("/repertoire/gestion/").content.decode()
    refused = client.post("/repertoire/gestion/synonymes/", {"expressions": "seul"})
    assert refused.status_code == 200 and "au moins deux expressions" in refused.content.decode()
    assert "seul" in refused.content.decode()  # what was typed is kept
    added = client.post("/repertoire/gestion/synonymes/", {"expressions": "vêtements\nlinge"})
    assert added.status_code == 302
    group = SynonymGroup.objects.get(expressions=["vêtements", "linge"])
    edit = client.get(f"/repertoire/gestion/synonymes/{group.pk}/")
    assert "vêtements\nlinge" in edit.content.decode()
    assert client.post(f"/repertoire/gestion/synonymes/{group.pk}/",
                       {"expressions": "vêtements\nhabits", "version": "1"}).status_code == 302
    stale = client.post(f"/repertoire/gestion/synonymes/{group.pk}/", {"expressions": "vêtements\nfringues",
                                                                       "version": "1"})
    assert stale.status_code == 200 and 'id="conflict"' in stale.content.decode()
    assert client.post(f"/repertoire/gestion/synonymes/{group.pk}/supprimer/").status_code == 302
    assert not SynonymGroup.objects.filter(pk=group.pk).exists()


def test_the_thesaurus_pages_are_refused_to_others(client, office_staff, db):
    client.force_login(office_staff)
    group = SynonymGroup.objects.first()
    assert client.get("/repertoire/gestion/synonymes/").status_code == 403
    assert client.get(f"/repertoire/gestion/synonymes/{group.pk}/").status_code == 403
    assert client.post(f"/repertoire/gestion/synonymes/{group.pk}/supprimer/").status_code == 403
    assert SynonymGroup.objects.filter(pk=group.pk).exists()
