"""The housing import reads what people write (French or English columns and values) and refuses
what would hurt: a zip bomb, a file in two encodings, figures beyond the bounds every face shares."""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from tests.housing.test_import import (
    COLUMNS,
    EXAMPLE_CSV,
    EXAMPLE_XLSX,
    csv_file,
    import_example,
    nothing_imported,
    rejected_errors,
    row,
    stock,
    user_with,
)
from toitcommun.access.models import Role
from toitcommun.housing import bounds
from toitcommun.housing.imports import RowError, housing_import, reading
from toitcommun.housing.models import AvailabilitySnapshot, Building

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> Any:
    return user_with(Role.ADMINISTRATOR)


FRENCH_CSV = Path(settings.BASE_DIR) / "data" / "examples" / "logements_exemple.csv"
FRENCH_XLSX = FRENCH_CSV.with_suffix(".xlsx")


# --- French and English ---------------------------------------------------------------------


@pytest.mark.parametrize("french", [FRENCH_CSV, FRENCH_XLSX])
@pytest.mark.parametrize("english", [EXAMPLE_CSV, EXAMPLE_XLSX])
def test_french_example_gives_the_same_stock_as_the_english_one(admin: Any, french: Path, english: Path) -> None:
    import_example(admin, english)
    facts = stock()
    Building.objects.all().delete()

    again = import_example(admin, french)

    assert stock() == facts
    assert (again.buildings_created, again.unit_groups_created, again.snapshots_created) == (6, 10, 5)


def test_column_names_and_values_are_read_whatever_the_case_accents_and_separators(admin: Any) -> None:
    header = ["ORGANISME", "Code-Municipalité", "Nom du site", "Adresse ", "Mode de tenure", "Type d'immeuble",
              "CLIENTELE", "Nombre de logements", "logements_adaptes", "nb chambres", "Logements vacants",
              "Liste d’attente", "En date du"]
    lines = [
        ["Coop Test", "25213", "A", "1, rue A", "Coopérative", "multi-unit", "Personnes âgées", "4", "0", "1",
         "1", "3", "2015-03-31"],
        ["OSBL Test", "25213", "B", "2, rue B", "osbl", "Multilogement", "personnes seules", "2", "0", "0",
         "", "", ""],
        ["OMH Test", "25213", "C", "3, rue C", "hlm", "Maison unifamiliale", "FAMILLES", "1", "1", "3", "", "", ""],
        ["OMH Test", "25213", "D", "4, rue D", "HLM", "duplex", "aînés", "2", "0", "1", "", "", ""],
    ]
    content = "\n".join(";".join(cells) for cells in [header, *lines]).encode("utf-8")

    summary = housing_import(actor=admin, file_name="parc.csv", content=content)

    assert summary.buildings_created == 4
    assert sorted(Building.objects.values_list("name", "tenure", "form")) == [
        ("A", "coop", "multi_unit"), ("B", "obnl", "multi_unit"), ("C", "hlm", "single_family"),
        ("D", "hlm", "duplex"),
    ]
    assert sorted(Building.objects.values_list("unit_groups__clientele", flat=True)) == [
        "families", "seniors", "seniors", "singles",
    ]
    assert AvailabilitySnapshot.objects.get().waiting_list == 3


def test_a_municipality_may_be_named_instead_of_coded(admin: Any) -> None:
    content = csv_file(row(municipality_code="Thetford Mines", site="A"),
                       row(municipality_code="St-Joseph-de-Beauce", site="B"),
                       row(municipality_code="LÉVIS", site="C"))

    housing_import(actor=admin, file_name="stock.csv", content=content)

    assert sorted(Building.objects.values_list("name", "municipality__code")) == [
        ("A", "31084"), ("B", "27043"), ("C", "25213"),
    ]


