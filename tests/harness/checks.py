# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Views of an analyzer's checks the parser tests assert on."""

from ansible_collections.instancebench.aws.plugins.module_utils import _numbers


def by_name(checks):
    """{name: check}."""
    return dict((c['name'], c) for c in checks)


def failed(checks):
    """{name: check} of every check that did not pass, whatever its severity."""
    return dict((c['name'], c) for c in checks if not c['passed'])


def invalidating(checks):
    """Names of the checks that invalidate the result."""
    return [c['name'] for c in checks if _numbers.invalidates(c)]


def invalid_details(checks):
    """{name: detail} of the checks that invalidate the result."""
    return dict((c['name'], c['detail']) for c in checks if _numbers.invalidates(c))
