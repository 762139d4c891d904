from tests.people.world import world  # noqa: F401
