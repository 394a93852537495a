"""Province profiles are read strictly: a typo names the file and the key."""

from decimal import Decimal
from pathlib import Path

import pytest

from motcua.profiles import ProfileError, load_profile, profile_names
from motcua.profiles.loader import PROFILE_DIR, parse_profile

PROFILES = ["bac-ninh", "ha-tinh", "hau-giang", "thai-nguyen", "vinh-phuc"]


def test_five_profiles_ship():
    assert profile_names() == PROFILES


@pytest.mark.parametrize("name", PROFILES)
def test_each_profile_loads(name):
    profile = load_profile(name)
    assert profile.key == name
    assert profile.calendar.timezone == "Asia/Ho_Chi_Minh"
    assert profile.calendar.hours_per_day == Decimal(8)


def _copy(tmp_path: Path, name: str, edit) -> Path:
    text = (PROFILE_DIR / "bac-ninh.toml").read_text(encoding="utf-8")
    target = tmp_path / f"{name}.toml"
    target.write_text(edit(text).replace('key = "bac-ninh"', f'key = "{name}"'), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("timezone =", "timezon ="), "unknown key 'calendar.timezon'"),
        (
            lambda t: t.replace("[calendar]", "[calendar]\nextra = 1"),
            "unknown key 'calendar.extra'",
        ),
        (lambda t: t.replace('citation = "BN"\n', ""), "missing key 'citation'"),
        (lambda t: t.replace('"11:30"', '"25:30"'), "invalid time"),
        (lambda t: t.replace('["13:00", "17:00"]', '["17:00", "13:00"]'), "ends before"),
        (lambda t: t.replace('country = "VN"', "country = 84"), "'calendar.country' must be str"),
        (lambda t: t + "\n[[broken", "typo.toml"),
    ],
)
def test_errors_name_the_file_and_key(tmp_path, edit, message):
    with pytest.raises(ProfileError, match=message) as error:
        parse_profile(_copy(tmp_path, "typo", edit))
    assert "typo.toml" in str(error.value)


def test_unknown_profile():
    with pytest.raises(ProfileError, match="unknown profile 'atlantis'"):
        load_profile("atlantis")


def test_system_check_refuses_an_unknown_profile(settings):
    from motcua.profiles.checks import check_active_profile

    assert check_active_profile() == []
    settings.MOTCUA_PROFILE = "atlantis"
    errors = check_active_profile()
    assert [e.id for e in errors] == ["motcua.E001"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda t: t.replace('form_set = "tt01-2018"', 'form_set = "tt02-2020"'),
            "'documents.form_set' must be one of tt01-2018, tt03-2025",
        ),
        (lambda t: t.split("[documents]")[0], "missing key 'documents'"),
        (
            lambda t: t.replace('form_set = "tt01-2018"\n', ""),
            "missing key 'documents.form_set'",
        ),
    ],
)
def test_the_form_set_is_read_strictly(tmp_path, edit, message):
    with pytest.raises(ProfileError, match=message):
        parse_profile(_copy(tmp_path, "typo", edit))


def test_both_form_sets_are_in_use():
    """BN and VP 22.7 cite Circular 01/2018/TT-VPCP; HG, HT and TN are silent, so the forms
    of Circular 03/2025/TT-VPCP (NĐ 118/2025/NĐ-CP) apply."""
    chosen = {name: load_profile(name).documents.form_set for name in PROFILES}
    assert chosen == {
        "bac-ninh": "tt01-2018",
        "ha-tinh": "tt03-2025",
        "hau-giang": "tt03-2025",
        "thai-nguyen": "tt03-2025",
        "vinh-phuc": "tt01-2018",
    }
