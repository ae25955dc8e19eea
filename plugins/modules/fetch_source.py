#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: fetch_source
short_description: Download a pinned third-party source from upstream or a mirror and verify its sha256
version_added: "0.1.0"
description:
  - Puts the file at C(<dest>/<name>/<filename>) and verifies it against O(sha256). A file
    already there with the right checksum is left alone (no change).
  - With O(mirror) set, the file is taken from C(<mirror>/<name>/<filename>) instead of O(url).
    A mirror is a local directory (or C(file://) URL), an C(http://) or C(https://) URL, or an
    C(s3://bucket/prefix) (needs boto3 on the host and read access through its instance profile).
  - A checksum mismatch fails with both checksums and removes the downloaded bytes; nothing
    unverified is left at the destination.
author:
  - instancebench.aws contributors (@instancebench)
options:
  name:
    description: Source name, the directory under O(dest) and under O(mirror).
    type: str
    required: true
  url:
    description: Upstream URL, used when O(mirror) is empty.
    type: str
    required: true
  sha256:
    description: Expected sha256 of the file (64 hex digits).
    type: str
    required: true
  filename:
    description: File name at the destination and in the mirror.
    type: str
    required: true
  dest:
    description: Directory that receives C(<name>/<filename>).
    type: path
    required: true
  mirror:
    description: Directory, C(file://), C(http(s)://) or C(s3://) prefix that replaces the upstream host.
    type: str
    default: ""
  timeout:
    description: Network timeout in seconds.
    type: int
    default: 60
notes:
  - Supports check mode (reports whether a download is needed).
"""

EXAMPLES = r"""
- name: Fetch STREAM 5.10 from upstream
  instancebench.aws.fetch_source:
    name: stream
    url: https://www.cs.virginia.edu/stream/FTP/Code/stream.c
    sha256: a52bae5e175bea3f7832112af9c085adab47117f7d2ce219165379849231692b
    filename: stream.c
    dest: /var/tmp/instancebench/sources

- name: Fetch it from an S3 mirror inside a private subnet
  instancebench.aws.fetch_source:
    name: stream
    url: https://www.cs.virginia.edu/stream/FTP/Code/stream.c
    sha256: a52bae5e175bea3f7832112af9c085adab47117f7d2ce219165379849231692b
    filename: stream.c
    dest: /var/tmp/instancebench/sources
    mirror: s3://my-bench-mirror/sources
"""

RETURN = r"""
path:
  description: Verified file on the host.
  returned: always
  type: str
  sample: /var/tmp/instancebench/sources/stream/stream.c
sha256:
  description: The verified checksum.
  returned: always
  type: str
  sample: a52bae5e175bea3f7832112af9c085adab47117f7d2ce219165379849231692b
present:
  description: Whether the verified file is at O(dest) now (false only in check mode before a download).
  returned: always
  type: bool
  sample: true
location:
  description: Where the bytes came from (mirror path or upstream URL); C(cache) when already present.
  returned: always
  type: str
  sample: /srv/mirror/stream/stream.c
"""

import os
import re
import shutil
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.urls import open_url

from ansible_collections.instancebench.aws.plugins.module_utils._store import StoreError, s3_client, sha256_file


class FetchError(Exception):
    pass


def _location(params):
    mirror = params['mirror'].rstrip('/')
    if not mirror:
        return params['url'], 'upstream'
    return '%s/%s/%s' % (mirror, params['name'], params['filename']), 'mirror'


def _download(location, target, timeout):
    """Copy `location` into the open file `target`; raise FetchError saying why not."""
    try:
        if location.startswith(('http://', 'https://')):
            response = open_url(location, timeout=timeout, follow_redirects='safe')
            shutil.copyfileobj(response, target)
        elif location.startswith('s3://'):
            bucket, _sep, key = location[len('s3://'):].partition('/')
            try:
                client = s3_client()
            except StoreError as exc:
                raise FetchError(str(exc))
            client.download_fileobj(bucket, key, target)
        else:
            path = location[len('file://'):] if location.startswith('file://') else location
            with open(path, 'rb') as source:
                shutil.copyfileobj(source, target)
    except FetchError:
        raise
    except Exception as exc:  # urllib, socket, botocore and OS errors all mean "not reachable"
        raise FetchError(str(exc))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            url=dict(type='str', required=True),
            sha256=dict(type='str', required=True),
            filename=dict(type='str', required=True),
            dest=dict(type='path', required=True),
            mirror=dict(type='str', default=''),
            timeout=dict(type='int', default=60),
        ),
        supports_check_mode=True,
    )
    params = module.params
    expected = params['sha256'].lower()
    if not re.match(r'^[0-9a-f]{64}\Z', expected):
        module.fail_json(msg='sha256 for source %s must be 64 hex digits, got %r' % (params['name'], params['sha256']))
    if '/' in params['filename'] or params['filename'] in ('', '.', '..'):
        module.fail_json(msg='filename for source %s must be a plain file name, got %r' % (params['name'], params['filename']))
    directory = os.path.join(params['dest'], params['name'])
    path = os.path.join(directory, params['filename'])
    result = dict(changed=False, path=path, sha256=expected, location='cache', present=True)
    if os.path.isfile(path) and sha256_file(path) == expected:
        module.exit_json(**result)
    location, kind = _location(params)
    result.update(changed=True, location=location)
    if module.check_mode:
        result['present'] = False
        module.exit_json(**result)

    if not os.path.isdir(directory):
        os.makedirs(directory)
    handle, tmp = tempfile.mkstemp(dir=directory, prefix='.partial-')
    try:
        with os.fdopen(handle, 'wb') as target:
            _download(location, target, params['timeout'])
        got = sha256_file(tmp)
        if got != expected:
            fix = ('the mirror holds a different file: refill it with playbooks/mirror.yml (or '
                   'scripts/fill_mirror_from_registries.py) from a verified copy'
                   if kind == 'mirror' else
                   'upstream changed the file: get the pinned release, or review and update the pin in '
                   'roles/sources/vars/main.yml')
            module.fail_json(msg='checksum mismatch for source %s (%s) from %s: expected sha256 %s, got %s. '
                                 'The file was not kept; %s.' % (params['name'], params['filename'], location,
                                                                 expected, got, fix), **result)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except FetchError as exc:
        hint = ('check sources_mirror (%s): a directory, http(s):// URL or s3:// prefix holding '
                '<name>/<filename>, or leave it empty to use upstream' % params['mirror']
                if kind == 'mirror' else
                'the host cannot reach upstream: set sources_mirror to a mirror it can reach')
        module.fail_json(msg='cannot fetch source %s from %s %s: %s; %s' % (params['name'], kind, location, exc, hint),
                         **result)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
