"""The to-do list: every provider is measured on a fresh user (their roles not read yet), so the count includes
the one query of their roles that every page makes anyway."""

from __future__ import annotations

import pytest

from medtalent.accounts.models import User


@pytest.fixture
def fresh():
    """The same user as a new object: nothing cached on it (roles), as in a new request."""

    def _fresh(user):
        return User.objects.get(pk=user.pk)

    return _fresh
