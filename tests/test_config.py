"""Configuration: defaults, user files, --set overrides, and errors for unknown keys."""

from __future__ import annotations

import re
import tomllib

import pytest

from kiku.config import Config, default_config_text, load_config
from kiku.errors import ConfigError


def test_defaults():
    config = load_config()
    assert isinstance(config, Config)
    assert config.summary.summarizer == "transformer"
    assert config.summary.bullets == 3
    assert config.summary.max_chars == 80


def test_every_default_key_is_commented():
    lines = default_config_text().splitlines()
    for n, line in enumerate(lines):
        if re.match(r"^\w+\s*=", line):
            assert lines[n - 1].startswith("#"), f"key without a comment: {line}"


def test_every_default_key_is_a_typed_field():
    values = tomllib.loads(default_config_text())
    config = load_config().to_dict()
    assert values.keys() == config.keys()
    for section, keys in values.items():
        assert keys.keys() == config[section].keys()


def test_set_overrides_one_key():
    config = load_config(overrides=["summary.max_chars=60"])
    assert config.summary.max_chars == 60
    assert config.summary.bullets == 3
    assert config.hash != load_config().hash


def test_set_accepts_strings_without_quotes():
    assert load_config(overrides=["summary.summarizer=lead3"]).summary.summarizer == "lead3"


def test_int_is_accepted_for_a_float_key():
    assert load_config(overrides=["extractive.title_weight=2"]).extractive.title_weight == 2.0


def test_user_file_is_laid_over_defaults(tmp_path):
    user = tmp_path / "mine.toml"
    user.write_text("[summary]\nmax_chars = 70\n", encoding="utf-8")
    config = load_config([user], ["summary.bullets=2"])
    assert config.summary.max_chars == 70
    assert config.summary.bullets == 2
    assert config.summary.min_chars == load_config().summary.min_chars


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (["summary.max_char=60"], r"unknown key summary\.max_char; valid keys in \[summary\]: .*max_chars"),
        (["summry.max_chars=60"], r"unknown section \[summry\]; valid sections: summary"),
        (["max_chars=60"], r"write it as section\.key=value"),
        (["summary.max_chars"], r"write it as section\.key=value"),
        (["summary.max_chars=sixty"], r"summary\.max_chars must be int"),
        (["summary.bullets=0"], r"at least 1"),
        (["summary.max_chars=10"], r"at least 20"),
        (['digest.writing="rewrite"'], r'digest\.writing must be "free" or "cut"'),
    ],
)
def test_bad_overrides_are_clear_errors(overrides, message):
    with pytest.raises(ConfigError, match=message):
        load_config(overrides=overrides)


def test_unknown_key_in_a_file_names_the_file(tmp_path):
    user = tmp_path / "bad.toml"
    user.write_text("[summary]\nlength = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.toml: unknown key summary\.length"):
        load_config([user])


def test_missing_and_broken_files(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config([tmp_path / "nope.toml"])
    broken = tmp_path / "broken.toml"
    broken.write_text("[summary\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config([broken])
