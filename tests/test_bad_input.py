"""Bad input never reaches the database as a server error: pages answer 400 or 413, the API the same in JSON.

Found from the outside (issue 6, finding 8): an unreachable page number, offsets and ids
larger than the database's integers, NUL characters (refused by PostgreSQL in text),
and a 20 MB JSON body. These tests run on SQLite and on PostgreSQL (``make test``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.factories import BuildingFactory, OrganizationFactory

HUGE = "99999999999999999999"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
NUL_REFUSED = ("Requête refusée : le caractère nul (code 0) n'est permis ni dans l'adresse, "
               "ni dans les paramètres, ni dans les champs envoyés.")


@pytest.fixture
def admin_headers(client, admin_user, password) -> dict[str, str]:
    answer = client.post("/api/v1/auth/token", {"username": admin_user.username, "password": password},
                         content_type=JSON)
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def page_text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))).strip()


def route_paths(patterns=None, prefix: str = "") -> Iterator[str]:
    """One address per URL pattern of the site, API included, with ``%00`` in each of its parameters."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            part = re.sub(r"<[^>]+>", "a%00b", str(pattern))
        elif isinstance(pattern, RegexPattern):
            part = re.sub(r"\(\?P<\w+>[^)]*\)", "a%00b", str(pattern)).lstrip("^").rstrip("$")
        else:
            part = str(pattern)
        if isinstance(entry, URLResolver):
            yield from route_paths(entry.url_patterns, prefix + part)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + part


def every_route() -> list[str]:
    return sorted(set(route_paths()))


def test_the_route_list_covers_pages_and_api():
    routes = every_route()

    assert len(routes) > 90
    assert "/territoires/a%00b/" in routes
    assert "/repertoire/" in routes
    assert "/api/v1/buildings/a%00b" in routes


# ---- NUL characters -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("route", every_route())
def test_nul_in_the_path_or_query_string_is_refused_on_every_route(client, route):
    with_nul_in_path = route if "%00" in route else route + "%00"
    query = {"q": "\x00", "territory": "a\x00", "page": "1"}

    answers = [client.get(with_nul_in_path), client.get(route.replace("a%00b", "1"), query)]

    assert [a.status_code for a in answers] == [400, 400], route
    if route.startswith("/api/"):
        assert [a.json() for a in answers] == [{"detail": NUL_REFUSED}] * 2
    else:
        assert all("Erreur 400 Requête incorrecte" in page_text(a) for a in answers), route


@pytest.mark.django_db
@pytest.mark.parametrize("route", every_route())
def test_nul_in_a_posted_field_is_refused_on_every_route(client, route):
    url, fields = route.replace("a%00b", "1"), {"name": "Comité\x00", "territory": "12"}
    if route.startswith("/api/"):
        answers = [client.post(url, fields, content_type=JSON)]
    else:
        answers = [client.post(url, fields), client.post(url, urlencode(fields), content_type=FORM)]

    assert [a.status_code for a in answers] == [400] * len(answers), route


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/repertoire/?territory=%00", "/repertoire/?q=%00", "/territoires/%00/",
                                 "/territoires/?q=%00", "/organisations/?territory=%00", "/organisations/?q=%00",
                                 "/logement/disponibles/%00/", "/logement/parc/%00/",
                                 "/api/v1/territories/%00", "/api/v1/territories?q=%00",
                                 "/api/v1/territories?parent=%00", "/api/v1/organizations?territory=%00",
                                 "/api/v1/buildings?territory=%00", "/api/v1/housing/summary?territory=%00",
                                 "/api/v1/directory/services?territory=%00", "/api/v1/directory/services?q=%00"])
def test_the_reported_nul_addresses_answer_400(client, url):
    assert client.get(url).status_code == 400


@pytest.mark.django_db
def test_nul_escaped_in_a_json_body_is_refused(client, admin_headers):
    body = json.dumps({"name": "Comité\x00", "kind": "community_organization"})

    answer = client.post("/api/v1/organizations", body, content_type=JSON, headers=admin_headers)

    assert "\\u0000" in body
    assert answer.status_code == 400
    assert answer.json() == {"detail": NUL_REFUSED}


@pytest.mark.django_db
def test_an_escaped_backslash_before_u0000_is_plain_text(client, admin_headers):
    body = json.dumps({"name": "Dossier \\u0000 du comité", "kind": "community_organization",
                       "municipality_code": "31084"})

    answer = client.post("/api/v1/organizations", body, content_type=JSON, headers=admin_headers)

    assert answer.status_code == 201
    assert answer.json()["name"] == "Dossier \\u0000 du comité"


# ---- numbers beyond what the database holds ------------------------------------------------


