# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The toolchain role on a real host: a microarchitecture whose catalog flag this machine's gcc
refuses (chosen from the catalog and the installed gcc, so it holds on any CPU) gets the newer
compiler the distribution offers, and the host facts then carry the catalog flags. Installs
packages (as CI may): only the compiler is probed, nothing is run with the flags."""

import json
import os
import platform
import subprocess

import pytest
import yaml

from harness.ansible_runner import REPO, run_playbook, write_inventory

PLAYBOOK = '''
- hosts: benchmark_hosts
  gather_facts: false
  tasks:
    - ansible.builtin.include_role: {name: instancebench.aws.host_facts}
    - ansible.builtin.include_role: {name: instancebench.aws.toolchain}
    - ansible.builtin.copy:
        content: "{{ ansible_facts['instancebench_host'] | to_json }}"
        dest: "{{ facts_file }}"
        mode: "0600"
'''


def _refused_uarch():
    """A catalog entry for this architecture that needs a newer gcc than the installed one."""
    with open(os.path.join(REPO, 'roles', 'host_facts', 'vars', 'flag_catalog.yml')) as handle:
        catalog = yaml.safe_load(handle)['_host_facts_flag_catalog']['uarch']
    major = int(subprocess.run(['gcc', '-dumpversion'], capture_output=True, text=True, check=True).stdout.split('.')[0])
    prefix = '-mcpu=' if platform.machine() == 'aarch64' else '-march='
    refused = [(name, entry) for name, entry in sorted(catalog.items())
               if entry['flags'][0].startswith(prefix) and int(entry['min_version'].split('.')[0]) > major
               and not name.startswith('x86-64')]
    return refused[0] if refused else (None, None)


def test_a_refused_catalog_flag_is_fixed_by_a_newer_compiler(tmp_path, ssh_host, ansible_home):
    uarch, entry = _refused_uarch()
    if uarch is None:
        pytest.skip("this machine's gcc accepts every catalog flag of its architecture")
    with open('/etc/os-release') as handle:
        os_release = dict(line.strip().split('=', 1) for line in handle if '=' in line)
    if (os_release.get('ID'), os_release.get('VERSION_ID', '').strip('"')) != ('debian', '12'):
        pytest.skip('the candidate table is exercised on Debian 12 here; other releases are unit-tested')
    playbook = tmp_path / 'toolchain.yml'
    playbook.write_text(PLAYBOOK)
    inventory = write_inventory(str(tmp_path / 'hosts.yml'), {'bench1': ssh_host.inventory_vars()})
    facts_file = tmp_path / 'facts.json'
    proc = run_playbook(str(playbook), inventory, ansible_home, {'host_facts_uarch': uarch, 'facts_file': str(facts_file),
                                                                 'toolchain_prefer': 'gcc'}, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-4000:]
    facts = json.loads(facts_file.read_text())
    assert facts['compiler']['command'] == 'clang-16' and facts['compiler']['name'] == 'clang'
    assert facts['cflags'] == entry['flags'] and facts['cflags_source'] == 'catalog', facts
    assert 'builds with' in proc.stdout
