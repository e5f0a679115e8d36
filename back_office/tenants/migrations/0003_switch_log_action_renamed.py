"""Switching shop moved into the tenancy framework: its audit log entries, once
`tenants.switch`, are `tenancy.switch` (an unknown action breaks Wagtail's reports)."""

from django.db import migrations


def renamed(old: str, new: str):
    def rename(apps, schema_editor):
        ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
        ModelLogEntry.objects.filter(action=old).update(action=new)

    return rename


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0002_tenant_not_editable"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(
            renamed("tenants.switch", "tenancy.switch"),
            renamed("tenancy.switch", "tenants.switch"),
        ),
    ]