@pytest.mark.django_db
def test_unreachable_page_of_the_directory_is_a_400_page(client):
    answer = client.get("/repertoire/", {"page": "9223372036854775807"})

    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_page_past_the_end_of_the_directory_is_the_last_page(client):
    answer = client.get("/repertoire/", {"page": "99999"})

    assert answer.status_code == 200
    assert answer.context["page_obj"].number == 1


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/directory/services", "/api/v1/organizations", "/api/v1/buildings"])
def test_offset_beyond_any_list_is_422_naming_it(client, url):
    answer = client.get(url, {"offset": HUGE})

    assert answer.status_code == 422
    assert answer.json() == {"detail": [{"field": "offset", "message": "La valeur doit être au plus 1000000."}]}


@pytest.mark.django_db
def test_offset_at_the_bound_is_an_empty_page(client):
    answer = client.get("/api/v1/organizations", {"offset": "1000000"})

    assert answer.status_code == 200
    assert answer.json()["items"] == []


@pytest.mark.django_db
def test_owner_id_beyond_a_database_integer_is_422(client):
    answer = client.get("/api/v1/buildings", {"organization": HUGE})

    assert answer.status_code == 422
    assert answer.json() == {"detail": [{"field": "organization",
                                         "message": "La valeur doit être au plus 9223372036854775807."}]}


@pytest.mark.django_db
@pytest.mark.parametrize("url, field", [("/api/v1/buildings/", "building_id"),
                                        ("/api/v1/organizations/", "organization_id")])
def test_path_id_beyond_a_database_integer_is_422(client, url, field):
    answer = client.get(url + HUGE)

    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == field


@pytest.mark.django_db
def test_body_id_beyond_a_database_integer_is_422(client, admin_headers):
    building = BuildingFactory(organization=OrganizationFactory())

    answer = client.patch(f"/api/v1/buildings/{building.pk}", {"version": 1, "organization_id": int(HUGE)},
                          content_type=JSON, headers=admin_headers)

    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "organization_id"


# ---- bodies over the limit -----------------------------------------------------------------

TWENTY_MB = 20 * 1024 * 1024


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.django_db
def test_a_20_mb_json_body_is_413_json(client, admin_headers):
    body = json.dumps({"name": "x" * TWENTY_MB, "kind": "community_organization"})

    answer = client.post("/api/v1/organizations", body, content_type=JSON, headers=admin_headers)

    assert answer.status_code == 413
    assert answer.json() == {"detail": "Requête trop volumineuse : le corps dépasse la limite de 2,5 Mo."}


@pytest.mark.django_db
def test_an_api_body_over_the_limit_is_refused_unread(client):
    answer = client.generic("POST", "/api/v1/organizations", b"", CONTENT_TYPE=JSON,
                            CONTENT_LENGTH=str(TWENTY_MB), **{"wsgi.input": Unreadable()})

    assert answer.status_code == 413
    assert answer.json()["detail"].startswith("Requête trop volumineuse")


@pytest.mark.django_db
def test_a_20_mb_form_is_the_413_page(client, admin_user):
    client.force_login(admin_user)

    answer = client.post("/organisations/nouvelle/", urlencode({"name": "x" * TWENTY_MB}), content_type=FORM)

    assert answer.status_code == 413
    assert "Erreur 413 Envoi trop volumineux" in page_text(answer)


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", [FORM, "multipart/form-data; boundary=x"])
def test_a_page_body_over_the_limit_is_refused_unread(client, admin_user, content_type):
    client.force_login(admin_user)

    answer = client.generic("POST", "/organisations/nouvelle/", b"", CONTENT_TYPE=content_type,
                            CONTENT_LENGTH=str(100 * 1024 * 1024), **{"wsgi.input": Unreadable()})

    assert answer.status_code == 413
    assert "Erreur 413 Envoi trop volumineux" in page_text(answer)


@pytest.mark.django_db
def test_a_view_that_takes_files_answers_its_own_limit(client, admin_user):
    client.force_login(admin_user)

    answer = client.generic("POST", "/logement/importer/", b"", CONTENT_TYPE="multipart/form-data; boundary=x",
                            CONTENT_LENGTH=str(100 * 1024 * 1024), **{"wsgi.input": Unreadable()})

    assert answer.status_code == 413
    assert "Le fichier dépasse 32 Mo" in answer.content.decode()


@pytest.mark.django_db
def test_a_multipart_form_without_boundary_is_400(client, admin_user):
    client.force_login(admin_user)

    answer = client.generic("POST", "/organisations/nouvelle/", b"name=x", content_type="multipart/form-data")

    assert answer.status_code == 400
    assert "Erreur 400 Requête incorrecte" in page_text(answer)


@pytest.mark.django_db
def test_a_bad_content_length_is_400(client):
    answer = client.generic("POST", "/api/v1/organizations", b"{}", content_type=JSON, CONTENT_LENGTH="lots")

    assert answer.status_code == 400
    assert answer.json() == {"detail": "Requête mal formée : l'en-tête Content-Length n'est pas un nombre."}


@pytest.mark.django_db
def test_english_refusals_in_english(client):
    answer = client.get("/api/v1/territories", {"q": "\x00"}, headers={"Accept-Language": "en"})

    assert answer.status_code == 400
    assert answer["Content-Language"] == "en"
    assert answer.json()["detail"].startswith("Request refused")
