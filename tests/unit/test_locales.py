"""i18n_tool.locales: the one locale validation every layer uses."""

import pytest

from i18n_tool.locales import LocaleError, UnknownLocale, is_locale_code, is_valid_locale, parse_locale


@pytest.mark.parametrize("value, code", [
    ("de", "de"), ("pt-br", "pt_BR"), ("PT_BR", "pt_BR"), ("zh-Hant-TW", "zh_Hant_TW"), ("en_XA", "en_XA"),
    ("ar-XB", "ar_XB"),
])
def test_parse_locale_gives_the_normal_code(value, code):
    assert parse_locale(value) == code


def test_unknown_and_malformed_are_told_apart_with_babels_reason():
    with pytest.raises(UnknownLocale, match="unknown locale 'xx_QQ'"):
        parse_locale("xx-QQ")
    with pytest.raises(LocaleError, match="is not a valid locale identifier") as raised:
        parse_locale("de_")
    assert not isinstance(raised.value, UnknownLocale)
    assert issubclass(LocaleError, ValueError)
    with pytest.raises(LocaleError):
        parse_locale(None)


def test_pseudo_locales_only_when_asked():
    assert is_valid_locale("en_XA")
    with pytest.raises(UnknownLocale):
        parse_locale("en_XA", pseudo=False)


@pytest.mark.parametrize("code, valid", [("pt_BR", True), ("en_XA", True), ("pt-BR", False), ("", False),
                                         ("../de", False), ("xx_QQ", False), (None, False)])
def test_is_locale_code_is_strict_about_the_spelling(code, valid):
    assert is_locale_code(code) is valid
