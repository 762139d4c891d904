"""The import's first half: reading valid HSDS documents into the records we keep, every error found first."""

from __future__ import annotations

import datetime
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from toitcommun.errors import NotFound
from toitcommun.territory.models import Municipality
from toitcommun.territory.selectors import territory_get
from toitcommun.territory.text import fold

from ..models import (
    Address,
    Clientele,
    Contact,
    DirectoryOrganization,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from ..taxonomy_seed import CATEGORIES_TAXONOMY, CLIENTELES_TAXONOMY
from .schema import READ, TERRITORY_URN, HsdsError, is_email

# ---- import: reading documents into a plan -----------------------------------------------

@dataclass
class ImportReport:
    """What an import did: per kind of record, how many were created, changed, unchanged, deleted."""

    documents: int = 0
    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    terms_created: list[str] = field(default_factory=list)
    dropped_fields: list[str] = field(default_factory=list)
    attributes_ignored: int = 0

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    @property
    def services_created(self) -> int:
        return self.counts["service"]["created"]

    @property
    def services_changed(self) -> int:
        return self.counts["service"]["changed"]

    @property
    def services_unchanged(self) -> int:
        return self.counts["service"]["unchanged"]

    @property
    def changed_anything(self) -> bool:
        return any(c["created"] or c["changed"] or c["deleted"] for c in self.counts.values())

    def lines(self) -> list[str]:
        """The report as short lines, for a terminal."""
        out = [_("documents : %(n)s") % {"n": self.documents}]
        for kind in sorted(self.counts):
            c = self.counts[kind]
            out.append(_("%(kind)s : %(created)s créés, %(changed)s modifiés, %(unchanged)s inchangés, "
                         "%(deleted)s supprimés") % {"kind": kind, "created": c["created"], "changed": c["changed"],
                                            "unchanged": c["unchanged"], "deleted": c["deleted"]})
        if self.terms_created:
            out.append(_("termes de taxonomie créés : %(terms)s") % {"terms": ", ".join(self.terms_created)})
        if self.attributes_ignored:
            out.append(_("attributs ignorés (aucun terme de taxonomie à associer ou à créer) : %(n)s")
                       % {"n": self.attributes_ignored})
        if self.dropped_fields:
            out.append(_("champs HSDS non gardés (absents de notre modèle) : %(fields)s")
                       % {"fields": ", ".join(self.dropped_fields)})
        return out


@dataclass
class _Record:
    fields: dict[str, Any]
    where: tuple[str, str]
    links: dict[str, Any] = field(default_factory=dict)


@dataclass
class _ServicePlan:
    file: str
    id: uuid.UUID
    categories: set[uuid.UUID] = field(default_factory=set)
    clienteles: set[str] = field(default_factory=set)
    assurer_email: str | None = None
    last_modified: datetime.datetime | None = None


# Kinds in the order they are written, with their model.
MODELS: dict[str, type[models.Model]] = {
    "organization": DirectoryOrganization, "service": Service, "location": Location,
    "service_at_location": ServiceAtLocation, "address": Address, "phone": Phone, "schedule": Schedule,
    "service_area": ServiceArea, "language": Language, "contact": Contact,
}
# Records owned by several kinds of parent at once (HSDS lets one phone id appear under a
# service, its place and its organization): kind -> owner kind -> our foreign key.
SHARED_LINKS: dict[str, dict[str, str]] = {
    "phone": {"service": "service_id", "location": "location_id", "organization": "directory_organization_id",
              "contact": "contact_id", "service_at_location": "service_at_location_id"},
    "language": {"service": "service_id", "location": "location_id", "phone": "phone_id"},
    "schedule": {"service": "service_id", "location": "location_id",
                 "service_at_location": "service_at_location_id"},
}
# Records with one parent: kind -> (parent kind, foreign key).
OWNED: dict[str, tuple[str, str]] = {
    "address": ("location", "location_id"), "service_area": ("service", "service_id"),
    "contact": ("service", "service_id"),
    "service_at_location": ("service", "service_id"),
}


class _Planner:
    """Reads valid HSDS documents into the records we keep, finding every semantic error first."""

    def __init__(self) -> None:
        self.records: dict[str, dict[uuid.UUID, _Record]] = defaultdict(dict)
        self.services: list[_ServicePlan] = []
        # (kind, id) -> the services whose documents hold the record
        self.holders: dict[tuple[str, uuid.UUID], set[uuid.UUID]] = defaultdict(set)
        self.errors: list[HsdsError] = []
        self.dropped: set[str] = set()
        self.terms_to_create: dict[uuid.UUID, dict[str, Any]] = {}
        self.attributes_ignored = 0
        self._file = ""
        self._service: uuid.UUID | None = None
        self._city_cache: dict[str, int | None] = {}
        self.references: list[tuple[str, str, str, uuid.UUID, str]] = []
        self.places: dict[tuple[uuid.UUID, uuid.UUID], uuid.UUID] = {}  # (service, location) -> its record

    # -- helpers
    def error(self, path: str, message: str) -> None:
        self.errors.append(HsdsError(self._file, path, message))

    def note_dropped(self, kind: str, doc: Mapping[str, Any]) -> None:
        for key in doc:
            if key not in READ[kind]:
                self.dropped.add(f"{kind}.{key}")

    def texts(self, doc: Mapping[str, Any], model: type[models.Model], names: Iterable[str],
              path: str) -> dict[str, str]:
        """String fields, checked against our model: length, email and URL forms."""
        out: dict[str, str] = {}
        for name in names:
            value = doc.get(name) or ""
            model_field = model._meta.get_field(name)
            limit = getattr(model_field, "max_length", None)
            if limit and len(value) > limit:
                self.error(f"{path}.{name}", _("%(n)s caractères ; nous en gardons au plus %(max)s.") % {"n": len(value), "max": limit})
            elif value and isinstance(model_field, models.EmailField) and not is_email(value):
                self.error(f"{path}.{name}", _("« %(value)s » n'est pas une adresse courriel.") % {"value": value})
            elif value and isinstance(model_field, models.URLField):
                try:
                    URLValidator()(value)
                except ValidationError:
                    self.error(f"{path}.{name}", _("« %(value)s » n'est pas une adresse web (http ou https).") % {"value": value})
            out[name] = value
        return out

    def integer(self, doc: Mapping[str, Any], name: str, path: str, limit: int) -> int | None:
        value = doc.get(name)
        if value is None:
            return None
        if (isinstance(value, float) and not value.is_integer()) or not 0 <= value <= limit:
            self.error(f"{path}.{name}", _("%(value)s n'est pas un nombre entier de 0 à %(max)s.") % {"value": value, "max": limit})
            return None
        return int(value)

    def coordinate(self, doc: Mapping[str, Any], name: str, path: str) -> Decimal | None:
        value = doc.get(name)
        if value is None:
            return None
        try:
            number = Decimal(str(value)).quantize(Decimal("0.000001"))
        except InvalidOperation:
            number = Decimal(1000)
        if not number.is_finite() or abs(number) >= 1000:
            self.error(f"{path}.{name}", _("%(value)s n'est pas une coordonnée en degrés.") % {"value": value})
            return None
        return number

    def utc_offset(self, doc: Mapping[str, Any], path: str) -> Decimal | None:
        """HSDS's ``timezone``: the offset from UTC in hours (-14 to 14, quarter hours at most)."""
        value = doc.get("timezone")
        if value is None:
            return None
        number = Decimal(str(value))
        if not number.is_finite() or abs(number) > 14 or number != number.quantize(Decimal("0.01")):
            self.error(f"{path}.timezone", _("%(value)s n'est pas un décalage horaire en heures (de -14 à 14).")
                       % {"value": value})
            return None
        return number.quantize(Decimal("0.01"))

    def parsed(self, doc: Mapping[str, Any], name: str, path: str, kind: str) -> Any:
        value = doc.get(name)
        if not value:
            return None
        try:
            if kind == "date":
                return datetime.date.fromisoformat(value)
            if kind == "time":
                # Opening hours are local wall-clock times in Québec; an offset is not kept.
                return datetime.time.fromisoformat(value).replace(tzinfo=None)
            moment = datetime.datetime.fromisoformat(value)
            return moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)
        except ValueError:
            shapes = {"date": _("une date AAAA-MM-JJ"), "time": _("une heure HH:MM ou HH:MM:SS"),
                      "datetime": _("une date et heure ISO 8601")}
            self.error(f"{path}.{name}", _("« %(value)s » n'est pas %(shape)s.") % {"value": value,
                                                                                  "shape": shapes[kind]})
            return None

    def uid(self, value: Any) -> uuid.UUID:
        return uuid.UUID(str(value))

    def put(self, kind: str, pk: uuid.UUID, fields: dict[str, Any], path: str,
            links: dict[str, Any] | None = None) -> None:
        """Keep a record; the same id seen twice must say the same thing each time."""
        if self._service is not None:
            self.holders[(kind, pk)].add(self._service)
        known = self.records[kind].get(pk)
        if known is None:
            self.records[kind][pk] = _Record(fields, (self._file, path), dict(links or {}))
            return
        if known.fields != fields:
            first = f"{known.where[0]} {known.where[1]}"
            self.error(path, _("%(kind)s %(id)s figure aussi à %(where)s avec un autre contenu.") % {"kind": kind, "id": pk, "where": first})
            return
        for attname, owner in (links or {}).items():
            if known.links.get(attname, owner) != owner:
                self.error(path, _("%(kind)s %(id)s appartient à deux enregistrements différents (%(link)s).")
                           % {"kind": kind, "id": pk, "link": attname})
            known.links[attname] = owner

    # -- documents
    def document(self, name: str, doc: Mapping[str, Any]) -> None:
        self._file = name
        self._service = pk = self.uid(doc["id"])
        if any(s.id == pk for s in self.services):
            other = next(s.file for s in self.services if s.id == pk)
            self.error("$.id", _("le service %(id)s est aussi dans %(file)s.") % {"id": pk, "file": other})
            return
        self.note_dropped("service", doc)
        plan = _ServicePlan(file=name, id=pk)
        self.services.append(plan)

        org_id = self.organization(doc)
        fields: dict[str, Any] = self.texts(doc, Service, ["name", "alternate_name", "description", "url", "email", "status",
                                           "interpretation_services", "application_process",
                                           "fees_description", "eligibility_description", "alert"], "$")
        fields["directory_organization_id"] = org_id
        fields["minimum_age"] = self.integer(doc, "minimum_age", "$", 32767)
        fields["maximum_age"] = self.integer(doc, "maximum_age", "$", 32767)
        fields["last_verified_on"] = self.parsed(doc, "assured_date", "$", "date")
        plan.last_modified = self.parsed(doc, "last_modified", "$", "datetime")
        email = doc.get("assurer_email") or None
        limit = Service._meta.get_field("verified_by_label").max_length or 0
        if email is not None and (len(email) > limit or not is_email(email)):
            self.error("$.assurer_email", _("« %(value)s » n'est pas une adresse courriel que nous pouvons garder.") % {"value": email})
        plan.assurer_email = email
        self.put("service", pk, fields, "$")

        for i, phone in enumerate(doc.get("phones", [])):
            self.phone(phone, f"$.phones[{i}]", "service", pk)
        for i, schedule in enumerate(doc.get("schedules", [])):
            self.schedule(schedule, f"$.schedules[{i}]", "service", pk)
        for i, area in enumerate(doc.get("service_areas", [])):
            self.service_area(area, f"$.service_areas[{i}]", pk)
        for i, sal in enumerate(doc.get("service_at_locations", [])):
            self.service_at_location(sal, f"$.service_at_locations[{i}]", pk)
        for i, lang in enumerate(doc.get("languages", [])):
            self.language(lang, f"$.languages[{i}]", "service", pk)
        for i, contact in enumerate(doc.get("contacts", [])):
            path = f"$.contacts[{i}]"
            self.note_dropped("contact", contact)
            fields = self.texts(contact, Contact, ["name", "title", "department", "email"], path)
            contact_id = self.uid(contact["id"])
            self.put("contact", contact_id, fields | {"service_id": pk}, path)
            for j, phone in enumerate(contact.get("phones", [])):
                self.phone(phone, f"{path}.phones[{j}]", "contact", contact_id)
        for i, attribute in enumerate(doc.get("attributes", [])):
            self.attribute(attribute, f"$.attributes[{i}]", plan)

    def refer(self, kind: str, pk: uuid.UUID, path: str, message: str) -> None:
        """A reference by id alone: the record may come in a later document; checked by finish()."""
        self.references.append((self._file, path, kind, pk, message))

    def finish(self) -> None:
        """Check references by id once every document is read; let go of unknown place owners."""
        for file, path, kind, pk, message in self.references:
            if pk not in self.records[kind] and not MODELS[kind]._default_manager.filter(pk=pk).exists():
                self.errors.append(HsdsError(file, path, message))
        named = {r.fields["directory_organization_id"] for r in self.records["location"].values()}
        known = set(self.records["organization"]) | set(
            DirectoryOrganization.objects.filter(pk__in=named - {None}).values_list("pk", flat=True))
        for record in self.records["location"].values():
            if record.fields["directory_organization_id"] not in known | {None}:
                record.fields["directory_organization_id"] = None
                self.dropped.add("location.organization_id")

    def organization(self, doc: Mapping[str, Any]) -> uuid.UUID | None:
        nested = doc.get("organization")
        named = self.uid(doc["organization_id"]) if doc.get("organization_id") else None
        if nested is None:
            if named is None:
                self.error("$", _("un service a besoin de son organisation (organization ou organization_id)."))
            else:
                self.refer("organization", named, "$.organization_id",
                           _("organisation %(id)s inconnue ; incluez l'organisation dans le document.") % {"id": named})
            return named
        pk = self.uid(nested["id"])
        if named is not None and named != pk:
            self.error("$.organization_id", _("indique %(named)s, mais l'organisation incluse est %(id)s.") % {"named": named, "id": pk})
        self.note_dropped("organization", nested)
        fields = self.texts(nested, DirectoryOrganization,
                            ["name", "alternate_name", "description", "email", "website"], "$.organization")
        self.put("organization", pk, fields, "$.organization")
        for i, phone in enumerate(nested.get("phones", [])):
            self.phone(phone, f"$.organization.phones[{i}]", "organization", pk)
        return pk

    def phone(self, doc: Mapping[str, Any], path: str, owner_kind: str, owner: uuid.UUID) -> None:
        self.note_dropped("phone", doc)
        fields: dict[str, Any] = self.texts(doc, Phone, ["number", "type", "description"], path)
        fields["extension"] = self.integer(doc, "extension", path, 2147483647)
        link = SHARED_LINKS["phone"][owner_kind]
        pk = self.uid(doc["id"])
        self.put("phone", pk, fields, path, links={link: owner})
        for i, lang in enumerate(doc.get("languages", [])):
            self.language(lang, f"{path}.languages[{i}]", "phone", pk)

    def language(self, doc: Mapping[str, Any], path: str, owner_kind: str, owner: uuid.UUID) -> None:
        self.note_dropped("language", doc)
        fields = self.texts(doc, Language, ["name", "code", "note"], path)
        link = SHARED_LINKS["language"][owner_kind]
        self.put("language", self.uid(doc["id"]), fields, path, links={link: owner})

    def schedule(self, doc: Mapping[str, Any], path: str, owner_kind: str, owner: uuid.UUID) -> None:
        self.note_dropped("schedule", doc)
        fields: dict[str, Any] = self.texts(doc, Schedule, ["freq", "byday", "description"], path)
        for name in ("opens_at", "closes_at"):
            fields[name] = self.parsed(doc, name, path, "time")
        fields |= self.texts(doc, Schedule, ["wkst", "bymonthday", "byweekno", "byyearday", "schedule_link",
                                             "attending_type", "notes"], path)
        for name in ("valid_from", "valid_to", "dtstart", "until"):
            fields[name] = self.parsed(doc, name, path, "date")
        fields["interval"] = self.integer(doc, "interval", path, 32767)
        fields["count"] = self.integer(doc, "count", path, 2147483647)
        fields["timezone"] = self.utc_offset(doc, path)
        link = SHARED_LINKS["schedule"][owner_kind]
        self.put("schedule", self.uid(doc["id"]), fields, path, links={link: owner})

    def service_area(self, doc: Mapping[str, Any], path: str, service: uuid.UUID) -> None:
        self.note_dropped("service_area", doc)
        fields: dict[str, Any] = self.texts(doc, ServiceArea, ["name", "description"], path)
        uri = doc.get("uri") or ""
        code = ""
        if uri.startswith(TERRITORY_URN):
            code = uri[len(TERRITORY_URN):]
            try:
                if territory_get(code).code != code:
                    raise NotFound(code)
            except NotFound:
                self.error(f"{path}.uri", _("code de territoire inconnu : « %(code)s ».") % {"code": code})
        elif uri:
            self.dropped.add("service_area.uri")
        fields["territory_code"] = code
        fields["service_id"] = service
        self.put("service_area", self.uid(doc["id"]), fields, path)

    def service_at_location(self, doc: Mapping[str, Any], path: str, service: uuid.UUID) -> None:
        self.note_dropped("service_at_location", doc)
        pk = self.uid(doc["id"])
        location = doc.get("location")
        if location is not None:
            location_id = self.location(location, f"{path}.location")
        elif doc.get("location_id"):
            location_id = self.uid(doc["location_id"])
            self.refer("location", location_id, f"{path}.location_id",
                       _("lieu %(id)s inconnu ; incluez le lieu dans le document.") % {"id": location_id})
        else:
            self.error(path, _("un service en un lieu a besoin de son lieu (location ou location_id)."))
            return
        other = self.places.setdefault((service, location_id), pk)
        if other != pk:
            self.error(path, _("le service %(service)s est déjà au lieu %(location)s (%(other)s).")
                       % {"service": service, "location": location_id, "other": other})
        fields = self.texts(doc, ServiceAtLocation, ["description"], path)
        self.put("service_at_location", pk, fields | {"service_id": service, "location_id": location_id}, path)
        for i, phone in enumerate(doc.get("phones", [])):
            self.phone(phone, f"{path}.phones[{i}]", "service_at_location", pk)
        for i, schedule in enumerate(doc.get("schedules", [])):
            self.schedule(schedule, f"{path}.schedules[{i}]", "service_at_location", pk)

    def location(self, doc: Mapping[str, Any], path: str) -> uuid.UUID:
        self.note_dropped("location", doc)
        pk = self.uid(doc["id"])
        fields: dict[str, Any] = self.texts(doc, Location, ["location_type", "name", "description",
                                                            "transportation"], path)
        # Checked once every document is read (finish): the organization may come in a later one.
        fields["directory_organization_id"] = self.uid(doc["organization_id"]) if doc.get("organization_id") \
            else None
        fields["latitude"] = self.coordinate(doc, "latitude", path)
        fields["longitude"] = self.coordinate(doc, "longitude", path)
        notes = []
        for item in sorted(doc.get("accessibility", []), key=lambda a: a["id"]):
            self.note_dropped("accessibility", item)
            notes += [text for text in (item.get("description"), item.get("details")) if text]
        fields["accessibility"] = "\n\n".join(notes)
        limit = Location._meta.get_field("accessibility").max_length or 0
        if len(fields["accessibility"]) > limit:
            self.error(f"{path}.accessibility", _("les notes font ensemble %(n)s caractères ; nous en gardons au plus %(max)s.")
                       % {"n": len(fields["accessibility"]), "max": limit})
        addresses = doc.get("addresses", [])
        fields["municipality_id"] = self.municipality_of(addresses)
        self.put("location", pk, fields, path)
        for i, address in enumerate(addresses):
            apath = f"{path}.addresses[{i}]"
            self.note_dropped("address", address)
            afields = self.texts(address, Address, ["attention", "address_1", "address_2", "city", "region",
                                                    "state_province", "postal_code", "country",
                                                    "address_type"], apath)
            self.put("address", self.uid(address["id"]), afields | {"location_id": pk}, apath)
        for i, phone in enumerate(doc.get("phones", [])):
            self.phone(phone, f"{path}.phones[{i}]", "location", pk)
        for i, schedule in enumerate(doc.get("schedules", [])):
            self.schedule(schedule, f"{path}.schedules[{i}]", "location", pk)
        for i, lang in enumerate(doc.get("languages", [])):
            self.language(lang, f"{path}.languages[{i}]", "location", pk)
        return pk

    def municipality_of(self, addresses: list[dict[str, Any]]) -> int | None:
        """Our municipality for a place: the one named by the city of its first Québec address."""
        for address in sorted(addresses, key=lambda a: a["id"]):
            in_quebec = fold(address.get("state_province", "")) in ("qc", "quebec", "") and \
                address.get("country", "") in ("CA", "")
            if in_quebec and address.get("city"):
                city = fold(address["city"])
                if city not in self._city_cache:
                    found = [m.pk for m in Municipality.objects.filter(search_text__contains=city)
                             if fold(m.name) == city]
                    self._city_cache[city] = found[0] if len(found) == 1 else None
                return self._city_cache[city]
        return None

    def attribute(self, doc: Mapping[str, Any], path: str, plan: _ServicePlan) -> None:
        self.note_dropped("attribute", doc)
        term_doc = doc.get("taxonomy_term") or {}
        if term_doc:
            self.note_dropped("taxonomy_term", term_doc)
        raw_id = doc.get("taxonomy_term_id") or term_doc.get("id")
        if not raw_id:
            self.attributes_ignored += 1
            return
        term = self.term(self.uid(raw_id), term_doc, f"{path}.taxonomy_term")
        if term is None:
            self.attributes_ignored += 1
            return
        term_id, taxonomy_id, code = term
        if taxonomy_id == CLIENTELES_TAXONOMY and code in Clientele.values:
            plan.clienteles.add(code)
        else:
            plan.categories.add(term_id)

    def term(self, pk: uuid.UUID, doc: Mapping[str, Any], path: str) -> tuple[uuid.UUID, uuid.UUID, str] | None:
        """Our term for an HSDS one: same id, else same taxonomy and code, else a new category."""
        if pk in self.terms_to_create:
            return pk, CATEGORIES_TAXONOMY, self.terms_to_create[pk]["code"]
        known = TaxonomyTerm.objects.filter(pk=pk).values_list("id", "taxonomy_id", "code").first()
        if known is not None:
            return known
        if not doc or not doc.get("name"):
            return None
        detail = doc.get("taxonomy_detail") or {}
        taxonomy_key = doc.get("taxonomy_id") or detail.get("id")
        taxonomy_name = doc.get("taxonomy") or detail.get("name")
        taxonomy = None
        if taxonomy_key:
            taxonomy = Taxonomy.objects.filter(pk=taxonomy_key).first()
        if taxonomy is None and taxonomy_name:
            taxonomy = Taxonomy.objects.filter(name=taxonomy_name).first()
        if taxonomy is not None and doc.get("code"):
            same = TaxonomyTerm.objects.filter(taxonomy=taxonomy, code=doc["code"]).values_list(
                "id", "taxonomy_id", "code").first()
            if same is not None:
                return same
        # A term of another directory's taxonomy: it joins our categories.
        fields = self.texts(doc, TaxonomyTerm, ["name", "description", "language"], path)
        fields["language"] = fields["language"] or "fr"
        code = (doc.get("code") or slugify(doc["name"]) or str(pk))[:60]
        taken = set(TaxonomyTerm.objects.filter(taxonomy_id=CATEGORIES_TAXONOMY).values_list("code", flat=True))
        taken |= {t["code"] for t in self.terms_to_create.values()}
        if code in taken:
            code = f"{code[:51]}-{pk.hex[:8]}"
        parent = doc.get("parent_id")
        self.terms_to_create[pk] = fields | {"code": code, "taxonomy_id": CATEGORIES_TAXONOMY,
                                             "parent_id": self.uid(parent) if parent else None}
        return pk, CATEGORIES_TAXONOMY, code

