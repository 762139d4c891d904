"""The housing stock import: all or nothing, idempotent, in French or English."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import Workbook

from toitcommun.access.models import AuditEvent, Role, RoleAssignment
from toitcommun.errors import PermissionRefused
from toitcommun.housing.imports import ImportRejected, ImportSummary, RowError, housing_import
from toitcommun.housing.models import AvailabilitySnapshot, Building, UnitGroup
from toitcommun.organizations.models import Organization, OrganizationKind
from toitcommun.territory.services import territory_load_mamh

EXAMPLES = Path(settings.BASE_DIR) / "data" / "examples"
EXAMPLE_CSV = EXAMPLES / "housing_example.csv"
EXAMPLE_XLSX = EXAMPLES / "housing_example.xlsx"
COLUMNS = [
    "organization", "municipality_code", "site", "address", "tenure", "form", "clientele",
    "units", "adapted_units", "bedrooms", "vacant_units", "waiting_list", "as_of",
]
OMH_LEVIS = "Office municipal d'habitation de Lévis (test)"


@pytest.fixture(autouse=True)
def territory(db: Any) -> None:
    territory_load_mamh()


def user_with(role: str | None = None, **scope: Any) -> Any:
    user = get_user_model().objects.create_user(
        username=f"{role or 'nobody'}-{get_user_model().objects.count()}", password="x", first_name="Marie",
        last_name="Gagnon",
    )
    if role:
        RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


@pytest.fixture
def admin() -> Any:
    return user_with(Role.ADMINISTRATOR)


def organization(name: str, kind: str = OrganizationKind.HOUSING_OFFICE) -> Organization:
    return Organization.objects.create(name=name, name_key=Organization.key_for(name), kind=kind)


def row(**values: Any) -> dict[str, Any]:
    """A valid row for a seniors' HLM in Lévis; keyword arguments change its cells."""
    return {
        "organization": OMH_LEVIS, "municipality_code": "25213", "site": "Les Terrasses (test)",
        "address": "1, rue du Test, Lévis", "tenure": "hlm", "form": "multi_unit", "clientele": "seniors",
        "units": "10", "adapted_units": "1", "bedrooms": "1", "vacant_units": "", "waiting_list": "",
        "as_of": "", **values,
    }


def csv_file(*rows: dict[str, Any], delimiter: str = ",", encoding: str = "utf-8",
             columns: list[str] = COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_file(*rows: list[Any]) -> bytes:
    book = Workbook()
    book.active.append(COLUMNS)
    for cells in rows:
        book.active.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Organization, Building, UnitGroup, AvailabilitySnapshot, AuditEvent)}


def nothing_imported() -> bool:
    """No housing record, and no audit event besides the territory's loading."""
    return (
        not Organization.objects.exists() and not Building.objects.exists()
        and not UnitGroup.objects.exists() and not AvailabilitySnapshot.objects.exists()
        and not AuditEvent.objects.exclude(action__startswith="territory.").exists()
    )


def stock() -> list[tuple[Any, ...]]:
    """Every imported fact, in a comparable form."""
    return sorted(
        [("organization", o.name, o.kind) for o in Organization.objects.all()]
        + [("building", b.organization.name, b.municipality.code, b.name, b.address, b.tenure, b.form)
           for b in Building.objects.select_related("organization", "municipality")]
        + [("group", g.building.name, g.clientele, g.bedrooms, g.units, g.adapted_units)
           for g in UnitGroup.objects.select_related("building")]
        + [("snapshot", s.building.name, s.clientele, s.as_of.isoformat(), s.vacant_units, s.waiting_list)
           for s in AvailabilitySnapshot.objects.select_related("building")]
    )


def import_example(actor: Any, path: Path = EXAMPLE_CSV, **kwargs: Any) -> ImportSummary:
    return housing_import(actor=actor, file_name=path.name, content=path.read_bytes(), **kwargs)


def rejected_errors(**kwargs: Any) -> list[RowError]:
    with pytest.raises(ImportRejected) as rejected:
        housing_import(**kwargs)
    return rejected.value.errors


# --- Importing ------------------------------------------------------------------------------------


