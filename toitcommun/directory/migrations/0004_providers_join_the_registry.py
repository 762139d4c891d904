"""Every provider becomes an organization of the registry: linked to the same one, or added to it.

A provider without an organization is matched by its name (case, accents, spaces and dashes
folded, as the registry's names are) and its municipality (the municipality of its first
place): a registry organization of that name in the same municipality, or with no
municipality on either side, is the same organization and no duplicate is created. Otherwise
it is added to the registry (kind "community organization"), its name followed by its
municipality's when the bare name is another's.
"""

from django.db import migrations

from toitcommun.territory.text import fold

KIND = "community_organization"


def _key(name):
    return fold(name)[:200]


def link_providers(apps, schema_editor):
    Organization = apps.get_model("organizations", "Organization")
    Provider = apps.get_model("directory", "DirectoryOrganization")
    Location = apps.get_model("directory", "Location")
    Municipality = apps.get_model("territory", "Municipality")
    for provider in Provider.objects.filter(organization__isnull=True).order_by("name", "id"):
        municipality_id = (Location.objects.filter(directory_organization=provider, municipality__isnull=False)
                           .order_by("name", "id").values_list("municipality_id", flat=True).first())
        name = provider.name[:200]
        candidates = [name]
        if municipality_id is not None:
            town = Municipality.objects.get(pk=municipality_id).name
            candidates.append(f"{name[:195 - len(town)]} ({town})")
        organization = None
        for candidate in candidates:
            same = Organization.objects.filter(name_key=_key(candidate)).first()
            if same is None:
                organization = Organization.objects.create(
                    name=candidate, name_key=_key(candidate), kind=KIND, municipality_id=municipality_id,
                    email=provider.email, website=provider.website, description=provider.description[:4000])
                break
            if same.municipality_id == municipality_id or None in (same.municipality_id, municipality_id):
                organization = same
                break
        if organization is None:  # both names taken elsewhere: keep the provider's id in the name
            candidate = f"{name[:190]} ({str(provider.pk)[:8]})"
            organization = Organization.objects.create(
                name=candidate, name_key=_key(candidate), kind=KIND, municipality_id=municipality_id,
                email=provider.email, website=provider.website, description=provider.description[:4000])
        provider.organization = organization
        provider.save(update_fields=["organization"])


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_seed_taxonomy"),
        ("organizations", "0001_organizations_memberships"),
        ("territory", "0001_territory_tree"),
    ]
    operations = [migrations.RunPython(link_providers, migrations.RunPython.noop)]
