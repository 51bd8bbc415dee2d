"""Receipts and a transaction: sends inside BEGIN..COMMIT are delivered only at COMMIT; ABORTed ones never.
usage: transaction.py <host> <port>"""
import sys
import time

from common import connect, emit, frame_json

host, port = sys.argv[1], sys.argv[2]
consumer, events = connect(host, port, version='1.1', heartbeats=(500, 500), client_id='py-tx-consumer')
consumer.subscribe('/queue/py-tx', id='tx', ack='auto', headers={'receipt': 'sub'})
events.wait_receipt('sub')

producer, p_events = connect(host, port, client_id='py-tx-producer')
aborted = producer.begin()
producer.send('/queue/py-tx', 'never', transaction=aborted)
producer.abort(aborted)

tx = producer.begin()
producer.send('/queue/py-tx', 'tx-1', transaction=tx, headers={'receipt': 'in-tx-1'})
producer.send('/queue/py-tx', 'tx-2', transaction=tx, headers={'receipt': 'in-tx-2'})
p_events.wait_receipt('in-tx-2')
before_commit = len(events.messages)
producer.commit(tx, headers={'receipt': 'commit'})
p_events.wait_receipt('commit')
events.wait_messages(2)

# Heart-beats keep the 1.1 consumer alive across a quiet second.
time.sleep(1.5)
producer.send('/queue/py-tx', 'after-quiet', headers={'receipt': 'late'})
p_events.wait_receipt('late')
events.wait_messages(3)

producer.disconnect(receipt='bye-p')
consumer.disconnect(receipt='bye-c')
emit({'before_commit': before_commit, 'messages': [frame_json(m) for m in events.messages],
      'receipts': p_events.receipts, 'errors': events.errors + p_events.errors,
      'connected': consumer.is_connected()})
