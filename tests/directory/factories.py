"""Factories for the resource directory: providers and their services, placed in the territory."""

from __future__ import annotations

import factory

from tests.factories import OrganizationFactory, municipality
from toitcommun.directory.models import (
    DirectoryOrganization,
    Location,
    Service,
    ServiceArea,
    ServiceAtLocation,
)


class DirectoryOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DirectoryOrganization

    name = factory.Sequence(lambda n: f"Organisme communautaire {n}")
    description = "Un organisme du milieu."
    # Every provider is an organization of the registry.
    organization = factory.SubFactory(OrganizationFactory, name=factory.SelfAttribute("..name"),
                                      kind="community_organization")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    directory_organization = factory.SubFactory(DirectoryOrganizationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "Aide offerte aux personnes du territoire."


def serve(service: Service, code: str, name: str = "") -> ServiceArea:
    """Say that the service serves this territory code."""
    return ServiceArea.objects.create(service=service, territory_code=code, name=name or code)


def place(service: Service, code: str, name: str = "Point de service") -> Location:
    """Give the service a place in this municipality."""
    location = Location.objects.create(directory_organization=service.directory_organization, name=name,
                                       municipality=municipality(code))
    ServiceAtLocation.objects.create(service=service, location=location)
    return location
