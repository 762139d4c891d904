"""The directory out as HSDS 3.0 ``service`` documents: one per service, every record with its HSDS id."""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..models import (
    Address,
    Contact,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from ..selectors import clientele_terms, services_for_export
from .schema import ACCESSIBILITY_KEY, LINK_AUDIENCE, LINK_CATEGORY, TERRITORY_URN, is_email

# ---- export ------------------------------------------------------------------------------

def _clean(data: dict[str, Any], *, keep: Iterable[str] = ()) -> dict[str, Any]:
    """Drop empty values ("" , None, []) except the keys the schema requires."""
    kept = set(keep)
    return {k: v for k, v in data.items() if k in kept or v not in ("", None, [])}


def _by_id(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda item: item["id"])


def _time(value: datetime.time | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None



def assurer_email(service: Service) -> str | None:
    """Who verified the service, as HSDS says it: the verifier's email, or an imported one."""
    email = str(getattr(service.verified_by, "email", "") or "")
    if email:
        return email
    if service.verified_by_label and is_email(service.verified_by_label):
        return service.verified_by_label
    return None


def accessibility_id(location_id: uuid.UUID) -> uuid.UUID:
    """Our one accessibility note of a place, as an HSDS accessibility record with a stable id."""
    return uuid.uuid5(location_id, ACCESSIBILITY_KEY)


def attribute_id(service_id: uuid.UUID, term_id: uuid.UUID) -> uuid.UUID:
    """The HSDS attribute tying a service to a taxonomy term; stable, so exports are repeatable."""
    return uuid.uuid5(service_id, str(term_id))


def _offset(value: Decimal | None) -> int | float | None:
    """A UTC offset in hours as JSON writes it: 3, -4, 5.5."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _language_doc(language: Language) -> dict[str, Any]:
    return _clean({"id": str(language.id), "name": language.name, "code": language.code, "note": language.note})


def _phone_doc(phone: Phone) -> dict[str, Any]:
    return _clean({"id": str(phone.id), "number": phone.number, "extension": phone.extension,
                   "type": phone.type, "description": phone.description,
                   "languages": _by_id(_language_doc(lang) for lang in phone.languages.all())}, keep=["number"])


def _schedule_doc(schedule: Schedule) -> dict[str, Any]:
    return _clean({
        "id": str(schedule.id), "freq": schedule.freq, "byday": schedule.byday,
        "opens_at": _time(schedule.opens_at), "closes_at": _time(schedule.closes_at),
        "valid_from": _date(schedule.valid_from), "valid_to": _date(schedule.valid_to),
        "description": schedule.description, "interval": schedule.interval, "wkst": schedule.wkst,
        "dtstart": _date(schedule.dtstart), "until": _date(schedule.until), "count": schedule.count,
        "bymonthday": schedule.bymonthday, "byweekno": schedule.byweekno, "byyearday": schedule.byyearday,
        "timezone": _offset(schedule.timezone), "schedule_link": schedule.schedule_link,
        "attending_type": schedule.attending_type, "notes": schedule.notes,
    })


def _contact_doc(contact: Contact) -> dict[str, Any]:
    return _clean({"id": str(contact.id), "name": contact.name, "title": contact.title,
                   "department": contact.department, "email": contact.email,
                   "phones": _by_id(_phone_doc(p) for p in contact.phones.all())})


def _service_at_location_doc(sal: ServiceAtLocation) -> dict[str, Any]:
    return _clean({"id": str(sal.id), "description": sal.description,
                   "phones": _by_id(_phone_doc(p) for p in sal.phones.all()),
                   "schedules": _by_id(_schedule_doc(s) for s in sal.schedules.all()),
                   "location": _location_doc(sal.location)})


def _address_doc(address: Address) -> dict[str, Any]:
    required = ["address_1", "city", "state_province", "postal_code", "country", "address_type"]
    return _clean({
        "id": str(address.id), "attention": address.attention, "address_1": address.address_1,
        "address_2": address.address_2, "city": address.city, "region": address.region,
        "state_province": address.state_province, "postal_code": address.postal_code,
        "country": address.country, "address_type": address.address_type,
    }, keep=required)


def _location_doc(location: Location) -> dict[str, Any]:
    accessibility = []
    if location.accessibility:
        accessibility = [{"id": str(accessibility_id(location.id)), "description": location.accessibility}]
    return _clean({
        "id": str(location.id), "location_type": location.location_type,
        "organization_id": str(location.directory_organization_id) if location.directory_organization_id else None,
        "name": location.name, "description": location.description, "transportation": location.transportation,
        "latitude": _number(location.latitude), "longitude": _number(location.longitude),
        "addresses": _by_id(_address_doc(a) for a in location.addresses.all()),
        "phones": _by_id(_phone_doc(p) for p in location.phones.all()),
        "schedules": _by_id(_schedule_doc(s) for s in location.schedules.all()),
        "languages": _by_id(_language_doc(lang) for lang in location.languages.all()),
        "accessibility": accessibility,
    }, keep=["location_type"])


def _term_doc(term: TaxonomyTerm) -> dict[str, Any]:
    taxonomy = term.taxonomy
    return _clean({
        "id": str(term.id), "code": term.code, "name": term.name, "description": term.description,
        "parent_id": str(term.parent_id) if term.parent_id else None, "taxonomy": taxonomy.name,
        "taxonomy_id": str(taxonomy.id), "language": term.language,
        "taxonomy_detail": _clean({"id": str(taxonomy.id), "name": taxonomy.name,
                                   "description": taxonomy.description, "uri": taxonomy.uri,
                                   "version": taxonomy.version}, keep=["description"]),
    }, keep=["description"])


def _attribute_doc(service: Service, term: TaxonomyTerm, link_type: str) -> dict[str, Any]:
    return {
        "id": str(attribute_id(service.id, term.id)), "link_id": str(service.id), "link_type": link_type,
        "link_entity": "service", "taxonomy_term_id": str(term.id), "taxonomy_term": _term_doc(term),
    }


def service_document(service: Service, *, clienteles: Mapping[str, TaxonomyTerm] | None = None,
                     personal: bool = True) -> dict[str, Any]:
    """The service as one HSDS 3.0 ``service`` document, empty values left out, arrays in id order.

    Pass ``clienteles`` (from clientele_terms()) when documenting many services at once.
    ``personal=False`` leaves out people's names and e-mails (``contacts``, ``assurer_email``):
    the public's documents; the service's own phones, e-mail and website stay.
    """
    if clienteles is None:
        clienteles = clientele_terms()
    org = service.directory_organization
    organization = _clean({
        "id": str(org.id), "name": org.name, "alternate_name": org.alternate_name,
        "description": org.description, "email": org.email, "website": org.website,
        "phones": _by_id(_phone_doc(p) for p in org.phones.all()),
    }, keep=["description"])
    attributes = [_attribute_doc(service, t, LINK_CATEGORY) for t in service.categories.all()]
    attributes += [_attribute_doc(service, clienteles[code], LINK_AUDIENCE)
                   for code in set(service.clienteles or []) if code in clienteles]
    areas = [
        _clean({"id": str(a.id), "name": a.name, "description": a.description,
                "uri": f"{TERRITORY_URN}{a.territory_code}" if a.territory_code else None})
        for a in service.service_areas.all()
    ]
    at_locations = [_service_at_location_doc(sal) for sal in service.service_at_locations.all()]
    return _clean({
        "id": str(service.id), "organization_id": str(org.id), "name": service.name,
        "alternate_name": service.alternate_name, "description": service.description, "url": service.url,
        "email": service.email, "status": service.status,
        "interpretation_services": service.interpretation_services,
        "application_process": service.application_process, "fees_description": service.fees_description,
        "eligibility_description": service.eligibility_description, "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age, "alert": service.alert,
        "assured_date": _date(service.last_verified_on),
        "assurer_email": assurer_email(service) if personal else None,
        "last_modified": service.updated_at.astimezone(datetime.UTC).isoformat() if service.updated_at else None,
        "organization": organization,
        "phones": _by_id(_phone_doc(p) for p in service.phones.all()),
        "schedules": _by_id(_schedule_doc(s) for s in service.schedules.all()),
        "service_areas": _by_id(areas),
        "service_at_locations": _by_id(at_locations),
        "languages": _by_id(_language_doc(lang) for lang in service.languages.all()),
        "contacts": _by_id(_contact_doc(c) for c in service.contacts.all()) if personal else [],
        "attributes": _by_id(attributes),
    })


def document_text(document: dict[str, Any]) -> str:
    """The file form of a document: UTF-8 text, keys sorted, two-space indent, final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def export_directory(directory: Path) -> list[Path]:
    """Write one ``<service id>.json`` per service (retired ones too) into the folder; return the files."""
    directory.mkdir(parents=True, exist_ok=True)
    clienteles = clientele_terms()
    written = []
    for service in services_for_export().iterator(chunk_size=200):
        path = directory / f"{service.id}.json"
        path.write_text(document_text(service_document(service, clienteles=clienteles)), encoding="utf-8")
        written.append(path)
    return written