def test_an_unknown_municipality_name_is_refused_with_a_hint(admin: Any) -> None:
    errors = rejected_errors(actor=admin, file_name="stock.csv",
                             content=csv_file(row(municipality_code="Ville imaginaire")))

    assert errors == [RowError(2, "municipality_code", "Municipalité inconnue : « Ville imaginaire ». Vérifiez "
                                                       "son nom ou donnez son code géographique à 5 chiffres.")]
    assert nothing_imported()


def test_errors_name_the_columns_and_accepted_values_as_a_french_file_writes_them(admin: Any) -> None:
    header = "organisme;municipalité;site;adresse;mode;forme;clientèle;logements;logements adaptés;chambres"
    content = (header + "\nOMH;25213;A;1, rue A;loyer;triplex;étudiants;dix;0;1\n").encode()

    errors = rejected_errors(actor=admin, file_name="parc.csv", content=content, lang="en")

    assert errors == [
        RowError(2, "mode", 'Unknown value "loyer": allowed values are HLM, coopérative, OBNL.'),
        RowError(2, "forme", 'Unknown value "triplex": allowed values are multilogement, duplex, unifamiliale.'),
        RowError(2, "clientèle", 'Unknown value "étudiants": allowed values are aînés, familles, personnes seules.'),
        RowError(2, "logements", '"dix" is not a whole number.'),
    ]


def test_errors_name_english_values_for_an_english_file_even_in_french(admin: Any) -> None:
    errors = rejected_errors(actor=admin, file_name="stock.csv", content=csv_file(row(tenure="loyer")))

    assert errors == [RowError(2, "tenure", "Valeur inconnue « loyer » : valeurs permises : hlm, coop, obnl.")]


def test_a_missing_column_is_named_in_the_file_language(admin: Any) -> None:
    content = "organisme;municipalité;site;adresse;mode;forme;clientèle;logements;chambres\nx\n".encode()

    errors = rejected_errors(actor=admin, file_name="parc.csv", content=content)

    assert errors == [RowError(1, "logements adaptés", "Colonne obligatoire absente de l'en-tête.")]


def test_the_model_file_speaks_the_reader_language(client: Any) -> None:
    french = client.get("/logement/importer/modele.csv").getvalue().decode("utf-8-sig").splitlines()
    english = client.get("/logement/importer/modele.csv", headers={"Accept-Language": "en"}
                         ).getvalue().decode("utf-8-sig").splitlines()

    assert french[0].split(",")[:7] == ["organisme", "municipalité", "site", "adresse", "mode", "forme",
                                        "clientèle"]
    assert "HLM,multilogement,aînés" in french[1]
    assert english[0].split(",") == COLUMNS
    assert "hlm,multi_unit,seniors" in english[1]


# --- Encodings ------------------------------------------------------------------------------


def test_a_stray_latin1_byte_in_a_utf8_file_is_refused_naming_the_line(admin: Any) -> None:
    # Row 3 is UTF-8; row 4 carries one Windows-1252 "é" in a column the import ignores.
    content = (
        "organization,municipality_code,site,address,tenure,form,clientele,units,adapted_units,bedrooms,notes\n"
        "Coopérative A,25213,A,1 rue A,coop,multi_unit,seniors,2,0,1,\n"
        "Coopérative B,25213,B,1 rue B,coop,multi_unit,seniors,2,0,1,\n"
    ).encode() + "Coop C,25213,C,1 rue C,coop,multi_unit,seniors,2,0,1,réunion\n".encode("cp1252")

    errors = rejected_errors(actor=admin, file_name="stock.csv", content=content)

    assert len(errors) == 1
    assert errors[0].row == 2
    assert "« Coopérative »" not in errors[0].message
    assert "CoopÃ©rative" in errors[0].message and "ligne 4" in errors[0].message
    assert nothing_imported()


def test_text_already_damaged_by_a_double_decoding_is_refused(admin: Any) -> None:
    content = csv_file(row(), row(organization="CoopÃ©rative Les Berges", site="B"))

    errors = rejected_errors(actor=admin, file_name="stock.csv", content=content)

    assert [e.row for e in errors] == [3]
    assert "CoopÃ©rative" in errors[0].message
    assert nothing_imported()


