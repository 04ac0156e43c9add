"""The declared settings list is the one source of the README table and `.env.example`."""

from __future__ import annotations

from motcua.config import REPO_ROOT, SETTINGS, env_example


def test_env_example_file_is_generated_from_the_declared_settings() -> None:
    assert (REPO_ROOT / ".env.example").read_text() == env_example()


def test_readme_configuration_table_names_every_setting() -> None:
    readme = (REPO_ROOT / "README.md").read_text()

    missing = [setting.name for setting in SETTINGS if f"| `{setting.name}` |" not in readme]
    assert missing == []
