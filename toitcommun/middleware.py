"""Middleware of the site as a whole (the access app's own lives in toitcommun/access/middleware.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from .views import error_page, is_api


class ErrorPagesMiddleware:
    """Gives the empty 405 that ``require_http_methods`` and class-based views answer a page.

    The answer keeps its status and its ``Allow`` header; API answers are left as they are.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content and not is_api(request):
            page = error_page(request, 405, context={"method": request.method,
                                                     "allowed": response.get("Allow", "")})
            page["Allow"] = response.get("Allow", "")
            return page
        return response
