"""English is complete: every French message has a reviewed translation, and the pages show it.

The catalogue is locale/en/LC_MESSAGES/django.po; `make install` (and so `make test`)
compiles it to django.mo with scripts/compile_messages.py. The fixture below compiles it
again when the .mo is missing or older than the .po, so this file also passes on its own.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html import unescape

import polib
import pytest
from django.utils.translation import trans_real

from tests.catalogue import PO_PATH, ROOT, load_english_catalogue

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")

EN = {"Accept-Language": "en"}
FR = {"Accept-Language": "fr"}

# Navigation, on every page: (English, French).
NAV = [("Available housing", "Logements disponibles"), ("Housing stock", "Parc de logements"),
       ("Territories", "Territoires")]

# Each main page: (url, English strings that must show, French strings that must not).
PAGES = [
    ("/", ["The shared information system", "HLM, co-ops and non-profits"],
     ["Le système d'information partagé", "HLM, coopératives et OBNL"]),
    ("/territoires/", ["Territories of Québec", "The 17 administrative regions"],
     ["Territoires du Québec", "Les 17 régions administratives"]),
    ("/territoires/310/", ["Also known as"], ["Aussi connu sous le nom de"]),
    ("/organisations/", ["Territory", "Housing office", "Tenants' association"],
     ["Filtrer", "Tous"]),
    ("/logement/disponibles/310/", ["households on the waiting list", "Seniors", "Families", "Single persons",
                                    "MRC or equivalent territory", "Waiting list"],
     ["ménages en liste d'attente", "Aînés", "Personnes seules", "MRC ou territoire équivalent"]),
    ("/logement/parc/310/", ["Community room", "Subdivisions:", "Non-profit", "Co-op"],
     ["Salle communautaire", "Subdivisions :"]),
    ("/comptes/connexion/", ["Username", "Password", "Log in"],
     ["Nom d'utilisateur", "Mot de passe", "Se connecter"]),
]


def catalogue() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def page_text(response) -> str:
    """The page as a person reads it: tags dropped, entities decoded, spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue():
    """Compile the .mo when it is missing or stale, then make Django read it afresh."""
    load_english_catalogue()
    yield


# --- the catalogue ----------------------------------------------------------------------

def test_catalogue_header():
    po = catalogue()
    assert po.metadata["Language"] == "en"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert not po.metadata_is_fuzzy


def test_every_message_is_translated_and_reviewed():
    po = catalogue()
    assert len(po) > 300
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []


def test_the_application_reads_the_catalogue_as_written():
    """Every English message the application gives is the .po file's, none patched or added by a test."""
    english = trans_real.translation("en")
    for entry in catalogue():
        if entry.msgid_plural:
            assert english.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0], entry.msgid
            assert english.ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgstr_plural[1], entry.msgid
        elif entry.msgctxt:
            assert english.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert english.gettext(entry.msgid) == entry.msgstr, entry.msgid
    absent = "Phrase absente du catalogue."
    assert english.gettext(absent) == absent


def test_translations_keep_placeholders_and_plurals():
    for entry in catalogue():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid
            assert sorted(PLACEHOLDER.findall(entry.msgstr_plural[1])) == expected, entry.msgid
        else:
            assert sorted(PLACEHOLDER.findall(entry.msgstr)) == expected, entry.msgid
        assert "«" not in entry.msgstr and "»" not in entry.msgstr, entry.msgid


def test_domain_vocabulary():
    """The words the glossary fixes (docs/glossary.md)."""
    wanted = {
        "HLM": "HLM", "OBNL": "Non-profit", "Coopérative": "Co-op", "Office d'habitation": "Housing office",
        "Aînés": "Seniors", "Familles": "Families", "Personnes seules": "Single persons",
        "Logements disponibles": "Available housing", "Parc de logements": "Housing stock",
        "liste d'attente": "waiting list", "logements adaptés": "adapted units",
        "MRC ou territoire équivalent": "MRC or equivalent territory", "Intervenant·e": "Worker",
    }
    po = catalogue()
    for msgid, msgstr in wanted.items():
        entry = po.find(msgid)
        assert entry is not None, msgid
        assert entry.msgstr == msgstr, msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_catalogue_covers_every_message_in_the_code(tmp_path):
    """makemessages on a copy of the code finds no message that the catalogue lacks."""
    shutil.copytree(ROOT / "toitcommun", tmp_path / "toitcommun",
                    ignore=shutil.ignore_patterns("__pycache__", "static"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location"],  # noqa: S603
                   cwd=tmp_path, check=True, capture_output=True)
    in_code = {e.msgid for e in polib.pofile(str(tmp_path / "locale/en/LC_MESSAGES/django.po"))}
    in_catalogue = {e.msgid for e in catalogue()}
    assert sorted(in_code - in_catalogue) == [], "run `make messages` and translate the new strings"


# --- the pages (one demo world per test: loading it is the slow part) ------------------

def test_pages_in_english(client, demo):
    for url, english, french in PAGES:
        response = client.get(url, headers=EN)
        assert response.status_code == 200, url
        assert '<html lang="en">' in response.content.decode(), url
        text = page_text(response)
        for en, fr in NAV:
            assert en in text, (url, en)
            assert fr not in text, (url, fr)
        for words in english:
            assert words in text, (url, words)
        for words in french:
            assert words not in text, (url, words)


def test_pages_in_french_by_default(client, demo):
    for url, _english, french in PAGES:
        for response in (client.get(url), client.get(url, headers=FR)):
            assert response.status_code == 200, url
            assert '<html lang="fr">' in response.content.decode(), url
            text = page_text(response)
            for _en, fr in NAV:
                assert fr in text, (url, fr)
            for words in french:
                assert words in text, (url, words)
            assert "Available housing" not in text, url


def test_no_french_sentence_left_on_english_pages(client, demo):
    """No translated French sentence of three words or more shows on an English page."""
    sentences = [
        e.msgid for e in catalogue()
        if e.msgstr and e.msgstr != e.msgid and not PLACEHOLDER.search(e.msgid) and len(e.msgid.split()) >= 3
    ]
    for url, _english, _french in PAGES:
        text = page_text(client.get(url, headers=EN))
        assert [s for s in sentences if s in text] == [], url
