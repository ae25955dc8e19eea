# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run ansible-playbook as a user would, against a generated inventory, and keep its output."""

import json
import os
import subprocess
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def write_inventory(path, hosts, group='benchmark_hosts', group_vars=None):
    """hosts: {name: hostvars}. Returns the path."""
    data = {group: {'hosts': hosts, 'vars': group_vars or {}}}
    with open(path, 'w') as handle:
        yaml.safe_dump(data, handle)
    return path


def ansible_env(home):
    env = dict(os.environ)
    env.update({
        'ANSIBLE_CONFIG': os.path.join(REPO, 'ansible.cfg'),
        'ANSIBLE_HOME': home,
        'ANSIBLE_COLLECTIONS_PATH': os.path.join(REPO, '.cache', 'collections'),
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_FORCE_COLOR': '0',
        'ANSIBLE_CALLBACK_RESULT_FORMAT': 'json',
        'ANSIBLE_SHOW_CUSTOM_STATS': '1',
        'PATH': BIN + os.pathsep + env.get('PATH', ''),
    })
    return env


def run_playbook(playbook, inventory, home, extra_vars=None, check=False, timeout=900, env=None):
    """Returns CompletedProcess with .stdout (stderr merged) and parsed .recap {host: counts}."""
    argv = [os.path.join(BIN, 'ansible-playbook'), '-i', inventory, os.path.join(REPO, 'playbooks', playbook)]
    if extra_vars:
        argv += ['-e', json.dumps(extra_vars)]
    if check:
        argv.append('--check')
    full_env = ansible_env(home)
    full_env.update(env or {})
    proc = subprocess.run(argv, env=full_env, cwd=REPO, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout, check=False)
    proc.recap = parse_recap(proc.stdout)
    return proc


def parse_recap(text):
    recap = {}
    in_recap = False
    for line in text.splitlines():
        if line.startswith('PLAY RECAP'):
            in_recap = True
            continue
        if in_recap and ':' in line and '=' in line:
            host, _sep, counts = line.partition(':')
            recap[host.strip()] = dict((k, int(v)) for k, v in (part.split('=') for part in counts.split()))
    return recap


def module_argv(module, params):
    """`ansible localhost -m <module>` with the controller's Python, as a task on a host would run it."""
    return [os.path.join(BIN, 'ansible'), 'localhost', '-c', 'local', '-i', 'localhost,',
            '-e', 'ansible_python_interpreter=' + os.path.join(BIN, 'python'),
            '-m', module, '-a', json.dumps(params)]
