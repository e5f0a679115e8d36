"""The tenancy framework: how shops are kept apart (docs/tenancy.md)."""
