"""One ``--date`` flag on every command that takes a day, checked the same way everywhere."""
import pytest
import typer.main
from typer.testing import CliRunner

from parkwatch.cli import app

DAY_COMMANDS = {("crawl",), ("run",), ("demo",), ("portal", "serve")}


def commands(group, prefix: tuple[str, ...] = ()):
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):  # a command group (Typer's own click classes)
            yield from commands(cmd, (*prefix, name))
        else:
            yield (*prefix, name), cmd


def test_every_day_option_is_date():
    cli = typer.main.get_command(app)
    with_date = set()
    for path, cmd in commands(cli):
        flags = {flag for p in cmd.params for flag in getattr(p, "opts", [])}
        assert "--today" not in flags, path
        if "--date" in flags:
            with_date.add(path)
    assert with_date == DAY_COMMANDS


@pytest.mark.parametrize("path", sorted(DAY_COMMANDS))
def test_a_bad_date_is_refused_before_anything_runs(path):
    result = CliRunner().invoke(app, [*path, "--date", "2024-02-30"])
    assert result.exit_code == 1
    assert "--date must be YYYY-MM-DD, got '2024-02-30'" in result.output
