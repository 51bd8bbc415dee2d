"""Shared helpers for the stomp.py interop scripts: a listener that collects frames, waits with deadlines."""
import json
import sys
import threading
import time

import stomp


class Collector(stomp.ConnectionListener):
    """Collects MESSAGE, RECEIPT and ERROR frames; wait_* poll with a deadline."""

    def __init__(self):
        self.messages = []
        self.receipts = []
        self.errors = []
        self.cond = threading.Condition()

    def on_message(self, frame):
        with self.cond:
            self.messages.append(frame)
            self.cond.notify_all()

    def on_receipt(self, frame):
        with self.cond:
            self.receipts.append(frame.headers.get('receipt-id'))
            self.cond.notify_all()

    def on_error(self, frame):
        with self.cond:
            self.errors.append({'headers': dict(frame.headers), 'body': frame.body})
            self.cond.notify_all()

    def wait_for(self, predicate, timeout=10.0):
        deadline = time.monotonic() + timeout
        with self.cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError('condition not met within %.1fs' % timeout)
                self.cond.wait(left)

    def wait_messages(self, count, timeout=10.0):
        self.wait_for(lambda: len(self.messages) >= count, timeout)

    def wait_receipt(self, receipt, timeout=10.0):
        self.wait_for(lambda: receipt in self.receipts, timeout)


def connect(host, port, version='1.2', heartbeats=(0, 0), client_id=None):
    cls = {'1.0': stomp.Connection10, '1.1': stomp.Connection11, '1.2': stomp.Connection12}[version]
    if version == '1.0':
        conn = cls([(host, int(port))])
    else:
        conn = cls([(host, int(port))], heartbeats=heartbeats)
    collector = Collector()
    conn.set_listener('collector', collector)
    conn.connect(wait=True, headers={'client-id': client_id} if client_id else {})
    return conn, collector


def frame_json(frame):
    return {'headers': dict(frame.headers), 'body': frame.body}


def emit(result):
    """The one line of output the C# test parses."""
    sys.stdout.write(json.dumps(result) + '\n')
    sys.stdout.flush()
