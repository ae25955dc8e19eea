# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: what a name (run id, variant, job id) may hold, checked on the whole string.

Names end up in S3 keys, EC2 tags, IAM names, file names and job scripts: they are letters,
digits, '.', '_' and '-' only, so no value can carry a shell, Jinja or path meaning.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

_SAFE = re.compile(r'[A-Za-z0-9_][A-Za-z0-9._-]{0,63}\Z')


def is_safe_name(value):
    """True for 1-64 of [A-Za-z0-9._-], not starting with '.' or '-'; a trailing newline fails."""
    return isinstance(value, str) and _SAFE.match(value) is not None


_SAFE_PATH = re.compile(r'/[A-Za-z0-9._/-]{1,1023}\Z')


def is_safe_path(value):
    """An absolute path of letters, digits, '.', '_', '-' and '/': it can be written into a job
    script or a Makefile as it is (no space, quote, '$', ';' or newline)."""
    return isinstance(value, str) and _SAFE_PATH.match(value) is not None


def work_dir_problem(stat, uid):
    """Why a work directory (ansible.builtin.stat's `stat`) cannot be trusted by user `uid`, or ''."""
    if not stat or not stat.get('exists'):
        return ''
    if not stat.get('isdir'):
        return 'is not a directory'
    if stat.get('uid') != uid:
        return 'belongs to uid %s, not to this user (uid %s)' % (stat.get('uid'), uid)
    if int(stat.get('mode', '0'), 8) & 0o022:
        return 'may be written by its group or by others (mode %s)' % stat.get('mode')
    return ''
