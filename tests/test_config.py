from pathlib import Path

import pytest

from avatar.config import Settings, load_persona, parse_config
from avatar.errors import ConfigError
from conftest import write_persona

BASE = {"name": "Mara", "handle": "@m"}


def test_loads_sample_personas():
    root = Path(__file__).resolve().parent.parent / "persona_data"
    for folder in ("mara-okafor", "theo-lindqvist"):
        p = load_persona(root / folder)
        assert p.id == folder
        assert p.config.channels["live"].max_chars < p.config.channels["dm"].max_chars


def test_id_defaults_to_folder_name(tmp_path):
    folder = tmp_path / "Some Creator"
    folder.mkdir()
    (folder / "persona.toml").write_text('name = "A"\nhandle = "@a"\n')
    assert load_persona(folder).id == "some-creator"


@pytest.mark.parametrize("data, needle", [
    ({**BASE, "colour": "red"}, "unknown key 'colour'"),
    ({**BASE, "backend": {"name": "gpt"}}, "'backend.name'"),
    ({"handle": "@m"}, "'name' is required"),
    ({**BASE, "channels": {"dm": {"max_chars": 5}}}, "channels.dm.max_chars"),
    ({**BASE, "disclosure": {"enabled": False}}, "cannot be turned off"),
    ({**BASE, "disclosure": {"hide_label": True}}, "cannot be turned off"),
    ({**BASE, "disclosure": {"label": ""}}, "cannot be removed"),
    ({**BASE, "disclosure": {"preset": "Mars"}}, "disclosure.preset"),
    ({**BASE, "id": "Bad Id!"}, "'id'"),
])
def test_bad_config_names_the_field(data, needle):
    with pytest.raises(ConfigError) as exc:
        parse_config(data, source="x/persona.toml")
    assert needle in str(exc.value)
    assert str(exc.value).startswith("x/persona.toml")


def test_toml_syntax_error_names_file(tmp_path):
    (tmp_path / "persona.toml").write_text('name = "A\n')
    with pytest.raises(ConfigError, match=r"persona\.toml: invalid TOML"):
        load_persona(tmp_path)


def test_missing_folder_and_file(tmp_path):
    with pytest.raises(ConfigError, match="persona folder not found"):
        load_persona(tmp_path / "nope")
    with pytest.raises(ConfigError, match="persona.toml: missing"):
        load_persona(tmp_path)


def test_channel_overrides_merge_with_defaults():
    cfg = parse_config({**BASE, "channels": {"live": {"max_chars": 100}}})
    assert cfg.channels["live"].max_chars == 100
    assert cfg.channels["live"].k == 2            # default kept
    assert cfg.channels["dm"].max_chars == 700


def test_settings_precedence_flag_over_env():
    env = {"AVATAR_BACKEND": "openai", "AVATAR_MODEL": "m-env", "OPENAI_BASE_URL": "http://127.0.0.1:1/v1"}
    s = Settings.from_env(env)
    assert (s.backend, s.model) == ("openai", "m-env")
    merged = s.merged(model="m-flag", backend=None)
    assert merged.model == "m-flag" and merged.backend == "openai"
    assert Settings.from_env({}).backend is None


def test_label_wording_is_validated(tmp_path):
    write_persona(tmp_path / "a", extra='label = "Mara says hi"')
    with pytest.raises(ConfigError, match="does not say the reply is AI-generated"):
        from avatar.avatar import Avatar
        from avatar.testing import HashEmbedder, ScriptedBackend
        Avatar.open(tmp_path / "a", backend=ScriptedBackend(), embedder=HashEmbedder())
