# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write benchmarks/schema/result-v1.schema.json from plugins/module_utils/_result_schema.py.

Run with the collection importable (`make schema`); tests/unit/test_schema.py fails when the
published file and the Python source disagree.
"""

import json
import os

from ansible_collections.instancebench.aws.plugins.module_utils._result_schema import RESULT_SCHEMA

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATH = os.path.join(ROOT, 'benchmarks', 'schema', 'result-v1.schema.json')


def render():
    return json.dumps(RESULT_SCHEMA, indent=2, sort_keys=True) + '\n'


if __name__ == '__main__':
    with open(PATH, 'w') as handle:
        handle.write(render())
    print('wrote %s' % PATH)