def test_example_csv_creates_organizations_buildings_unit_groups_and_vacancies(admin: Any) -> None:
    summary = import_example(admin)

    assert summary == ImportSummary(
        rows=10,
        organizations_created=[
            "Office municipal d'habitation de Lévis (exemple)",
            "Coopérative d'habitation Les Berges (exemple)",
            "Habitations Le Tournesol (exemple)",
            "Office municipal d'habitation de Beauceville (exemple)",
        ],
        buildings_created=6, buildings_updated=0, unit_groups_created=10, unit_groups_updated=0,
        snapshots_created=5, snapshots_updated=0, unchanged_rows=0,
    )
    kinds = dict(Organization.objects.values_list("name", "kind"))
    assert kinds == {
        "Office municipal d'habitation de Lévis (exemple)": OrganizationKind.HOUSING_OFFICE,
        "Coopérative d'habitation Les Berges (exemple)": OrganizationKind.HOUSING_COOP,
        "Habitations Le Tournesol (exemple)": OrganizationKind.HOUSING_NONPROFIT,
        "Office municipal d'habitation de Beauceville (exemple)": OrganizationKind.HOUSING_OFFICE,
    }
    terrasses = Building.objects.get(name="Les Terrasses du Fleuve (exemple)")
    assert (terrasses.municipality.code, terrasses.tenure, terrasses.form) == ("25213", "hlm", "multi_unit")
    assert sorted(terrasses.unit_groups.values_list("clientele", "bedrooms", "units", "adapted_units")) == [
        ("seniors", 1, 36, 2), ("seniors", 2, 8, 0),
    ]
    vacancy = AvailabilitySnapshot.objects.get(building=terrasses)
    assert (vacancy.clientele, vacancy.as_of, vacancy.vacant_units, vacancy.waiting_list) == (
        "seniors", datetime.date(2015, 3, 31), 2, 14,
    )
    assert (vacancy.reported_by, vacancy.reported_by_label) == (admin, "Marie Gagnon")
    # One event per record written, and one for the import itself.
    assert AuditEvent.objects.filter(actor=admin).count() == 1 + 4 + 6 + 10 + 5


def test_example_xlsx_gives_the_same_stock_as_the_csv(admin: Any) -> None:
    summary = import_example(admin, EXAMPLE_XLSX)
    from_xlsx = stock()

    again_from_csv = import_example(admin, EXAMPLE_CSV)

    assert (summary.rows, summary.buildings_created, summary.unit_groups_created, summary.snapshots_created) == (
        10, 6, 10, 5,
    )
    assert len(summary.organizations_created) == 4
    assert not again_from_csv.changed
    assert stock() == from_xlsx


def test_importing_the_same_file_twice_changes_nothing_and_writes_no_audit_event(admin: Any) -> None:
    import_example(admin)
    counts, facts = table_counts(), stock()

    second = import_example(admin)

    assert second == ImportSummary(rows=10, unchanged_rows=10)
    assert not second.changed
    assert table_counts() == counts
    assert stock() == facts


def test_reimport_updates_what_changed_and_audits_before_and_after(admin: Any) -> None:
    import_example(admin)
    text = EXAMPLE_CSV.read_text(encoding="utf-8")
    changed = (
        text.replace("hlm,multi_unit,seniors,8,0,2", "hlm,multi_unit,seniors,9,1,2")
        .replace("300, boulevard de l'Exemple", "302, boulevard de l'Exemple")
        .replace("families,4,0,2,0,5,2015-06-30", "families,4,0,2,1,5,2015-06-30")
    )
    events_before = AuditEvent.objects.count()

    summary = housing_import(actor=admin, file_name="stock.csv", content=changed.encode())

    assert summary == ImportSummary(
        rows=10, buildings_updated=1, unit_groups_updated=1, snapshots_updated=1, unchanged_rows=6,
    )
    tournesol = Building.objects.get(name="Le Tournesol (exemple)")
    assert (tournesol.address, tournesol.version) == ("302, boulevard de l'Exemple, Beauceville", 2)
    assert UnitGroup.objects.get(building__name="Les Terrasses du Fleuve (exemple)", bedrooms=2).units == 9
    assert AvailabilitySnapshot.objects.get(building__name="Les Berges (exemple)").vacant_units == 1
    update = AuditEvent.objects.get(action="building.update")
    assert (update.before["address"], update.after["address"]) == (
        "300, boulevard de l'Exemple, Beauceville", "302, boulevard de l'Exemple, Beauceville",
    )
    assert AuditEvent.objects.count() == events_before + 1 + 3


