"""Configuration files: discovery, selection, options, per-path overrides, clear errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from dockmod import config
from dockmod.cli import main

LEGACY = 'FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n'


def test_found_from_the_working_folder_upwards(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert config.find(deep) is None
    (tmp_path / "pyproject.toml").write_text("[tool.dockmod]\nunsafe = true\n")
    assert config.find(deep) == tmp_path / "pyproject.toml"
    (tmp_path / "a" / "dockmod.toml").write_text("")
    assert config.find(deep) == tmp_path / "a" / "dockmod.toml"


def test_selection_options_and_overrides(tmp_path: Path) -> None:
    path = tmp_path / "dockmod.toml"
    path.write_text(
        'ignore = ["split-stages"]\n'
        "[add-user]\nuid = 2000\n"
        '[[overrides]]\npaths = ["legacy/**"]\nunsafe = true\nignore = ["cache-mounts"]\n'
        "[overrides.add-user]\nuid = 3000\n"
    )
    settings = config.load(path)
    normal, unsafe = settings.for_file(tmp_path / "svc" / "Dockerfile")
    assert "pin-images" not in normal.select  # needs the network: only when selected
    assert "split-stages" in normal.ignore
    assert normal.options["add-user"] == {"uid": 2000}
    assert unsafe is False
    legacy, unsafe = settings.for_file(tmp_path / "legacy" / "old" / "Dockerfile")
    assert unsafe is True
    assert {"split-stages", "cache-mounts"} <= set(legacy.ignore)
    assert legacy.options["add-user"] == {"uid": 3000}
    chosen, _ = settings.for_file(tmp_path / "svc" / "Dockerfile", select=["pin-images"])
    assert chosen.select == ("pin-images",)


@pytest.mark.parametrize(
    ("text", "select", "ignore", "expected"),
    [
        ("", (), (), False),  # the default selection needs no network
        ("", ("pin-images",), (), True),
        ("", ("pin-images",), ("pin-images",), False),
        ('select = ["pin-images"]\n', (), (), True),
        ('select = ["pin-images"]\n', ("add-user",), (), False),
        ('[[overrides]]\npaths = ["a/**"]\nselect = ["pin-images", "add-user"]\n', (), (), True),
        ('[[overrides]]\npaths = ["a/**"]\nunsafe = true\n', (), (), False),
    ],
)
def test_may_select_agrees_with_every_file(
    tmp_path: Path, text: str, select: tuple[str, ...], ignore: tuple[str, ...], expected: bool
) -> None:
    path = tmp_path / "dockmod.toml"
    path.write_text(text)
    settings = config.load(path)
    assert settings.may_select("pin-images", select=select, ignore=ignore) is expected
    per_file = [
        "pin-images" in set(c.select) - set(c.ignore)
        for c, _ in (settings.for_file(tmp_path / p / "Dockerfile", select=select, ignore=ignore) for p in "ab")
    ]
    assert any(per_file) is expected


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("dockmod.toml", "selct = []\n", "unknown key 'selct'"),
        ("dockmod.toml", 'select = ["nope"]\n', "select: unknown transform 'nope'"),
        ("dockmod.toml", "unsafe = 1\n", "unsafe must be true or false"),
        ("dockmod.toml", "[add-user]\nuidd = 1\n", "add-user: unknown option 'uidd'"),
        ("dockmod.toml", '[add-user]\nuid = "ten"\n', "add-user.uid: 'ten' is not a whole number"),
        ("dockmod.toml", '[add-user]\nnumeric = "yes"\n', "add-user.numeric: 'yes' is not a boolean"),
        ("dockmod.toml", "[[overrides]]\nunsafe = true\n", "overrides[0].paths must be a non-empty list"),
        ("dockmod.toml", "select = [\n", "not valid TOML"),
        ("pyproject.toml", "[tool.dockmod]\nselct = []\n", "tool.dockmod: unknown key 'selct'"),
        ("pyproject.toml", '[tool.dockmod.add-user]\nuid = "ten"\n', "tool.dockmod.add-user.uid: 'ten' is not"),
        (
            "pyproject.toml",
            '[[tool.dockmod.overrides]]\npaths = ["a"]\nselect = ["nope"]\n',
            "tool.dockmod.overrides[0].select: unknown transform 'nope'",
        ),
    ],
)
def test_errors_name_the_file_and_the_key(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(config.ConfigError) as info:
        config.load(path)
    # The key as it is written in that file, right after the file's name.
    assert str(info.value).startswith(f"{path}: {message}")


def test_cli_reads_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Dockerfile").write_text(LEGACY)
    (tmp_path / "svc" / "package.json").write_text("{}\n")
    (tmp_path / "svc" / "package-lock.json").write_text("{}\n")
    (tmp_path / "pyproject.toml").write_text('[tool.dockmod]\nselect = ["cache-mounts"]\n')
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["refactor", "svc"])
        assert result.exit_code == 0
        assert "--mount=type=cache" in result.stdout
        assert "package.json package-lock.json" not in result.stdout
        (tmp_path / "pyproject.toml").write_text("[tool.dockmod]\nbogus = 1\n")
        result = CliRunner().invoke(main, ["refactor", "svc"])
        assert result.exit_code == 2
        assert "pyproject.toml: tool.dockmod: unknown key 'bogus'" in result.stderr
    finally:
        os.chdir(old)
