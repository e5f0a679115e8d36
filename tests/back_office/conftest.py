import pytest

from tests.factories.tenants import make_tenant


@pytest.fixture
def aurum(db):
    return make_tenant("aurum")


@pytest.fixture
def luna(db):
    return make_tenant("luna")