def test_known_organization_is_matched_on_its_name_whatever_the_case_and_accents(admin: Any) -> None:
    known = organization("Office municipal d'habitation de Lévis")

    summary = housing_import(actor=admin, file_name="stock.csv", content=csv_file(
        row(organization="OFFICE MUNICIPAL D’HABITATION DE LEVIS"),
    ))

    assert summary.organizations_created == []
    assert Building.objects.get().organization == known


def test_a_site_keeps_its_units_not_in_the_file_when_vacancies_are_checked(admin: Any) -> None:
    housing_import(actor=admin, file_name="a.csv", content=csv_file(row(bedrooms="1", units="4")))

    summary = housing_import(actor=admin, file_name="b.csv", content=csv_file(
        row(bedrooms="2", units="2", vacant_units="5", waiting_list="0", as_of="2015-01-31"),
    ))

    assert (summary.unit_groups_created, summary.snapshots_created) == (1, 1)


def test_dry_run_counts_what_would_change_and_writes_nothing(admin: Any) -> None:
    summary = import_example(admin, dry_run=True)

    assert (summary.dry_run, summary.buildings_created, summary.unit_groups_created) == (True, 6, 10)
    assert nothing_imported()


def test_large_file_is_imported_with_a_fixed_number_of_queries(
    admin: Any, django_assert_max_num_queries: Any,
) -> None:
    rows = [row(site=f"Site {n // 3}", bedrooms=str(n % 3), vacant_units="1", waiting_list="2",
                as_of="2015-01-31") for n in range(600)]

    # Bulk statements only: the count grows with batches of rows, never row by row; the roll-ups'
    # recount of the municipalities touched is a few statements more, whatever their number, and
    # the per-building rows (BuildingCurrent) a few more, in batches.
    with django_assert_max_num_queries(45):
        summary = housing_import(actor=admin, file_name="big.csv", content=csv_file(*rows))

    assert (summary.buildings_created, summary.unit_groups_created, summary.snapshots_created) == (200, 600, 200)


# --- File formats ---------------------------------------------------------------------------------


def test_semicolon_delimited_csv_with_bom_from_french_excel_is_read(admin: Any) -> None:
    content = csv_file(row(address="1, rue du Test; app. 2"), delimiter=";", encoding="utf-8-sig")
    assert content.startswith(b"\xef\xbb\xbf")

    summary = housing_import(actor=admin, file_name="STOCK.CSV", content=content)

    assert summary.buildings_created == 1
    assert Building.objects.get().address == "1, rue du Test; app. 2"


def test_windows_1252_csv_is_read(admin: Any) -> None:
    housing_import(actor=admin, file_name="stock.csv", content=csv_file(row(), encoding="cp1252"))

    assert Organization.objects.get().name == OMH_LEVIS


def test_cells_are_trimmed(admin: Any) -> None:
    housing_import(actor=admin, file_name="stock.csv", content=csv_file(
        row(organization=f"  {OMH_LEVIS} ", tenure=" hlm", units=" 10 ", municipality_code="25213 "),
    ))

    building = Building.objects.get()
    assert (building.organization.name, building.tenure) == (OMH_LEVIS, "hlm")


def test_xlsx_integral_floats_and_date_cells_are_accepted(admin: Any) -> None:
    content = xlsx_file([OMH_LEVIS, 25213.0, "Les Terrasses", "1, rue du Test", "hlm", "multi_unit", "seniors",
                         10.0, 0.0, 1.0, 2.0, 3.0, datetime.datetime(2015, 3, 31)])

    summary = housing_import(actor=admin, file_name="stock.xlsx", content=content)

    assert (summary.unit_groups_created, summary.snapshots_created) == (1, 1)
    assert UnitGroup.objects.get().units == 10
    assert AvailabilitySnapshot.objects.get().as_of == datetime.date(2015, 3, 31)


def test_xlsx_fractional_number_is_refused(admin: Any) -> None:
    content = xlsx_file([OMH_LEVIS, "25213", "Les Terrasses", "1, rue", "hlm", "multi_unit", "seniors",
                         10.5, 0, 1])

    errors = rejected_errors(actor=admin, file_name="stock.xlsx", content=content)

    assert errors == [RowError(2, "units", "« 10.5 » n'est pas un nombre entier.")]


