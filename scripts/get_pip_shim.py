# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for ansible-test's get-pip bootstrap script, whose host this machine cannot reach.

ansible-test runs it as `python get_pip_X_Y.py <pip install options> pip==X.Y` inside each
empty sanity-test venv. We do the same with pip's own wheel from PyPI, which
scripts/ansible_test_sanity.sh downloads next to this file's installed copy.
"""

import glob
import os
import sys

WHEEL = sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'pip-*-py3-none-any.whl')))[-1]
sys.path.insert(0, WHEEL)

from pip._internal.cli.main import main  # noqa: E402  (importable only once the wheel is on sys.path)

# --no-setuptools/--no-wheel are get-pip's own options ("do not also install these"): we never do.
ARGS = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
sys.exit(main(['install'] + ARGS))
