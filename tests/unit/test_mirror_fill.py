# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The mirror fill is quiet when apt-get's harmless 404 on a .debian.tar.xz still left the orig
tarball, and loud (apt's own words, then the fix) when it did not."""

import importlib.util
import os

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _fill():
    spec = importlib.util.spec_from_file_location('fill_mirror', os.path.join(REPO, 'scripts', 'fill_mirror_from_registries.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_apt(tmp_path, monkeypatch, writes):
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    body = '#!/bin/sh\n' + ('printf data > hpcc_1.5.0.orig.tar.gz\n' if writes else '') + \
        'echo "E: Failed to fetch http://deb.debian.org/debian/pool/main/h/hpcc/hpcc_1.5.0-3.debian.tar.xz  404"\n' \
        'echo "E: Failed to fetch some archives."\nexit 100\n'
    (bin_dir / 'apt-get').write_text(body)
    (bin_dir / 'apt-get').chmod(0o755)
    monkeypatch.setenv('PATH', '%s:%s' % (bin_dir, os.environ['PATH']))


def test_a_missing_debian_part_is_not_shouted_when_the_orig_arrived(tmp_path, monkeypatch, capsys):
    _fake_apt(tmp_path, monkeypatch, writes=True)
    cache = tmp_path / 'cache'
    cache.mkdir()
    got = _fill().from_debian_source({'package': 'hpcc', 'file': 'hpcc_1.5.0.orig.tar.gz'}, str(tmp_path), str(cache))
    assert got == str(cache / 'hpcc_1.5.0.orig.tar.gz')
    out = capsys.readouterr()
    assert 'E: Failed' not in out.out + out.err
    assert out.out == 'hpcc: fetched hpcc_1.5.0.orig.tar.gz (apt-get source --download-only)\n'


def test_no_orig_tarball_fails_with_apt_s_words_and_the_fix(tmp_path, monkeypatch):
    _fake_apt(tmp_path, monkeypatch, writes=False)
    cache = tmp_path / 'cache'
    cache.mkdir()
    with pytest.raises(SystemExit) as stop:
        _fill().from_debian_source({'package': 'hpcc', 'file': 'hpcc_1.5.0.orig.tar.gz'}, str(tmp_path), str(cache))
    message = str(stop.value)
    assert 'E: Failed to fetch some archives.' in message
    assert message.endswith('apt-get source hpcc did not produce hpcc_1.5.0.orig.tar.gz (output above): enable deb-src '
                            'in /etc/apt/sources.list.d and run apt-get update')
