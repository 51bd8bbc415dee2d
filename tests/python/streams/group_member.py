"""One stomp.py member of a stream consumer group (SUBSCRIBE /stream/<stream>, x-stream-group, ack:client-individual).
Prints one line per event, flushed at once (the C# test reads them while the member runs and after SIGKILL):
  READY                      the SUBSCRIBE was receipted (the member joined)
  MSG <partition> <offset> <body>
  ACKED <partition> <offset> the ACK was receipted: the offset is committed (durably) for the group
Acks every message at once, in order, until it has acked <stall_after> of them (-1 = never stall); after that it keeps
receiving but never acks (a consumer that hangs mid-processing, then gets killed).
usage: group_member.py <host> <port> <stream> <group> <stall_after>"""
import sys
import threading
import time

import stomp

host, port, stream, group, stall_after = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
lock = threading.Lock()


def out(line):
    with lock:
        sys.stdout.write(line + '\n')
        sys.stdout.flush()


class Member(stomp.ConnectionListener):
    def __init__(self):
        self.conn = None
        self.acked = 0

    def on_message(self, frame):
        partition = frame.headers['x-stream-partition']
        offset = frame.headers['x-stream-offset']
        out('MSG %s %s %s' % (partition, offset, frame.body))
        if stall_after < 0 or self.acked < stall_after:
            self.acked += 1
            self.conn.ack(frame.headers['ack'], receipt='ack-%s-%s' % (partition, offset))

    def on_receipt(self, frame):
        receipt = frame.headers.get('receipt-id', '')
        if receipt == 'sub':
            out('READY')
        elif receipt.startswith('ack-'):
            _, partition, offset = receipt.split('-')
            out('ACKED %s %s' % (partition, offset))

    def on_error(self, frame):
        out('ERROR %s %s' % (frame.headers.get('message'), frame.body))


member = Member()
conn = stomp.Connection12([(host, port)], heartbeats=(0, 0))
member.conn = conn
conn.set_listener('member', member)
conn.connect(wait=True)
conn.subscribe('/stream/' + stream, id='s1', ack='client-individual', headers={
    'x-stream-group': group, 'x-stream-offset': 'first', 'prefetch-count': '10', 'receipt': 'sub'})
while True:
    time.sleep(0.2)  # the test ends this process (SIGKILL); all work happens on stomp.py's receiver thread
