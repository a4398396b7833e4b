"""atomic_write gives files the mode of an ordinary write, and keeps a replaced file's mode."""

import os
import stat
import threading

import pytest

from i18n_tool.files import atomic_write, current_umask


@pytest.fixture
def umask():
    old = os.umask(0o022)
    os.umask(old)

    def set_mask(mask):
        os.umask(mask)
    yield set_mask
    os.umask(old)


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664), (0o027, 0o640)])
def test_new_file_gets_the_umask_mode(tmp_path, umask, mask, expected):
    umask(mask)
    atomic_write(tmp_path / "messages.mo", b"data")
    assert mode(tmp_path / "messages.mo") == expected
    assert (tmp_path / "messages.mo").read_bytes() == b"data"


@pytest.mark.parametrize("existing", [0o600, 0o640, 0o664, 0o444])
def test_rewrite_keeps_the_existing_mode(tmp_path, umask, existing):
    target = tmp_path / "messages.po"
    target.write_bytes(b"old")
    target.chmod(existing)
    umask(0o022)
    atomic_write(target, b"new")
    assert mode(target) == existing and target.read_bytes() == b"new"


def test_no_temp_file_left_behind(tmp_path):
    atomic_write(tmp_path / "a" / "b.pot", b"x")
    assert os.listdir(tmp_path / "a") == ["b.pot"]


def test_umask_is_read_without_changing_it(umask):
    umask(0o027)
    assert current_umask() == 0o027
    assert current_umask() == 0o027


def test_threads_writing_at_once_get_the_same_mode(tmp_path, umask):
    umask(0o077)
    threads = [threading.Thread(target=atomic_write, args=(tmp_path / f"{n}.mo", b"x")) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {mode(tmp_path / f"{n}.mo") for n in range(20)} == {0o600}
