import importlib

import avatar


def test_all_names_resolve():
    for name in avatar.__all__:
        assert getattr(avatar, name) is not None, name


def test_exports_are_curated():
    assert set(avatar.__all__) >= {"Avatar", "Reply", "Post", "verify", "PublicKey", "AvatarError"}
    assert "Stamper" not in avatar.__all__       # internals stay internal


def test_every_error_is_an_avatar_error():
    errors = importlib.import_module("avatar.errors")
    for name in dir(errors):
        obj = getattr(errors, name)
        if isinstance(obj, type) and issubclass(obj, Exception) and obj.__module__ == errors.__name__:
            assert issubclass(obj, errors.AvatarError)
            assert isinstance(obj.exit_code, int) and obj.exit_code > 0
