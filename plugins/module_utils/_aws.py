# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: our AnsibleAWSModule, so the AWS user agent names instancebench.aws."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

try:
    from botocore.config import Config
except ImportError:
    pass  # AnsibleAWSModule reports the missing library

from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.instancebench.aws.plugins.module_utils import _store

COLLECTION_NAME = 'instancebench.aws'
COLLECTION_VERSION = '0.1.0'


class InstancebenchAWSModule(AnsibleAWSModule):
    def __init__(self, **kwargs):
        super(InstancebenchAWSModule, self).__init__(**kwargs)
        set_collection_info(collection_name=COLLECTION_NAME, collection_version=COLLECTION_VERSION)

    def results_store(self, url, workers=None):
        """The results store at `url`; an S3 one talks through this module's AWS settings
        (endpoint, credentials, region), a file one is a directory here. With `workers` (parallel
        reads), the S3 client keeps a connection per worker and retries reads in botocore's
        standard mode."""
        store = _store.open_store(url)
        if isinstance(store, _store.S3Store):
            kwargs = {}
            if workers:
                kwargs['config'] = Config(max_pool_connections=max(10, workers),
                                          retries={'max_attempts': 5, 'mode': 'standard'})
            store = _store.S3Store(store.bucket, store.prefix, client=self.client('s3', **kwargs))
        return store
