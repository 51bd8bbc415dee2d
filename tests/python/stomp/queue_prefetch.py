"""Prefetch fairness: two client-individual consumers with prefetch-count 1. The slow one holds its message
unacknowledged, so every other message goes to the fast one; nothing is delivered twice.
usage: queue_prefetch.py <host> <port>"""
import sys

from common import connect, emit

host, port = sys.argv[1], sys.argv[2]
slow, slow_events = connect(host, port, client_id='py-slow')
slow.subscribe('/queue/py-fair', id='s', ack='client-individual', headers={'prefetch-count': '1', 'receipt': 'slow-ready'})
slow_events.wait_receipt('slow-ready')
fast, fast_events = connect(host, port, client_id='py-fast')
fast.subscribe('/queue/py-fair', id='f', ack='client-individual', headers={'prefetch-count': '1', 'receipt': 'fast-ready'})
fast_events.wait_receipt('fast-ready')

producer, p_events = connect(host, port, client_id='py-fair-producer')
for i in range(10):
    producer.send('/queue/py-fair', 'job-%d' % i, headers={'receipt': 'j%d' % i})
p_events.wait_receipt('j9')

slow_events.wait_messages(1)
acked = 0
while acked < 9:
    fast_events.wait_for(lambda: len(fast_events.messages) > acked, timeout=10)
    frame = fast_events.messages[acked]
    fast.ack(frame.headers['ack'], receipt='f%d' % acked)
    fast_events.wait_receipt('f%d' % acked)
    acked += 1
slow.ack(slow_events.messages[0].headers['ack'], receipt='slow-done')
slow_events.wait_receipt('slow-done')
for c in (slow, fast, producer):
    c.disconnect()
emit({'slow': [m.body for m in slow_events.messages], 'fast': [m.body for m in fast_events.messages],
      'errors': slow_events.errors + fast_events.errors + p_events.errors})
