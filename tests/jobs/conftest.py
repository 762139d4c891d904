import pytest


@pytest.fixture(autouse=True)
def jobs_run_at_once(settings):
    """Unit tests run each job where it is queued (django-tasks' immediate backend): no worker needed."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.IMPORT_IN_BACKGROUND_FROM_BYTES = 2000
