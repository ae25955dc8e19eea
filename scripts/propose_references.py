# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Propose reference values from a published snapshot's aggregates (for a person to review).

    scripts/propose_references.py <snapshot folder> [--tolerance 0.1] > proposed.yml
"""

import argparse
import os
import sqlite3
import sys

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '.cache', 'collections'))
from ansible_collections.instancebench.aws.plugins.module_utils import _publish, _references  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('snapshot', help='a snapshot folder (or the dataset\'s latest)')
    parser.add_argument('--tolerance', type=float, default=0.1, help='smallest band on each side (fraction)')
    args = parser.parse_args()
    path = os.path.join(args.snapshot, 'dataset.sqlite')
    if not os.path.isfile(path):
        parser.error('%s has no dataset.sqlite: give a snapshot folder written by playbooks/publish.yml' % args.snapshot)
    names = _publish.names('aggregates')
    with sqlite3.connect(path) as connection:
        rows = [dict(zip(names, row)) for row in connection.execute(
            'SELECT %s FROM aggregates ORDER BY instance_type, benchmark, variant, metric'
            % ', '.join('"%s"' % n for n in names))]
    sys.stdout.write('# Proposed from %s: review before use (benchmarks/references/README.md).\n' % args.snapshot)
    yaml.safe_dump(_references.propose(rows, args.tolerance), sys.stdout, sort_keys=True, default_flow_style=None,
                   width=160)


if __name__ == '__main__':
    main()
