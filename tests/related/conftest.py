from __future__ import annotations

import pytest

from tests.factories import claim_with_text

FIVE = "Five convoys came under attack on the northern route, officials said."
FIVE_AGAIN = "Five supply convoys were attacked on the northern route, officials said."
FOUR = "Four convoys came under attack on the northern route, officials said."


@pytest.fixture
def wire_pair(db):
    """The same claim in two outlets' rewrites of one wire story: (new, reviewed before)."""
    before = claim_with_text(FIVE_AGAIN, title="Supply convoys attacked", outlet="Wire B")
    new = claim_with_text(FIVE, title="Convoys attacked in the north", outlet="Wire A")
    return new, before
