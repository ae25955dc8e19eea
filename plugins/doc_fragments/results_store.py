# -*- coding: utf-8 -*-
# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The results store option every controller-side module takes (one place for its words).
    DOCUMENTATION = r"""
options:
  store:
    description:
      - Results store URL, C(s3://bucket/prefix) or C(file:///absolute/path). An S3 store is reached with this
        module's AWS settings (endpoint, credentials, region).
    type: str
    required: true
"""
