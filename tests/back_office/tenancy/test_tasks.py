from back_office.tenancy.context import tenant_context
from back_office.tenancy.tasks import tenant_task
from back_office.tenants.models import Branch
from tests.factories.tenants import BranchFactory


@tenant_task()
def count_branches(tenant):
    return [b.code for b in Branch.objects.all()]


def test_a_tenant_task_runs_as_the_shop_whose_id_it_is_given(aurum, luna):
    with tenant_context(aurum):
        BranchFactory(code="A1")
    with tenant_context(luna):
        BranchFactory(code="L1")

    assert count_branches.delay(aurum.pk).get() == ["A1"]
    assert count_branches.delay(luna.pk).get() == ["L1"]
