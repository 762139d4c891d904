"""The directory's forms: a service with its languages, service areas, main place, phone and hours.

The pages and the API fill the same forms, so a service is checked the same way
whichever door it comes through. Text is kept as typed; the templates escape it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from toitcommun.organizations.models import Organization, OrganizationKind
from toitcommun.territory.forms import MunicipalityField, TerritoryCombobox, parse_territories
from toitcommun.territory.models import Municipality
from toitcommun.territory.selectors import TerritoryRef

from .hours import MAX_HOURS_LENGTH, OpeningHours, hours_text, parse_hours
from .models import Clientele, DirectoryOrganization, Service, ServiceStatus, TaxonomyTerm
from .selectors import categories
from .widgets import HoursWidget

MAX_AGE = 120
MAX_LANGUAGES = 20
MAX_SERVICE_AREAS = 50

# Common language names to their ISO 639-1 codes; any other name is kept without a code.
LANGUAGE_CODES = {
    "francais": "fr", "français": "fr", "anglais": "en", "espagnol": "es", "arabe": "ar", "portugais": "pt",
    "italien": "it", "allemand": "de", "mandarin": "zh", "chinois": "zh", "cantonais": "yue", "vietnamien": "vi",
    "persan": "fa", "farsi": "fa", "russe": "ru", "ukrainien": "uk", "creole haitien": "ht",
    "créole haïtien": "ht", "créole": "ht", "tagalog": "tl", "pendjabi": "pa", "ourdou": "ur", "hindi": "hi",
    "langue des signes québécoise": "fcs", "lsq": "fcs", "innu": "moe", "atikamekw": "atj", "cri": "cr",
    "inuktitut": "iu", "mohawk": "moh", "micmac": "mic", "mi'kmaq": "mic", "abénakis": "abe",
}

_POSTAL_CODE = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]) ?(\d[ABCEGHJ-NPRSTV-Z]\d)$")
_EXTENSION = re.compile(r"\s*(?:,|;)?\s*(?:poste|post\.?|p\.|ext\.?|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
_SHORT_LINE = re.compile(r"^[2-9]11$")
_PHONE_CHARACTERS = re.compile(r"^[\d\s().+\-]+$")


@dataclass(frozen=True)
class PhoneNumber:
    number: str
    extension: int | None


# ---- small parsers, each raising a ValidationError a person can act on ---------------------


def parse_postal_code(text: str) -> str:
    """'g6g1b2' -> 'G6G 1B2'; anything else than a Canadian postal code is refused."""
    match = _POSTAL_CODE.match(" ".join(text.upper().split()))
    if not match:
        raise ValidationError(_("Entrez un code postal canadien au format A1A 1A1, par exemple G6G 1B2."),
                              code="postal_code")
    return f"{match[1]} {match[2]}"


def parse_phone(text: str) -> PhoneNumber:
    """'(418) 555-0101 poste 12' -> 418 555-0101, extension 12. Ten digits, a leading 1 allowed;
    or a three-digit public line such as 811 (Info-Social) or 211."""
    extension = None
    found = _EXTENSION.search(text)
    if found:
        extension, text = int(found[1]), text[: found.start()]
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if _PHONE_CHARACTERS.match(text.strip() or "x") and _SHORT_LINE.match(digits) and extension is None:
        return PhoneNumber(digits, None)
    if not _PHONE_CHARACTERS.match(text.strip() or "x") or len(digits) != 10:
        raise ValidationError(
            _("Entrez un numéro de téléphone à 10 chiffres, par exemple 418 555-0101 (et « poste 123 » au besoin), "
              "ou une ligne publique à 3 chiffres comme 811."),
            code="phone",
        )
    return PhoneNumber(f"{digits[:3]} {digits[3:6]}-{digits[6:]}", extension)


def parse_languages(text: str) -> list[tuple[str, str]]:
    """'français, Anglais' -> [('français', 'fr'), ('anglais', 'en')]: names as typed, lowered, no repeats."""
    seen: list[tuple[str, str]] = []
    for part in re.split(r"[,;\n]", text):
        name = " ".join(part.split()).lower()
        if name and name not in [n for n, _code in seen]:
            seen.append((name, LANGUAGE_CODES.get(name, "")))
    return seen


def parse_territory_codes(text: str) -> list[TerritoryRef]:
    """'12, Thetford Mines, Beauce-Centre (270)' -> the three territories; each unknown one is named."""
    return parse_territories(text)


# ---- forms ---------------------------------------------------------------------------------


class DirectoryOrganizationForm(forms.ModelForm):
    """A provider: an organization of the registry, chosen, or added to the registry with its name, type and place."""

    kind = forms.ChoiceField(label=gettext_lazy("Type"), required=False,
                             choices=[("", "---------"), *OrganizationKind.choices])
    municipality = MunicipalityField(label=gettext_lazy("Municipalité"), required=False)

    class Meta:
        model = DirectoryOrganization
        fields = ["organization", "name", "kind", "municipality", "description", "email", "website"]
        widgets = {"name": forms.TextInput(attrs={"size": 60}),
                   "description": forms.Textarea(attrs={"rows": 4, "cols": 80}),
                   "email": forms.EmailInput(attrs={"size": 40}), "website": forms.URLInput(attrs={"size": 60})}
        help_texts = {"organization": gettext_lazy(
            "Choisissez-la dans le registre des organisations. Si elle n'y est pas encore, laissez ce choix vide "
            "et donnez son nom, son type et sa municipalité : elle sera ajoutée au registre.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        assert isinstance(organization, forms.ModelChoiceField)
        organization.queryset = Organization.objects.order_by("name")
        organization.required = False
        self.fields["name"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = cleaned.get("organization")
        if chosen is not None:
            cleaned["name"] = cleaned.get("name") or chosen.name
        elif "organization" not in self.errors:
            for name in ("name", "kind"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Ce champ est obligatoire pour ajouter l'organisation au registre."))
        return cleaned


LOCATION_FIELDS = ["location_name", "address_1", "municipality", "postal_code", "latitude", "longitude"]
EXTRA_FIELDS = ["languages", "service_area_codes", *LOCATION_FIELDS, "phone", "hours"]
MULTIPLE_FIELDS = ["categories", "clienteles"]


class ServiceForm(forms.ModelForm):
    """A service's record, with the rows around it typed as plain text: languages, areas, hours."""

    # Retiring is its own act (with a reason), not a choice on this form.
    status = forms.ChoiceField(label=gettext_lazy("Statut"), initial=ServiceStatus.ACTIVE, required=False,
                               choices=[c for c in ServiceStatus.choices if c[0] != ServiceStatus.DEFUNCT])
    categories = forms.ModelMultipleChoiceField(label=gettext_lazy("Catégories"), queryset=categories(), required=False,
                                                widget=forms.CheckboxSelectMultiple)
    clienteles = forms.MultipleChoiceField(label=gettext_lazy("Clientèles"), choices=Clientele.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    languages = forms.CharField(
        label=gettext_lazy("Langues"), required=False, max_length=500, widget=forms.TextInput(attrs={"size": 60}),
        help_text=gettext_lazy("Séparées par des virgules, par exemple : français, anglais."))
    service_area_codes = forms.CharField(
        label=gettext_lazy("Territoires desservis"), required=False, max_length=5000,
        widget=TerritoryCombobox(multiple=True, attrs={"size": 60}),
        help_text=gettext_lazy("Tapez le nom d'une municipalité, d'une MRC ou d'une région et choisissez-la dans "
                               "la liste ; recommencez pour en ajouter. « Québec (QC) » pour toute la province."))
    location_name = forms.CharField(label=gettext_lazy("Nom du lieu"), required=False, max_length=200,
                                    widget=forms.TextInput(attrs={"size": 60}))
    address_1 = forms.CharField(label=gettext_lazy("Adresse"), required=False, max_length=300,
                                widget=forms.TextInput(attrs={"size": 60}))
    municipality = MunicipalityField(label=gettext_lazy("Municipalité"), required=False,
                                     help_text=gettext_lazy("Tapez son nom et choisissez-la dans la liste."))
    postal_code = forms.CharField(label=gettext_lazy("Code postal"), required=False, max_length=10,
                                  help_text=gettext_lazy("Par exemple G6G 1B2."))
    latitude = forms.DecimalField(
        label=gettext_lazy("Latitude"), required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90,
        help_text=gettext_lazy("Laissez vide : le lieu sera placé au centre de sa municipalité, "
                               "marqué « position approximative »."))
    longitude = forms.DecimalField(label=gettext_lazy("Longitude"), required=False, max_digits=9, decimal_places=6,
                                   min_value=-180, max_value=180)
    phone = forms.CharField(label=gettext_lazy("Téléphone"), required=False, max_length=40,
                            help_text=gettext_lazy("Par exemple 418 555-0101, poste 123."))
    hours = forms.CharField(
        label=gettext_lazy("Heures d'ouverture"), required=False, max_length=MAX_HOURS_LENGTH,
        widget=HoursWidget(attrs={"size": 60}),
        help_text=gettext_lazy("Comme sur une affiche : « lundi au vendredi 9 h à 17 h » ou « lun-ven 9h-12h, "
                               "13h-16h30; sam 10h-12h ». Ou choisissez jour par jour."))

    class Meta:
        model = Service
        fields = ["directory_organization", "name", "alternate_name", "description", "url", "email", "status",
                  "interpretation_services", "application_process", "fees_description",
                  "eligibility_description", "accessibility", "minimum_age", "maximum_age", "alert",
                  "categories", "clienteles"]
        widgets = {
            "name": forms.TextInput(attrs={"size": 60}),
            "alternate_name": forms.TextInput(attrs={"size": 60}),
            "url": forms.URLInput(attrs={"size": 60}),
            "email": forms.EmailInput(attrs={"size": 40}),
            "alert": forms.TextInput(attrs={"size": 80}),
            "interpretation_services": forms.TextInput(attrs={"size": 60}),
            "description": forms.Textarea(attrs={"rows": 5, "cols": 80}),
            "application_process": forms.Textarea(attrs={"rows": 3, "cols": 80}),
            "fees_description": forms.Textarea(attrs={"rows": 2, "cols": 80}),
            "eligibility_description": forms.Textarea(attrs={"rows": 3, "cols": 80}),
            "accessibility": forms.Textarea(attrs={"rows": 2, "cols": 80}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("minimum_age", "maximum_age"):
            age = self.fields[name]
            age.validators.append(_max_age)
            age.widget.attrs.update({"min": 0, "max": MAX_AGE})
        if self.instance.pk:
            self.initial.update(initial_extras(self.instance))
            self.initial["categories"] = [str(t.pk) for t in self.instance.categories.all()]

    def clean_status(self) -> str:
        return self.cleaned_data["status"] or ServiceStatus.ACTIVE

    def clean_languages(self) -> list[tuple[str, str]]:
        found = parse_languages(self.cleaned_data["languages"])
        if len(found) > MAX_LANGUAGES:
            raise ValidationError(_("Au plus %(max)s langues.") % {"max": MAX_LANGUAGES})
        if any(len(name) > 100 for name, _code in found):
            raise ValidationError(_("Un nom de langue a au plus 100 caractères."))
        return found

    def clean_service_area_codes(self) -> list[TerritoryRef]:
        refs = parse_territory_codes(self.cleaned_data["service_area_codes"])
        if len(refs) > MAX_SERVICE_AREAS:
            raise ValidationError(_("Au plus %(max)s territoires desservis.") % {"max": MAX_SERVICE_AREAS})
        return refs

    def clean_postal_code(self) -> str:
        text = self.cleaned_data["postal_code"].strip()
        return parse_postal_code(text) if text else ""

    def clean_phone(self) -> PhoneNumber | None:
        text = self.cleaned_data["phone"].strip()
        return parse_phone(text) if text else None

    def clean_hours(self) -> list[OpeningHours]:
        return parse_hours(self.cleaned_data["hours"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("L'âge maximum doit être au moins l'âge minimum."))
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            for f in ("latitude", "longitude"):
                if cleaned.get(f) is None and f not in self.errors:
                    self.add_error(f, _("Indiquez la latitude et la longitude ensemble, ou laissez-les vides : "
                                        "le lieu sera placé au centre de sa municipalité."))
        # An address needs its postal code and its municipality (the city); a place may be less.
        if cleaned.get("address_1") or cleaned.get("postal_code") or "postal_code" in self.errors:
            for f in ("address_1", "municipality", "postal_code"):
                if cleaned.get(f) in (None, "") and f not in self.errors:
                    self.add_error(f, _("Ce champ est obligatoire pour indiquer une adresse."))
        return cleaned

    def has_location(self) -> bool:
        return any(self.cleaned_data.get(f) not in (None, "") for f in LOCATION_FIELDS)


def _max_age(value: int | None) -> None:
    if value is not None and value > MAX_AGE:
        raise ValidationError(_("L'âge doit être entre 0 et %(max)s ans.") % {"max": MAX_AGE})


def primary_location(service: Service) -> Any | None:
    """The place the form edits: the service's first place by name (most services have one)."""
    links = sorted(service.service_at_locations.all(), key=lambda sal: (sal.location.name, str(sal.location.pk)))
    return links[0].location if links else None


def primary_phone(service: Service) -> Any | None:
    phones = sorted(service.phones.all(), key=lambda p: (p.type != "voice", p.number, str(p.pk)))
    return phones[0] if phones else None


def initial_extras(service: Service) -> dict[str, Any]:
    """The form's plain-text fields for a stored service: what the edit page shows."""
    location = primary_location(service)
    address = next(iter(sorted(location.addresses.all(), key=lambda a: str(a.pk))), None) if location else None
    phone = primary_phone(service)
    return {
        "languages": ", ".join(lang.name for lang in service.languages.all()),
        "service_area_codes": ", ".join(a.territory_code for a in sorted(service.service_areas.all(),
                                                                         key=lambda a: a.territory_code)
                                        if a.territory_code),
        "location_name": location.name if location else "",
        "address_1": address.address_1 if address else "",
        "municipality": location.municipality_id if location else None,
        "postal_code": address.postal_code if address else "",
        # A point taken from the municipality is not the user's: the form shows only typed ones.
        "latitude": location.latitude if location and not location.position_is_approximate else None,
        "longitude": location.longitude if location and not location.position_is_approximate else None,
        "phone": (f"{phone.number} poste {phone.extension}" if phone.extension else phone.number) if phone else "",
        "hours": hours_text(list(service.schedules.all())),
    }


class RetireForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Raison du retrait"), max_length=500,
                             widget=forms.TextInput(attrs={"size": 50}),
                             help_text=gettext_lazy("Par exemple : le service a fermé en mars."))


class CategoryForm(forms.ModelForm):
    """A category of the region's taxonomy: its code is fixed once created (HSDS exports name it)."""

    class Meta:
        model = TaxonomyTerm
        fields = ["code", "name", "name_en", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().lower()
        if not re.fullmatch(r"[a-z][a-z0-9_]{1,59}", code):
            raise forms.ValidationError(
                gettext_lazy("Un code de lettres minuscules, chiffres et « _ », qui commence par une lettre."))
        return code


MAX_EXPRESSIONS = 40
MAX_EXPRESSION_LENGTH = 100


class SynonymGroupForm(forms.Form):
    """A group of the thesaurus: expressions that mean the same thing, one per line."""

    expressions = forms.CharField(
        label=gettext_lazy("Expressions équivalentes"), widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_EXPRESSIONS * (MAX_EXPRESSION_LENGTH + 2),
        help_text=gettext_lazy("Une expression par ligne, d'un ou de plusieurs mots, par exemple : "
                               "banque alimentaire, puis dépannage alimentaire sur la ligne suivante."))

    def clean_expressions(self) -> list[str]:
        from .search import stems

        typed = [" ".join(line.split()) for line in self.cleaned_data["expressions"].splitlines()]
        expressions = list(dict.fromkeys(e for e in typed if e))
        if len(expressions) < 2:
            raise forms.ValidationError(gettext_lazy("Donnez au moins deux expressions, une par ligne."))
        if len(expressions) > MAX_EXPRESSIONS:
            raise forms.ValidationError(gettext_lazy("Au plus %(max)s expressions par groupe.")
                                        % {"max": MAX_EXPRESSIONS})
        too_long = [e for e in expressions if len(e) > MAX_EXPRESSION_LENGTH]
        if too_long:
            raise forms.ValidationError(gettext_lazy("Une expression a au plus %(max)s caractères : « %(text)s ».")
                                        % {"max": MAX_EXPRESSION_LENGTH, "text": too_long[0][:40]})
        empty = [e for e in expressions if not stems(e)]
        if empty:
            raise forms.ValidationError(gettext_lazy(
                "« %(text)s » ne contient aucun mot qu'une recherche retient (seulement des mots comme "
                "« le », « de », « et »).") % {"text": empty[0]})
        return expressions


# Every field of the service form a correction may propose: all but the provider (a change of
# owner is not a correction; the note can ask for it).
CORRECTABLE_FIELDS = [name for name in ServiceForm.base_fields if name != "directory_organization"]


def as_form_value(value: Any) -> Any:
    """A value as the form takes it and JSON keeps it: text, or a list of texts for several choices."""
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    return "" if value is None else str(value)


def form_values(service: Service) -> dict[str, Any]:
    """The stored service as its form would send it, for every correctable field (a municipality by its code)."""
    initial = ServiceForm(instance=service).initial
    values = {name: as_form_value(initial.get(name)) for name in CORRECTABLE_FIELDS}
    if values["municipality"]:
        values["municipality"] = Municipality.objects.filter(pk=values["municipality"]).values_list(
            "code", flat=True).first() or ""
    return values


def storable(name: str, cleaned: Any, sent: Any) -> Any:
    """A proposed value kept as JSON: what was sent, or for a territory chosen by name, its codes."""
    if name == "municipality":
        return cleaned.code if cleaned is not None else ""
    if name == "service_area_codes":
        return ", ".join(ref.code for ref in cleaned)
    return as_form_value(sent)
