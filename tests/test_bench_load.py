"""The load bench's wrk path (bench/load.py): the script wrk runs, the figures read back from it, and, where
wrk is installed, a short real run against the test server."""

from __future__ import annotations

import shutil
import urllib.request

import pytest

from bench.load import Page, generator_for, load_wrk, parse_wrk, wrk_script


def test_the_script_takes_the_addresses_in_turn_with_the_headers_quoted():
    script = wrk_script(Page("a page", ["/repertoire/?q=aide+alimentaire&territory=23027", "/b/"],
                             headers={"Cookie": 'session="x\\y"'}))
    assert 'local paths = {"/repertoire/?q=aide+alimentaire&territory=23027", "/b/"}' in script
    assert 'wrk.headers["Cookie"] = "session=\\"x\\\\y\\""' in script
    assert 'wrk.headers["Accept-Encoding"] = "identity"' in script


def test_the_figures_are_read_from_the_script_line_and_a_missing_line_stops_the_bench():
    requests, seconds, errors, p50, p99 = parse_wrk(
        "Running 20s test\nWRK-RESULT 12000 20000500 3 1 7 0 2 1500.0 24250.0\n")
    # read errors are gunicorn closing the connection after each answer, not failures
    assert (requests, seconds, errors, p50, p99) == (12000, 20.0005, 6, 1.5, 24.25)
    with pytest.raises(SystemExit, match="wrk gave no figures"):
        parse_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_the_generator_is_wrk_only_where_it_is_installed(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert generator_for("auto") == "python"
    assert generator_for("python") == "python"
    with pytest.raises(SystemExit, match="wrk is not installed"):
        generator_for("wrk")
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/wrk")
    assert generator_for("auto") == "wrk"


def test_wrk_loads_the_constant_endpoint_and_counts_what_failed(live_server):
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (apt-get install wrk): the load bench uses its Python generator")
    port = int(live_server.url.rsplit(":", 1)[1])
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/ping", timeout=30) as answer:  # builds the handler
        assert answer.status == 200
    result = load_wrk(port, Page("constant", ["/api/v1/ping"]), 2, 1.0)
    assert result.requests > 10 and result.errors == 0 and 0 < result.pct(0.5) <= result.pct(0.99)
    missing = load_wrk(port, Page("missing", ["/api/v1/no-such-route"]), 1, 1.0)
    assert missing.requests > 0 and missing.errors == missing.requests
