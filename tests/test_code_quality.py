"""The checks CI would otherwise run as separate steps, as tests of the tree."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.utils import PROJECT_DIR

RUFF = [sys.executable, "-m", "ruff"]


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize(
    "command", [["check", "."], ["format", "--check", "."]], ids=["lint", "format"]
)
def test_ruff_is_clean(command):
    result = subprocess.run(
        RUFF + command, cwd=PROJECT_DIR, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_imports_keep_to_the_layers():
    # The contract is in pyproject.toml; --no-cache writes nothing into the tree.
    lint_imports = Path(sys.executable).parent / "lint-imports"

    result = subprocess.run(
        [lint_imports, "--no-cache"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
