import pytest


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """The governance world has a dozen accounts: Argon2 would spend a second on each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
