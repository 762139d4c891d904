"""Factories shared by every domain's tests."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from toitcommun.access.models import RoleAssignment
from toitcommun.housing.models import AvailabilitySnapshot, Building, UnitGroup
from toitcommun.organizations.models import Organization
from toitcommun.territory.models import Municipality

PASSWORD = "Correct-Horse-Battery-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Personne {n}")
    password = factory.django.Password(PASSWORD)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = "worker"


def municipality(code: str) -> Municipality:
    return Municipality.objects.select_related("mrc__region").get(code=code)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Office d'habitation numéro {n}")
    name_key = factory.LazyAttribute(lambda o: Organization.key_for(o.name))
    kind = "housing_office"
    municipality = factory.LazyFunction(lambda: municipality("31084"))


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    name = factory.Sequence(lambda n: f"Site {n}")
    organization = factory.SubFactory(OrganizationFactory)
    municipality = factory.LazyFunction(lambda: municipality("31084"))
    address = factory.Sequence(lambda n: f"{n}, rue Principale")
    tenure = "hlm"
    form = "multi_unit"


class _KeepsRollups(factory.django.DjangoModelFactory):
    """Written straight to the table, as the writing services would, then the roll-ups recounted as they do."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from toitcommun.housing.rollups import rollups_refresh

        obj = super()._create(model_class, *args, **kwargs)
        rollups_refresh(municipality_ids=[obj.building.municipality_id])
        return obj


class UnitGroupFactory(_KeepsRollups):
    class Meta:
        model = UnitGroup

    building = factory.SubFactory(BuildingFactory)
    clientele = "seniors"
    bedrooms = 1
    units = 10
    adapted_units = 0


class SnapshotFactory(_KeepsRollups):
    class Meta:
        model = AvailabilitySnapshot

    building = factory.SubFactory(BuildingFactory)
    clientele = "seniors"
    as_of = factory.Faker("date_between", start_date="-2y", end_date="-1d")
    vacant_units = 1
    waiting_list = 5


def api_token_for(user, *, name: str = "test", days: int = 30) -> str:
    """A live API token for ``user``, as POST /auth/token issues it; returns the raw token."""
    import datetime

    from django.utils import timezone

    from toitcommun.access.models import ApiToken

    raw = ApiToken.new_raw()
    ApiToken.objects.create(user=user, digest=ApiToken.digest_of(raw), name=name,
                            auth_hash=user.get_session_auth_hash(),
                            expires_at=timezone.now() + datetime.timedelta(days=days))
    return raw