def test_a_genuine_windows_1252_file_with_accents_is_still_read(admin: Any) -> None:
    content = csv_file(row(organization="Coopérative Les Érables", address="1, rue de l'Église"), encoding="cp1252")

    housing_import(actor=admin, file_name="stock.csv", content=content)

    assert Building.objects.get().organization.name == "Coopérative Les Érables"


# --- Archives that would expand beyond reason -------------------------------------------------


def xlsx_with(parts: dict[str, bytes]) -> bytes:
    """A minimal workbook whose parts may be replaced or added."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(COLUMNS)
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename not in parts:
                target.writestr(item, source.read(item.filename))
        for name, data in parts.items():
            target.writestr(name, data)
    return result.getvalue()


def shared_strings(count: int, text: Any) -> bytes:
    items = b"".join(b"<si><t>" + text(i) + b"</t></si>" for i in range(count))
    return (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" count="1" uniqueCount="1">' + items + b"</sst>")


def test_a_shared_strings_bomb_is_refused_before_parsing(admin: Any) -> None:
    # Five million identical strings: 85 MB of XML in a few hundred kilobytes.
    bomb = xlsx_with({"xl/sharedStrings.xml": shared_strings(0, bytes).replace(
        b"</sst>", b"<si><t>a</t></si>" * 5_000_000 + b"</sst>")})
    assert len(bomb) < 400_000

    errors = rejected_errors(actor=admin, file_name="stock.xlsx", content=bomb)

    assert len(errors) == 1 and errors[0].message.startswith("Classeur refusé : son contenu décompressé")
    assert nothing_imported()


def test_too_many_shared_strings_are_refused_even_when_they_compress_little(admin: Any) -> None:
    rng = random.Random(1)
    strings = shared_strings(bounds_strings := reading.XLSX_MAX_SHARED_STRINGS + 1,
                             lambda i: b"%08x" % rng.getrandbits(32))
    workbook = xlsx_with({"xl/sharedStrings.xml": strings})
    info = zipfile.ZipFile(io.BytesIO(workbook)).getinfo("xl/sharedStrings.xml")
    assert info.file_size < reading.XLSX_MAX_RATIO * info.compress_size  # not caught by its ratio
    assert bounds_strings > reading.XLSX_MAX_SHARED_STRINGS

    errors = rejected_errors(actor=admin, file_name="stock.xlsx", content=workbook)

    assert errors[0].message.startswith("Classeur refusé")


def test_a_sheet_with_too_many_cells_is_refused(admin: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "XLSX_MAX_CELLS", 100)
    cells = b"".join(b'<c r="A%d"><v>1</v></c>' % i for i in range(1, 102))
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><sheetData><row r="1">' + cells + b"</row></sheetData></worksheet>")

    errors = rejected_errors(actor=admin, file_name="stock.xlsx", content=xlsx_with({"xl/worksheets/sheet1.xml": sheet}))

    assert errors[0].message.startswith("Classeur refusé")


def test_a_part_whose_declared_size_is_huge_is_refused(admin: Any) -> None:
    bomb = xlsx_with({"xl/media/padding.bin": b"\0" * (reading.XLSX_MAX_EXPANDED_BYTES + 1)})

    errors = rejected_errors(actor=admin, file_name="stock.xlsx", content=bomb)

    assert errors[0].message.startswith("Classeur refusé")


def test_the_upload_page_refuses_a_body_over_the_limit_without_reading_it(client: Any) -> None:
    staff = user_with(Role.ADMINISTRATOR)
    client.force_login(staff)
    small = io.BytesIO(csv_file(row()))
    small.name = "stock.csv"

    response = client.post("/logement/importer/", {"file": small}, CONTENT_LENGTH=str(100 * 1024 * 1024))

    assert response.status_code == 413
    assert "Le fichier dépasse 32 Mo" in response.content.decode()
    assert not Building.objects.exists()


# --- One set of bounds per figure ---------------------------------------------------------------


def test_import_form_and_api_share_the_waiting_list_bound(admin: Any, client: Any) -> None:
    too_many = bounds.WAITING_LIST.maximum + 1
    errors = rejected_errors(actor=admin, file_name="stock.csv", content=csv_file(
        row(vacant_units="0", waiting_list=str(too_many), as_of="2015-03-31")))
    assert errors == [RowError(2, "waiting_list", "Le nombre doit être entre 0 et 100000.")]

    housing_import(actor=admin, file_name="stock.csv", content=csv_file(row()))
    building = Building.objects.get()
    client.force_login(admin)
    page = client.post(f"/logement/immeubles/{building.pk}/disponibilites/", {
        "clientele": "seniors", "as_of": "2015-03-31", "vacant_units": "0", "waiting_list": str(too_many)})
    assert page.status_code == 200
    assert "Assurez-vous que cette valeur est inférieure ou égale à 100000." in page.content.decode()

    api = client.post(f"/api/v1/buildings/{building.pk}/availability", json.dumps({
        "clientele": "seniors", "as_of": "2015-03-31", "vacant_units": 0, "waiting_list": 9_999_999_999}),
        content_type="application/json")
    assert api.status_code == 422
    assert api.json()["detail"] == [{"field": "waiting_list", "message": "La valeur doit être au plus 100000."}]
    assert not AvailabilitySnapshot.objects.exists()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("waiting_list", False, "Entrez un nombre entier."),
    ("vacant_units", True, "Entrez un nombre entier."),
    ("waiting_list", 3.5, "Entrez un nombre entier."),
    ("as_of", "0001-01-01", "La valeur doit être au moins 2000-01-01."),
    ("as_of", 0, "Entrez une date valide au format AAAA-MM-JJ."),
    ("as_of", "20150331", "Entrez une date valide au format AAAA-MM-JJ."),
])
def test_api_refuses_what_is_not_a_figure_or_a_date(admin: Any, client: Any, field: str, value: Any,
                                                     message: str) -> None:
    housing_import(actor=admin, file_name="stock.csv", content=csv_file(row()))
    client.force_login(admin)
    body = {"clientele": "seniors", "as_of": "2015-03-31", "vacant_units": 0, "waiting_list": 4, field: value}

    response = client.post(f"/api/v1/buildings/{Building.objects.get().pk}/availability", json.dumps(body),
                           content_type="application/json")

    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": field, "message": message}]
    assert not AvailabilitySnapshot.objects.exists()


def test_import_refuses_a_report_date_before_the_earliest(admin: Any) -> None:
    errors = rejected_errors(actor=admin, file_name="stock.csv", content=csv_file(
        row(vacant_units="0", waiting_list="1", as_of="1999-12-31")))

    assert errors == [RowError(2, "as_of", "La date doit être le 2000-01-01 ou après.")]


@pytest.mark.parametrize("date", ["0", "1", "0001-01-01", "99999-01-01", "2015-3-1"])
def test_summary_date_must_be_written_in_full_and_within_reason(client: Any, date: str) -> None:
    response = client.get("/api/v1/housing/summary", {"territory": "12", "date": date})

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "date"


def test_openapi_states_the_bounds(client: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    availability = schema["components"]["schemas"]["AvailabilityIn"]["properties"]

    assert (availability["waiting_list"]["minimum"], availability["waiting_list"]["maximum"]) == (0, 100_000)
    assert (availability["vacant_units"]["minimum"], availability["vacant_units"]["maximum"]) == (0, 5_000)
    assert availability["as_of"]["format"] == "date"
    assert "2000-01-01" in availability["as_of"]["description"]


def test_the_page_refuses_a_summary_date_out_of_reason(client: Any) -> None:
    response = client.get("/logement/disponibles/12/", {"date": "0001-01-01"})

    assert response.status_code == 200
    assert "Assurez-vous que cette valeur est supérieure ou égale à 1900-01-01." in response.content.decode()
    assert timezone.localdate().isoformat()  # the page falls back to today
