"""Opening hours are read as people write them, in French or English, and stored as HSDS rules."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from toitcommun.directory.hours import END_OF_DAY, hours_by_day, hours_text, parse_hours
from toitcommun.directory.models import Schedule

WEEKDAYS = "MO,TU,WE,TH,FR"


def T(hour: int, minute: int = 0) -> datetime.time:
    return datetime.time(hour, minute)


def read(text: str) -> list[tuple[str, datetime.time, datetime.time]]:
    return [(r.byday, r.opens_at, r.closes_at) for r in parse_hours(text)]


@pytest.mark.parametrize(("typed", "rules"), [
    ("lundi au vendredi 9 h à 17 h", [(WEEKDAYS, T(9), T(17))]),
    ("Du lundi au vendredi, de 9 h à 17 h.", [(WEEKDAYS, T(9), T(17))]),
    ("lun-ven 9h-12h, 13h-16h30", [(WEEKDAYS, T(9), T(12)), (WEEKDAYS, T(13), T(16, 30))]),
    ("du lundi au jeudi de 8 h 30 à midi et de 13 h à 16 h 30; vendredi 8h30-12h",
     [("MO,TU,WE,TH", T(8, 30), T(12)), ("MO,TU,WE,TH", T(13), T(16, 30)), ("FR", T(8, 30), T(12))]),
    ("Lundi, mercredi et vendredi : 9 h 30 à 11 h 30", [("MO,WE,FR", T(9, 30), T(11, 30))]),
    ("LU-VE 09:00-12:00,13:00-16:30; SA 10:00-12:00",
     [(WEEKDAYS, T(9), T(12)), (WEEKDAYS, T(13), T(16, 30)), ("SA", T(10), T(12))]),
    ("MO-FR 09:00-16:30", [(WEEKDAYS, T(9), T(16, 30))]),
    ("Mon-Fri 9am-5pm", [(WEEKDAYS, T(9), T(17))]),
    ("Monday to Friday 9 a.m. to 4:30 p.m.", [(WEEKDAYS, T(9), T(16, 30))]),
    ("tous les jours 0 h à minuit", [("MO,TU,WE,TH,FR,SA,SU", T(0), END_OF_DAY)]),
    ("7 jours sur 7, 24 h sur 24", []),  # no opening hour given: refused below, not guessed
    ("fin de semaine 10 h à 14 h", [("SA,SU", T(10), T(14))]),
    ("en semaine 8 h à 16 h; samedi et dimanche : fermé", [(WEEKDAYS, T(8), T(16))]),
    ("mardi 13 h jusqu'à 20 h", [("TU", T(13), T(20))]),
    ("lu,me-ve 9:00-12:00, 13h30-16h; DI 10H-11H\nSA 08:00 - 09:00",
     [("MO,WE,TH,FR", T(9), T(12)), ("MO,WE,TH,FR", T(13, 30), T(16)), ("SU", T(10), T(11)), ("SA", T(8), T(9))]),
    ("MA 9-12 13-16", [("TU", T(9), T(12)), ("TU", T(13), T(16))]),
    ("lundi 9 h à 12 h mercredi 13 h à 16 h", [("MO", T(9), T(12)), ("WE", T(13), T(16))]),
    ("", []),
    ("  ", []),
])
def test_hours_are_read_as_people_write_them(typed: str, rules: list[tuple[str, datetime.time, datetime.time]]) -> None:
    if typed.startswith("7 jours"):
        with pytest.raises(ValidationError):
            parse_hours(typed)
        return
    assert read(typed) == rules


@pytest.mark.parametrize(("typed", "message"), [
    ("lundi 9 h à 25 h", "Heure invalide : « 25 h » dans « lundi 9 h à 25 h ». Écrivez-la ainsi : 9 h 30."),
    ("lundi 17 h à 9 h",
     "L'heure de fermeture doit suivre l'heure d'ouverture : « 17 h – 9 h » dans « lundi 17 h à 9 h »."),
    ("vendredi", "Horaire illisible : « vendredi ». Écrivez les jours puis les heures, par exemple "
                 "« lundi au vendredi 9 h à 12 h et 13 h à 16 h 30; samedi 10 h à 12 h »."),
    ("9 h à 17 h", "Horaire illisible : « 9 h à 17 h ». Écrivez les jours puis les heures, par exemple "
                   "« lundi au vendredi 9 h à 12 h et 13 h à 16 h 30; samedi 10 h à 12 h »."),
    ("lundi 9 h", "Heure de fermeture manquante après « 9 h » dans « lundi 9 h »."),
    ("lundi 9 h à 17 h sauf fériés", "Mot non compris : « sauf » dans « lundi 9 h à 17 h sauf fériés ». Écrivez "
                                     "les jours puis les heures, par exemple « lundi au vendredi 9 h à 12 h et 13 h "
                                     "à 16 h 30; samedi 10 h à 12 h »."),
])
def test_what_cannot_be_read_is_refused_with_the_part_and_the_reason(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_hours(typed)

    assert refused.value.messages == [message]


def test_each_unreadable_part_gets_its_own_message() -> None:
    with pytest.raises(ValidationError) as refused:
        parse_hours("lundi 9 h à 12 h; mardi 9-25; jeudi")

    assert len(refused.value.messages) == 2


def test_too_long_or_too_many_openings_are_refused() -> None:
    with pytest.raises(ValidationError):
        parse_hours("lundi 9 h à 10 h; " * 40)
    with pytest.raises(ValidationError):
        parse_hours("; ".join(f"lundi {h} h à {h} h 30" for h in range(8, 23)))


def test_the_short_text_reads_back_to_the_same_rules_in_french_and_hsds_codes() -> None:
    rules = parse_hours("du lundi au vendredi 9 h à 12 h et 13 h à 16 h 30; samedi 10 h à minuit")
    stored = [Schedule(byday=r.byday, opens_at=r.opens_at, closes_at=r.closes_at) for r in rules]

    assert hours_text(stored) == "MO-FR 09:00-12:00,13:00-16:30; SA 10:00-24:00"
    assert hours_text(stored, french=True) == "LU-VE 09:00-12:00,13:00-16:30; SA 10:00-24:00"
    assert read(hours_text(stored, french=True)) == read(hours_text(stored))


def test_hours_by_day_fill_the_day_by_day_grid() -> None:
    week = hours_by_day(parse_hours("lun-ven 9h-12h, 13h-16h30; sam 10h-minuit"))

    assert week["MO"] == [("09:00", "12:00"), ("13:00", "16:30")]
    assert week["SA"] == [("10:00", "24:00")]
    assert week["SU"] == []


def test_the_preview_says_what_was_understood_in_plain_words(client, office_staff) -> None:
    client.force_login(office_staff)

    understood = client.get("/repertoire/gestion/heures/", {"hours": "lun-ven 9h-12h, 13h-16h30"})
    refused = client.get("/repertoire/gestion/heures/", {"hours": "lundi 9 h"})
    grid = client.get("/repertoire/gestion/heures/", {"hours": "sam 10h-12h", "part": "grid"})

    assert "du lundi au vendredi, de 9\u00a0h à 12\u00a0h et de 13\u00a0h à 16\u00a0h\u00a030" in understood.content.decode()
    assert "Heure de fermeture manquante après « 9 h »" in refused.content.decode()
    assert 'data-hours-day="SA"' in grid.content.decode() and 'value="10:00"' in grid.content.decode()


def test_the_preview_needs_an_account(client) -> None:
    response = client.get("/repertoire/gestion/heures/", {"hours": "lundi 9 h à 12 h"})

    assert response.status_code == 302


def test_a_range_of_days_may_wrap_over_the_weekend() -> None:
    assert read("vendredi au lundi 9 h à 12 h") == [("MO,FR,SA,SU", T(9), T(12))]


def test_the_example_given_in_messages_reads_in_both_languages() -> None:
    from django.utils import translation

    from toitcommun.directory.hours import HOURS_EXAMPLE

    with translation.override("fr"):
        french = read(str(HOURS_EXAMPLE))
    with translation.override("en"):
        english = read(str(HOURS_EXAMPLE))
    assert french == english == [(WEEKDAYS, T(9), T(12)), (WEEKDAYS, T(13), T(16, 30)), ("SA", T(10), T(12))]
