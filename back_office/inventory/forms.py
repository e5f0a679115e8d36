from back_office.tenants.forms import TenantAdminForm


class PieceForm(TenantAdminForm):
    """A piece's details. Where it is and its status change only through stock
    operations (transfer, sale, memo...), which write the ledger."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "branch" in self.fields:
            self.fields["branch"].disabled = True
            self.fields["branch"].help_text = "Move a piece with a transfer."
