# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Private: our AnsibleAWSModule, so the AWS user agent names instancebench.aws."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

COLLECTION_NAME = 'instancebench.aws'
COLLECTION_VERSION = '0.1.0'


class InstancebenchAWSModule(AnsibleAWSModule):
    def __init__(self, **kwargs):
        super(InstancebenchAWSModule, self).__init__(**kwargs)
        set_collection_info(collection_name=COLLECTION_NAME, collection_version=COLLECTION_VERSION)
