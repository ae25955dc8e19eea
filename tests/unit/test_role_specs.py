# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every role's defaults/main.yml and meta/argument_specs.yml say the same: each default is
documented with that default, and each documented option with a default has it in defaults."""

import glob
import os

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLES = sorted(os.path.basename(os.path.dirname(os.path.dirname(p)))
               for p in glob.glob(os.path.join(REPO, 'roles', '*', 'meta', 'argument_specs.yml')))


def _load(*parts):
    path = os.path.join(REPO, 'roles', *parts)
    if not os.path.exists(path):
        return {}
    with open(path) as handle:
        return yaml.safe_load(handle) or {}


def test_every_role_has_argument_specs():
    roles = sorted(os.path.basename(p) for p in glob.glob(os.path.join(REPO, 'roles', '*')) if os.path.isdir(p))
    assert roles == ROLES


@pytest.mark.parametrize('role', ROLES)
def test_defaults_and_argument_specs_agree(role):
    defaults = _load(role, 'defaults', 'main.yml')
    options = {}   # every entry point's options (ec2_provision's cleanup has its own)
    for entry in _load(role, 'meta', 'argument_specs.yml')['argument_specs'].values():
        options.update(entry.get('options') or {})
    undocumented = sorted(set(defaults) - set(options))
    assert undocumented == [], '%s: defaults without an argument_specs entry: %s' % (role, undocumented)
    # A default computed at run time (a template) is documented in words, not as its literal text.
    differ = sorted(name for name in defaults if 'default' in options[name] and options[name]['default'] != defaults[name]
                    and '{{' not in str(defaults[name]))
    assert differ == [], '%s: argument_specs default differs from defaults/main.yml: %s' % (role, differ)
    missing = sorted(name for name, spec in options.items() if 'default' in spec and name not in defaults)
    assert missing == [], '%s: documented defaults missing from defaults/main.yml: %s' % (role, missing)
