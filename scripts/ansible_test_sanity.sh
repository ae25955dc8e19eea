#!/usr/bin/env bash
# ansible-test needs the collection at a real path .../ansible_collections/instancebench/aws
# (a symlink is not enough): copy the tracked and new files there and run sanity with the
# tools installed in our venv (--local; --venv would download get-pip from an unreachable host).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
py="$repo/.venv/bin/python"
# Not under .cache: ansible-test skips every target when the path has a hidden directory.
work="${TMPDIR:-/tmp}/instancebench-sanity"
dest="$work/ansible_collections/instancebench/aws"
rm -rf "$dest" && mkdir -p "$dest"

# Sanity tests run in their own venvs, bootstrapped by a get-pip script from a host we cannot
# reach: put our shim (pip's own wheel from PyPI) where ansible-test caches that script.
pip_version="$("$py" - <<'PY'
from ansible_test._internal.python_requirements import get_venv_packages
class Python:  # get_venv_packages only reads .version
    version = '%d.%d' % __import__('sys').version_info[:2]
print(get_venv_packages(Python())['pip'])
PY
)"
cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
if [ ! -f "$cache/get_pip_${pip_version//./_}.py" ]; then
  "$py" -m pip download --quiet --no-deps --only-binary :all: "pip==$pip_version" -d "$cache"
  cp "$repo/scripts/get_pip_shim.py" "$cache/get_pip_${pip_version//./_}.py"
fi
# Collections we build on (amazon.aws: AnsibleAWSModule, doc fragments) beside ours, from the venv.
deps="$("$py" -c 'import ansible_collections.amazon.aws as m, os; print(os.path.dirname(os.path.dirname(m.__path__[0])))')"
mkdir -p "$work/ansible_collections"
ln -sfn "$deps/amazon" "$work/ansible_collections/amazon"
cd "$repo"
git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents {} "$dest/"
cd "$dest"
"$repo/.venv/bin/ansible-test" sanity --local --python "$("$repo/.venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" \
  --color no "$@"

# Instances run modules with the AMI's Python (Amazon Linux 2023: 3.9). Compile and import our
# plugins with the oldest target Pythons this machine has; say so when it has none.
for version in 3.8 3.9; do
  bin_dir=""
  for candidate in "$HOME"/.pyenv/versions/"$version".*/bin; do
    [ -x "$candidate/python$version" ] && bin_dir="$candidate"
  done
  if command -v "python$version" >/dev/null 2>&1 && "python$version" -V >/dev/null 2>&1; then
    bin_dir="$(dirname "$(command -v "python$version")")"
  fi
  if [ -n "$bin_dir" ] && [ -x "$bin_dir/python$version" ]; then
    PATH="$bin_dir:$PATH" "$repo/.venv/bin/ansible-test" sanity --local --color no --test compile --test import --python "$version"
  else
    echo "note: python$version not found; target-Python compile/import check for $version skipped"
  fi
done
