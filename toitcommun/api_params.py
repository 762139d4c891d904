"""Parameter types every router shares: their bounds are checked at the boundary and stated in OpenAPI.

A number the database could not hold, or an offset no list could reach, is a 422 naming
the parameter, never a query that fails.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field, WithJsonSchema

MAX_RECORD_ID = 2**63 - 1  # the largest key a 64-bit integer column holds
MAX_OFFSET = 1_000_000

RecordId = Annotated[int, Field(ge=1, le=MAX_RECORD_ID, description="A record's id")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="How many results to skip")]


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def absent() -> Any:
    """A PATCH field that may be left out, but never sent as null (the record needs a value)."""
    return Field(None, json_schema_extra=_no_default)


# ---- text, codes and places: the forms' rules, as far as a schema can state them ------------

SOMETHING_PATTERN = r"\S"

def text(max_length: int, description: str | None = None) -> Any:
    """Text of at most ``max_length`` characters (the model field's length); may be empty."""
    return Annotated[str, Field(max_length=max_length, description=description)]


def required_text(max_length: int, description: str | None = None) -> Any:
    """Text that must say something: at least one character other than a space.

    The document states it; the form or service behind the operation checks it, with its
    own words for what is missing ("Indiquez pourquoi ce service est retiré.").
    """
    stated: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": max_length,
                              "pattern": SOMETHING_PATTERN}
    if description:
        stated["description"] = description
    return Annotated[str, Field(max_length=max_length), WithJsonSchema(stated)]


# The shapes the forms accept (Django's EmailValidator and URLValidator are a little wider;
# what matches these is always accepted). Empty means none.
_HOST = r"([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
EMAIL_PATTERN = r"^$|^[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@" + _HOST + "$"
WEB_ADDRESS_PATTERN = r"^$|^https?://" + _HOST + r"(/[^\s]*)?$"

Email = Annotated[str, Field(max_length=254, pattern=EMAIL_PATTERN, description="An e-mail address, or empty")]
WebAddress = Annotated[str, Field(max_length=200, pattern=WEB_ADDRESS_PATTERN,
                                  description="http:// or https:// address, or empty")]

MUNICIPALITY_CODE_PATTERN = r"^[0-9]{5}$"
TERRITORY_CODE_PATTERN = r"^(QC|[0-9]{2}|[0-9]{3}|TE[0-9]{2}|[0-9]{5})$"

MunicipalityCode = Annotated[str, Field(pattern=MUNICIPALITY_CODE_PATTERN,
                                        description="A municipality's 5-digit geographic code (GET /territories)")]
TerritoryCode = Annotated[str, Field(pattern=TERRITORY_CODE_PATTERN,
                                     description="QC, a region (2 digits), an MRC (3 digits, or TE and 2 digits) "
                                                 "or a municipality (5 digits)")]


def _micro_degrees(value: float) -> float:
    # A millionth of a degree is about 10 cm: finer figures are rounded, as the database stores them.
    return round(value, 6)


Latitude = Annotated[float, Field(ge=-90, le=90, description="Degrees, rounded to 6 decimals"),
                     AfterValidator(_micro_degrees)]
Longitude = Annotated[float, Field(ge=-180, le=180, description="Degrees, rounded to 6 decimals"),
                      AfterValidator(_micro_degrees)]


# Any case, a space or none in the middle (the form writes it G6G 1B2).
POSTAL_CODE_PATTERN = (r"^\s*$|^\s*[ABCEGHJ-NPRSTVXYabceghj-nprstvxy][0-9][ABCEGHJ-NPRSTV-Zabceghj-nprstv-z]\s*"
                       r"[0-9][ABCEGHJ-NPRSTV-Zabceghj-nprstv-z][0-9]\s*$")
LANGUAGE_NAME_PATTERN = r"^[^,;]*[^\s,;][^,;]*$"


def pattern_message(pattern: str) -> str:
    """What a value that does not match ``pattern`` should have been, in the active language."""
    messages = {
        SOMETHING_PATTERN: _("Ce champ est obligatoire."),
        EMAIL_PATTERN: _("Saisissez une adresse de courriel valide."),
        WEB_ADDRESS_PATTERN: _("Entrez une adresse web commençant par http:// ou https://."),
        MUNICIPALITY_CODE_PATTERN: _("Entrez le code à 5 chiffres d'une municipalité."),
        TERRITORY_CODE_PATTERN: _("Entrez un code de territoire : QC, 2 chiffres (région), 3 chiffres ou TE "
                                  "et 2 chiffres (MRC), 5 chiffres (municipalité)."),
        POSTAL_CODE_PATTERN: _("Entrez un code postal canadien au format A1A 1A1, par exemple G6G 1B2."),
        LANGUAGE_NAME_PATTERN: _("Entrez un nom de langue, sans virgule ni point-virgule."),
    }
    return messages.get(pattern, _("Valeur invalide."))
