"""Every page and API route reaches tenants' records only through the scoped selectors and services.

The test walks the whole URL conf (pages) and every operation of the API, takes the module of the
function that answers, and fails if that module queries a sensitive model itself
(``Person.objects``, ``Consent.objects``…) instead of calling people/support selectors or services.
"""

from __future__ import annotations

import inspect
import re
import sys

from django.urls import URLPattern, URLResolver, get_resolver

from toitcommun.api import api

SENSITIVE = ("Person", "Household", "PersonFile", "DuplicateSuspect", "Consent", "AccessLogEntry",
             "Intervention", "Referral", "ReferralEvent", "CaseReview", "CaseReviewItem", "CaseReviewNote",
             "ConsentScan", "DestructionRecord")
DIRECT = re.compile(r"\b(" + "|".join(SENSITIVE) + r")\s*\.\s*(objects|_default_manager|_base_manager)\b")
# The scoped ways in: they are what the routes must call.
ALLOWED = {"toitcommun.people.selectors", "toitcommun.support.selectors", "toitcommun.people.services",
           "toitcommun.support.services"}


def _page_modules() -> set[str]:
    modules: set[str] = set()

    def walk(patterns: list) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns)
            elif isinstance(p, URLPattern):
                callback = inspect.unwrap(getattr(p.callback, "view_class", p.callback))
                modules.add(callback.__module__)

    walk(get_resolver().url_patterns)
    return modules


def _api_modules() -> set[str]:
    modules: set[str] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                modules.add(inspect.unwrap(operation.view_func).__module__)
    return modules


def test_the_walk_sees_the_support_routes():
    modules = _page_modules() | _api_modules()
    assert {"toitcommun.people.views", "toitcommun.support.views", "toitcommun.people.api",
            "toitcommun.support.api"} <= modules


def test_no_route_queries_a_sensitive_model_itself():
    leaks = []
    for name in sorted((_page_modules() | _api_modules()) - ALLOWED):
        module = sys.modules.get(name)
        if module is None or not name.startswith("toitcommun"):
            continue
        for number, line in enumerate(inspect.getsource(module).splitlines(), 1):
            if DIRECT.search(line):
                leaks.append(f"{name}:{number}: {line.strip()}")
    assert leaks == []
