"""Fixtures shared by the whole suite: the territory, people in each role, the demo world."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from tests.factories import PASSWORD, OrganizationFactory, RoleFactory, UserFactory, municipality
from toitcommun.access.models import Role
from toitcommun.territory.services import territory_load_mamh


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the province's territory loaded (1,281 municipalities)."""
    with django_db_blocker.unblock():
        territory_load_mamh()


@pytest.fixture(scope="session", autouse=True)
def flush_lifts_the_audit_guard():
    """Transactional tests empty every table when they end, the append-only audit and access logs included
    (and the facts of destruction and the incident register, which are never deleted either).

    The database refuses that (TRUNCATE on PostgreSQL, DELETE on SQLite), as it
    should in production; for the test harness alone, the flush lifts the audit
    table's triggers and puts them back in the same transaction.
    """
    ops = type(connection.ops)
    original = ops.execute_sql_flush
    guarded = ("access_auditevent", "people_accesslogentry", "people_destructionrecord",
               "people_confidentialityincident")

    def execute_sql_flush(self, sql_list):
        if self.connection.vendor == "postgresql":
            sql_list = [*(f"ALTER TABLE {table} DISABLE TRIGGER USER" for table in guarded), *sql_list,
                        *(f"ALTER TABLE {table} ENABLE TRIGGER USER" for table in guarded)]
        elif self.connection.vendor == "sqlite":
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                               "AND tbl_name IN (%s, %s, %s, %s)", guarded)
                triggers = cursor.fetchall()
            sql_list = [*(f"DROP TRIGGER {name}" for name, _sql in triggers), *sql_list,
                        *(sql for _name, sql in triggers)]
        return original(self, sql_list)

    ops.execute_sql_flush = execute_sql_flush
    yield
    ops.execute_sql_flush = original


@pytest.fixture(autouse=True)
def french_by_default():
    """Each test starts in French, whatever language the previous one's requests switched to."""
    translation.activate("fr")
    yield
    translation.activate("fr")


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def thetford(db):
    return municipality("31084")


@pytest.fixture
def levis(db):
    return municipality("25213")


@pytest.fixture
def housing_office(db, thetford):
    return OrganizationFactory(name="Office municipal d'habitation de Thetford Mines (test)", municipality=thetford)


@pytest.fixture
def other_office(db, levis):
    return OrganizationFactory(name="Office municipal d'habitation de Lévis (test)", municipality=levis)


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="admin-test", is_superuser=True, is_staff=True)
    RoleFactory(user=user, role=Role.ADMINISTRATOR)
    return user


@pytest.fixture
def coordinator(db):
    """Regional coordinator of Chaudière-Appalaches (12)."""
    return RoleFactory(user=UserFactory(username="coord-12"), role=Role.REGIONAL_COORDINATOR, territory_code="12").user


@pytest.fixture
def coordinator_elsewhere(db):
    """Regional coordinator of Estrie (05)."""
    return RoleFactory(user=UserFactory(username="coord-05"), role=Role.REGIONAL_COORDINATOR, territory_code="05").user


@pytest.fixture
def office_staff(db, housing_office):
    return RoleFactory(user=UserFactory(username="staff-tm"), role=Role.ORGANIZATION_STAFF,
                       organization=housing_office).user


@pytest.fixture
def other_staff(db, other_office):
    return RoleFactory(user=UserFactory(username="staff-levis"), role=Role.ORGANIZATION_STAFF,
                       organization=other_office).user


@pytest.fixture
def office_worker(db, housing_office):
    return RoleFactory(user=UserFactory(username="worker-tm"), role=Role.WORKER, organization=housing_office).user


@pytest.fixture
def researcher(db):
    return RoleFactory(user=UserFactory(username="researcher"), role=Role.RESEARCHER).user


@pytest.fixture
def nobody(db):
    """An account with no role at all."""
    return UserFactory(username="nobody")


@pytest.fixture
def demo(db):
    """The Chaudière-Appalaches demo scenario, loaded as `make run` loads it."""
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def pytest_collection_modifyitems(config, items):
    """Tests that flush the database (browser tests on a live server) run last.

    A transactional test empties every table when it ends, the territory
    included; running those tests after all others keeps the others' world intact.
    """
    def flushes(item) -> bool:
        names = getattr(item, "fixturenames", ())
        return "live_server" in names or "transactional_db" in names or item.get_closest_marker("browser") is not None

    items.sort(key=flushes)


@pytest.fixture
def territory_loaded(transactional_db):
    """For transactional tests: the territory, the directory's taxonomy and the agreement's objectives, reloaded
    after a flush."""
    from toitcommun.directory.models import SynonymGroup, Taxonomy, TaxonomyTerm
    from toitcommun.directory.taxonomy_seed import seed_taxonomy
    from toitcommun.directory.thesaurus_seed import seed_synonyms

    territory_load_mamh()
    seed_taxonomy(Taxonomy, TaxonomyTerm)
    seed_synonyms(SynonymGroup)
    # The agreement's eight objectives, seeded by a migration, are gone after a flush too.
    from importlib import import_module

    from toitcommun.collective.models import AgreementObjective

    seeded = import_module("toitcommun.collective.migrations.0002_activities_projects_plans_feeds")
    for number, title in seeded.OBJECTIVES:
        AgreementObjective.objects.update_or_create(number=number, defaults={"title": title})


@pytest.fixture
def english_catalogue() -> None:
    """The project's English catalogue, compiled from the .po when stale and read afresh (never patched)."""
    from tests.catalogue import load_english_catalogue

    load_english_catalogue()


@pytest.fixture(scope="session", autouse=True)
def static_files_looked_up_per_request():
    """WhiteNoise looks static files up when asked, instead of scanning them all for each test client.

    Scanning takes ~85 ms per client, once per test; tests/test_serving.py checks the
    configuration that `make run` serves with.
    """
    from django.conf import settings

    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(scope="session", autouse=True)
def public_cache_off_unless_asked():
    """Tests write with factories, which leave no audit event: a page kept from before such a write
    would still be served. The page cache is off, except in tests that ask for it (tests/perf/)."""
    from django.conf import settings

    settings.PUBLIC_CACHE_SECONDS = 0
