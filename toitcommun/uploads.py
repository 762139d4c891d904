"""Pages that take a file: their size limit is enforced before a byte of the body is read.

Django's own limit (DATA_UPLOAD_MAX_MEMORY_SIZE) leaves files out, and the CSRF
check reads the whole multipart body before the view can look at its size: a
100 MB upload was stored to disk, then refused. A view marked with
``@upload_limit`` is answered from its Content-Length alone, by this
middleware, which must come before CsrfViewMiddleware.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

# Room for the multipart envelope (boundaries, headers, the CSRF token) around the file.
MULTIPART_ALLOWANCE = 64 * 1024


def upload_limit(max_bytes: int, *, too_large: Callable[[HttpRequest], HttpResponse]) -> Callable[[Any], Any]:
    """Mark a view as taking files of at most ``max_bytes``; ``too_large`` answers a bigger body (413)."""
    def mark(view: Any) -> Any:
        view.upload_max_bytes = max_bytes
        view.upload_too_large = too_large
        return view
    return mark


class UploadLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any,
                     view_kwargs: Any) -> HttpResponse | None:
        limit = getattr(view_func, "upload_max_bytes", None)
        if limit is None or request.method not in ("POST", "PUT", "PATCH"):
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit + MULTIPART_ALLOWANCE:
            response: HttpResponse = view_func.upload_too_large(request)
            # The body was not read: the connection cannot carry another request after it.
            response["Connection"] = "close"
            return response
        return None
