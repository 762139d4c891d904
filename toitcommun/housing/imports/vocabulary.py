"""The words a spreadsheet may use: column names and values, in French or English.

Names and values are compared folded: case, accents and separators do not count
("Code municipalité", "code_municipalite" and "CODE-MUNICIPALITÉ" are one name;
"Coopérative", "coopérative" and "cooperative" one value). Each column and value
has a preferred French and English spelling, used to name it back to the person
in the language their file is written in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..models import BuildingForm, Clientele, Tenure

FRENCH, ENGLISH = "fr", "en"

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def key(text: str) -> str:
    """'Liste d’attente' -> 'liste_d_attente'; 'multi-unit' -> 'multi_unit'; 'Aînés' -> 'aines'."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\ufeff", ""))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    # Ligatures that NFKD keeps: a French spreadsheet writes "œ" in "cœur".
    stripped = stripped.replace("œ", "oe").replace("æ", "ae")
    return _NOT_WORD.sub("_", stripped).strip("_")


@dataclass(frozen=True)
class Word:
    """One column or value: the code we store, how each language writes it, and what else it may be called."""

    code: str
    french: str
    english: str
    also: tuple[str, ...] = ()

    def keys(self) -> set[str]:
        return {key(w) for w in (self.code, self.french, self.english, *self.also)}

    def in_language(self, language: str) -> str:
        return self.french if language == FRENCH else self.english


# ---- columns ------------------------------------------------------------------------------

COLUMNS: tuple[Word, ...] = (
    Word("organization", "organisme", "organization", ("organisation", "propriétaire", "owner")),
    Word("municipality_code", "municipalité", "municipality_code",
         ("code_municipalité", "code municipal", "code géographique", "code_geo", "municipality", "ville")),
    Word("site", "site", "site", ("nom du site", "site name", "immeuble", "building")),
    Word("address", "adresse", "address"),
    Word("tenure", "mode", "tenure", ("mode de tenure", "tenure mode")),
    Word("form", "forme", "form", ("type d'immeuble", "building form", "building type")),
    Word("clientele", "clientèle", "clientele"),
    Word("units", "logements", "units", ("nombre de logements", "nb logements", "nb de logements")),
    Word("adapted_units", "logements adaptés", "adapted_units", ("adaptés", "adapted units")),
    Word("bedrooms", "chambres", "bedrooms", ("nombre de chambres", "nb chambres", "nb de chambres")),
    Word("vacant_units", "logements vacants", "vacant_units", ("vacants", "vacant units", "vacancies")),
    Word("waiting_list", "liste d'attente", "waiting_list", ("liste attente", "waiting list")),
    Word("as_of", "en date du", "as_of", ("date", "date du relevé", "as of")),
)
COLUMN_BY_CODE = {word.code: word for word in COLUMNS}
REQUIRED = ("organization", "municipality_code", "site", "address", "tenure", "form", "clientele",
            "units", "adapted_units", "bedrooms")
OPTIONAL = ("vacant_units", "waiting_list", "as_of")
ORDER = REQUIRED + OPTIONAL

_COLUMN_KEYS: dict[str, str] = {}
for _word in COLUMNS:
    for _key in _word.keys():
        _COLUMN_KEYS.setdefault(_key, _word.code)
# Names that tell the file's language: those only one language uses.
_FRENCH_KEYS = {key(w.french) for w in COLUMNS} - {key(w.english) for w in COLUMNS}
_ENGLISH_KEYS = {key(w.english) for w in COLUMNS} - {key(w.french) for w in COLUMNS}


def column_code(header_cell: str) -> str | None:
    """The column a header cell names, or None for a column the import ignores."""
    return _COLUMN_KEYS.get(key(header_cell))


def language_of(header: list[str]) -> str | None:
    """French or English, after the header's column names; None when they do not tell."""
    keys = [key(cell) for cell in header]
    french = sum(k in _FRENCH_KEYS for k in keys)
    english = sum(k in _ENGLISH_KEYS for k in keys)
    if french == english:
        return None
    return FRENCH if french > english else ENGLISH


# ---- values -------------------------------------------------------------------------------

VALUES: dict[str, tuple[Word, ...]] = {
    "tenure": (
        Word(Tenure.HLM, "HLM", "hlm", ("habitation à loyer modique", "public housing")),
        Word(Tenure.COOP, "coopérative", "coop", ("co-op", "coopérative d'habitation", "coop d'habitation",
                                                  "housing co-op", "housing cooperative", "cooperative")),
        Word(Tenure.OBNL, "OBNL", "obnl", ("OSBL", "OBNL d'habitation", "OSBL d'habitation", "non-profit",
                                           "nonprofit", "housing non-profit")),
    ),
    "form": (
        Word(BuildingForm.MULTI_UNIT, "multilogement", "multi_unit",
             ("multi-logement", "multilogements", "immeuble multilogement", "multi-unit", "multiunit",
              "apartment building")),
        Word(BuildingForm.DUPLEX, "duplex", "duplex"),
        Word(BuildingForm.SINGLE_FAMILY, "unifamiliale", "single_family",
             ("unifamilial", "maison unifamiliale", "maison", "single-family", "single family house", "house")),
    ),
    "clientele": (
        Word(Clientele.SENIORS, "aînés", "seniors",
             ("aîné", "personnes âgées", "personne âgée", "personnes aînées", "senior", "elderly")),
        Word(Clientele.FAMILIES, "familles", "families", ("famille", "family")),
        Word(Clientele.SINGLES, "personnes seules", "singles",
             ("personne seule", "single", "single persons", "single people")),
    ),
}
_VALUE_KEYS: dict[str, dict[str, str]] = {
    column: {k: str(word.code) for word in words for k in word.keys()} for column, words in VALUES.items()
}


def value_code(column: str, cell: str) -> str | None:
    """The stored code of a cell of a column with a fixed list of values, or None if unknown."""
    return _VALUE_KEYS[column].get(key(cell))


def accepted_values(column: str, language: str) -> list[str]:
    """The values of a column as the file's language writes them, to name them in an error."""
    return [word.in_language(language) for word in VALUES[column]]