def test_blank_lines_are_skipped_and_row_numbers_stay_those_of_the_spreadsheet(admin: Any) -> None:
    content = csv_file(row(), {}, row(site="Autre site", units="x"))

    errors = rejected_errors(actor=admin, file_name="stock.csv", content=content)

    assert [(e.row, e.column) for e in errors] == [(4, "units")]


@pytest.mark.parametrize(("file_name", "content", "message"), [
    ("stock.xls", b"\xd0\xcf\x11\xe0", "Format de fichier non pris en charge : utilisez un fichier .csv ou .xlsx."),
    ("stock.xlsx", b"not a zip", "Fichier illisible : ce n'est pas un classeur Excel (.xlsx) valide."),
    ("stock.csv", b"organization\x00\x81", "Fichier illisible : ce n'est pas un fichier texte CSV en UTF-8."),
    ("stock.csv", b"", "Le fichier ne contient aucune ligne de données."),
    ("stock.csv", ",".join(COLUMNS).encode() + b"\r\n\r\n", "Le fichier ne contient aucune ligne de données."),
])
def test_unreadable_or_empty_file_is_refused_as_a_whole(admin: Any, file_name: str, content: bytes,
                                                         message: str) -> None:
    errors = rejected_errors(actor=admin, file_name=file_name, content=content)

    assert errors == [RowError(0, "", message)]
    assert errors[0].describe() == f"fichier : {message}"


# --- Bad rows -------------------------------------------------------------------------------------


def test_a_bad_row_imports_nothing_and_every_error_is_reported_with_row_and_column(admin: Any) -> None:
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    content = csv_file(
        row(),                                                                  # 2: good
        row(site="B", municipality_code="99999"),                               # 3
        row(site="C", units="dix", bedrooms="-1"),                              # 4
        row(site="D", units="3", adapted_units="4"),                            # 5
        row(site="E", tenure="hlm-privé", form="triplex", clientele="étudiants"),  # 6
        row(site="F", vacant_units="1", waiting_list="2", as_of="2015-02-30"),  # 7
        row(site="G", vacant_units="1", waiting_list="2", as_of=future),        # 8
        row(site="x" * 201, address="y" * 301),                                 # 9
        row(),                                                                  # 10: same as 2
        row(site="H", units="2", vacant_units="3", waiting_list="0", as_of="2015-01-31"),  # 11
        row(site="I", vacant_units="1"),                                        # 12
        row(organization="", units="0", bedrooms="11"),                         # 13
        row(address="2, rue Autre", bedrooms="2"),                              # 14
    )

    errors = rejected_errors(actor=admin, file_name="stock.csv", content=content)

    assert [(e.row, e.column) for e in errors] == [
        (3, "municipality_code"),
        (4, "units"), (4, "bedrooms"),
        (5, "adapted_units"),
        (6, "tenure"), (6, "form"), (6, "clientele"),
        (7, "as_of"),
        (8, "as_of"),
        (9, "site"), (9, "address"),
        (10, "bedrooms"),
        (11, "vacant_units"),
        (12, "waiting_list"), (12, "as_of"),
        (13, "organization"), (13, "units"), (13, "bedrooms"),
        (14, "address"),
    ]
    messages = {(e.row, e.column): e.message for e in errors}
    assert messages[(3, "municipality_code")] == "Code de municipalité inconnu : « 99999 »."
    assert messages[(4, "units")] == "« dix » n'est pas un nombre entier."
    assert messages[(4, "bedrooms")] == "Le nombre ne peut pas être négatif."
    assert messages[(5, "adapted_units")] == "Les logements adaptés (4) dépassent les logements du groupe (3)."
    assert messages[(6, "tenure")] == "Valeur inconnue « hlm-privé » : valeurs permises : hlm, coop, obnl."
    assert messages[(6, "form")] == (
        "Valeur inconnue « triplex » : valeurs permises : multi_unit, duplex, single_family."
    )
    assert messages[(6, "clientele")] == (
        "Valeur inconnue « étudiants » : valeurs permises : seniors, families, singles."
    )
    assert messages[(7, "as_of")] == "Date invalide « 2015-02-30 » : écrivez-la AAAA-MM-JJ."
    assert messages[(8, "as_of")] == f"La date {future} est dans le futur."
    assert messages[(9, "site")] == "Trop long : 201 caractères, 200 au plus."
    assert messages[(9, "address")] == "Trop long : 301 caractères, 300 au plus."
    assert messages[(10, "bedrooms")] == (
        "Ligne en double : même site, même clientèle et même nombre de chambres qu'à la ligne 2."
    )
    assert messages[(11, "vacant_units")] == (
        "3 logements vacants, mais ce site n'a que 2 logements pour cette clientèle."
    )
    assert messages[(12, "waiting_list")] == "Valeur requise lorsque « vacant_units » est rempli."
    assert messages[(12, "as_of")] == "Date requise lorsque « vacant_units » ou « waiting_list » est rempli."
    assert messages[(13, "organization")] == "Valeur requise."
    assert messages[(13, "units")] == "Le nombre doit être entre 1 et 5000."
    assert messages[(14, "address")] == "Diffère de la ligne 2 pour le même site (1, rue du Test, Lévis)."
    assert nothing_imported()


