# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A directory served over HTTP on 127.0.0.1 for the length of a `with` block, recording paths."""

import contextlib
import functools
import http.server
import threading


class _RecordingHandler(http.server.SimpleHTTPRequestHandler):
    served = []

    def log_message(self, fmt, *args):   # record instead of printing to stderr
        self.served.append(self.path)


@contextlib.contextmanager
def http_directory(directory, served=None):
    handler_class = type('Handler', (_RecordingHandler,), {'served': served if served is not None else []})
    handler = functools.partial(handler_class, directory=directory)
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield 'http://127.0.0.1:%d' % server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


class LoopbackServer(object):
    """Base of the test proxies: a threading HTTP server on 127.0.0.1:`self.port` with a handler
    class the subclass builds in `handler()`."""

    port = None
    _server = None

    def handler(self):
        raise NotImplementedError

    def start(self):
        self._server = http.server.ThreadingHTTPServer(('127.0.0.1', self.port), self.handler())
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
