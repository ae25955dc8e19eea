# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Headless Chromium, offline: how the tests look at the pages we write."""

import shutil

BROWSER = shutil.which('chromium-headless-shell') or shutil.which('chromium')
# Offline by construction: no name resolves and every http(s) request goes to a closed local port.
OFFLINE = ['--host-resolver-rules=MAP * ~NOTFOUND', '--proxy-server=127.0.0.1:9', '--proxy-bypass-list=<-loopback>',
           '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
           '--disable-extensions', '--disable-default-apps']