def test_vacancies_count_the_units_of_every_row_of_the_site_and_clientele(admin: Any) -> None:
    def vacancies(n: int) -> bytes:
        return csv_file(
            row(bedrooms="1", units="3", vacant_units=str(n), waiting_list="0", as_of="2015-01-31"),
            row(bedrooms="2", units="2"),
            row(bedrooms="1", clientele="families", units="40"),
        )

    errors = rejected_errors(actor=admin, file_name="stock.csv", content=vacancies(6))
    summary = housing_import(actor=admin, file_name="stock.csv", content=vacancies(5))

    assert errors == [RowError(2, "vacant_units",
                               "6 logements vacants, mais ce site n'a que 5 logements pour cette clientèle.")]
    assert summary.snapshots_created == 1


def test_rows_of_one_site_clientele_and_date_must_give_the_same_vacancies(admin: Any) -> None:
    content = csv_file(
        row(bedrooms="1", vacant_units="1", waiting_list="4", as_of="2015-01-31"),
        row(bedrooms="2", vacant_units="1", waiting_list="4", as_of="2015-01-31"),
        row(bedrooms="3", vacant_units="2", waiting_list="4", as_of="2015-01-31"),
    )

    errors = rejected_errors(actor=admin, file_name="stock.csv", content=content)

    assert errors == [RowError(
        4, "vacant_units", "Diffère de la ligne 2 pour le même site, la même clientèle et la même date.",
    )]


def test_missing_required_column_is_one_error_naming_it(admin: Any) -> None:
    columns = [c for c in COLUMNS if c != "bedrooms"]

    errors = rejected_errors(actor=admin, file_name="stock.csv", content=csv_file(row(), row(),
                                                                                  columns=columns))

    assert errors == [RowError(1, "bedrooms", "Colonne obligatoire absente de l'en-tête.")]
    assert errors[0].describe() == "ligne 1, colonne « bedrooms » : Colonne obligatoire absente de l'en-tête."


def test_optional_columns_may_be_left_out(admin: Any) -> None:
    columns = COLUMNS[:10]

    summary = housing_import(actor=admin, file_name="stock.csv", content=csv_file(row(), columns=columns))

    assert (summary.unit_groups_created, summary.snapshots_created) == (1, 0)


def test_messages_are_in_english_with_lang_en(admin: Any, english_catalogue: None) -> None:
    content = csv_file(row(units="ten"), row(site="B", tenure="hlm-privé"))

    errors = rejected_errors(actor=admin, file_name="stock.csv", content=content, lang="en")

    assert [e.message for e in errors] == [
        '"ten" is not a whole number.',
        'Unknown value "hlm-privé": allowed values are hlm, coop, obnl.',
    ]


# --- Who may import -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, Role.WORKER, Role.RESEARCHER])
def test_users_without_an_import_role_are_refused(role: str | None) -> None:
    scope = {"organization": organization(OMH_LEVIS)} if role == Role.WORKER else {}
    actor = user_with(role, **scope)
    before = table_counts()

    with pytest.raises(PermissionRefused):
        import_example(actor)

    assert table_counts() == before


def test_no_actor_is_refused_unless_the_import_runs_as_the_system() -> None:
    with pytest.raises(PermissionRefused):
        import_example(None)

    assert nothing_imported()


