"""`load_demo` prints the demo accounts with their roles named in the reader's language."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.utils import translation


def demo_output() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_names_the_roles_in_french(db):
    output = demo_output()
    assert "Scénario de démonstration chargé : Chaudière-Appalaches (12)." in output
    assert "  admin          Toit-commun-admin-2015       Administrateur\n" in output
    assert "  coordination   Grand-rassemblement-Scott    Coordination régionale\n" in output
    assert ("  intervenante   Travail-de-proximite-TM      Intervenant·e · Réseaux d'entraide des Appalaches\n"
            in output)
    assert "regional_coordinator" not in output and "administrator" not in output


def test_load_demo_names_the_roles_in_english_when_english_is_active(db):
    with translation.override("en"):
        output = demo_output()
    assert "Demo scenario loaded: Chaudière-Appalaches (12)." in output
    assert "  admin          Toit-commun-admin-2015       Administrator\n" in output
    assert "  coordination   Grand-rassemblement-Scott    Regional coordination\n" in output
    assert "  chercheure     Evaluation-2012-2015         Researcher\n" in output