def test_organization_staff_may_import_only_their_organization_rows() -> None:
    own = organization(OMH_LEVIS)
    organization("Coopérative d'habitation Les Pins (test)", OrganizationKind.HOUSING_COOP)
    staff = user_with(Role.ORGANIZATION_STAFF, organization=own)
    theirs_and_others = csv_file(
        row(),
        row(organization="Coopérative d'habitation Les Pins (test)", tenure="coop"),
        row(organization="Nouvel OBNL (test)", tenure="obnl", site="Autre"),
    )

    errors = rejected_errors(actor=staff, file_name="stock.csv", content=theirs_and_others)
    summary = housing_import(actor=staff, file_name="stock.csv", content=csv_file(row()))

    message = "Vous ne pouvez pas importer de logements pour cette organisation."
    assert errors == [RowError(3, "organization", message), RowError(4, "organization", message)]
    assert (summary.buildings_created, Building.objects.get().organization) == (1, own)


def test_regional_coordinator_may_import_only_within_their_territory() -> None:
    coordinator = user_with(Role.REGIONAL_COORDINATOR, territory_code="12")
    montreal = csv_file(row(), row(municipality_code="66023", site="Montréal"))

    errors = rejected_errors(actor=coordinator, file_name="stock.csv", content=montreal)
    summary = import_example(coordinator)

    assert errors == [RowError(3, "municipality_code", "Cette municipalité est hors de votre territoire.")]
    assert (len(summary.organizations_created), summary.buildings_created) == (4, 6)


def test_import_run_as_the_system_is_audited_as_system() -> None:
    import_example(None, as_system=True)

    events = AuditEvent.objects.exclude(action__startswith="territory.")
    assert set(events.values_list("actor_label", flat=True)) == {"system"}
    assert set(AvailabilitySnapshot.objects.values_list("reported_by", "reported_by_label")) == {
        (None, "import housing_example.csv"),
    }


def test_a_system_import_cannot_also_name_an_actor(admin: Any) -> None:
    with pytest.raises(ValueError, match="no actor"):
        import_example(admin, as_system=True)


# --- The command ----------------------------------------------------------------------------------


def test_command_imports_the_file_and_prints_a_summary() -> None:
    out = io.StringIO()

    call_command("import_housing", str(EXAMPLE_CSV), stdout=out)

    assert out.getvalue().splitlines() == [
        "Lignes lues : 10, dont 0 inchangées",
        "Organisations créées : 4 (Office municipal d'habitation de Lévis (exemple), "
        "Coopérative d'habitation Les Berges (exemple), Habitations Le Tournesol (exemple), "
        "Office municipal d'habitation de Beauceville (exemple))",
        "Immeubles : 6 créés, 0 mis à jour",
        "Groupes de logements : 10 créés, 0 mis à jour",
        "Disponibilités : 5 créées, 0 mises à jour",
    ]
    assert Building.objects.count() == 6


def test_command_prints_every_error_and_exits_non_zero(tmp_path: Path) -> None:
    bad = tmp_path / "stock.csv"
    bad.write_bytes(csv_file(row(), row(site="B", units="dix"), row(site="C", tenure="loyer")))
    err = io.StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("import_housing", str(bad), stdout=io.StringIO(), stderr=err)

    assert failure.value.returncode == 1
    assert str(failure.value) == "Importation refusée : 2 erreurs, rien n'a été importé."
    assert err.getvalue().splitlines() == [
        "ligne 3, colonne « units » : « dix » n'est pas un nombre entier.",
        "ligne 4, colonne « tenure » : Valeur inconnue « loyer » : valeurs permises : hlm, coop, obnl.",
    ]
    assert nothing_imported()


def test_command_speaks_english_with_lang_en(tmp_path: Path, english_catalogue: None) -> None:
    bad = tmp_path / "stock.csv"
    bad.write_bytes(csv_file(row(units="ten")))
    err = io.StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("import_housing", str(bad), "--lang", "en", stderr=err)

    assert str(failure.value) == "Import refused: 1 error, nothing was imported."
    assert err.getvalue().splitlines() == ['row 2, column "units": "ten" is not a whole number.']


def test_command_dry_run_checks_the_file_and_writes_nothing() -> None:
    out = io.StringIO()

    call_command("import_housing", str(EXAMPLE_XLSX), "--dry-run", stdout=out)

    assert "Immeubles : 6 créés, 0 mis à jour" in out.getvalue()
    assert "Simulation : rien n'a été enregistré." in out.getvalue()
    assert nothing_imported()
