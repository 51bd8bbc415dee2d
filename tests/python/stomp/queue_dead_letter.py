"""NACK until the delivery limit: a queue declared with x-delivery-limit:2 dead-letters the message to
<queue>.dlq after its second NACK; a subscriber of the DLQ receives it with the reason.
usage: queue_dead_letter.py <host> <port>"""
import sys

from common import connect, emit, frame_json

host, port = sys.argv[1], sys.argv[2]
dlq, dlq_events = connect(host, port, client_id='py-dlq')
dlq.subscribe('/queue/py-poison.dlq', id='d', ack='auto', headers={'receipt': 'dlq-ready'})
dlq_events.wait_receipt('dlq-ready')

consumer, events = connect(host, port, client_id='py-poison-consumer')
consumer.subscribe('/queue/py-poison', id='p', ack='client-individual', headers={'x-delivery-limit': '2', 'receipt': 'ready'})
events.wait_receipt('ready')
producer, p_events = connect(host, port, client_id='py-poison-producer')
producer.send('/queue/py-poison', 'poison', headers={'receipt': 'sent'})
p_events.wait_receipt('sent')

for attempt in range(2):
    events.wait_messages(attempt + 1)
    consumer.nack(events.messages[attempt].headers['ack'], receipt='n%d' % attempt)
    events.wait_receipt('n%d' % attempt)
dlq_events.wait_messages(1)
for c in (consumer, producer, dlq):
    c.disconnect()
emit({'deliveries': [frame_json(m) for m in events.messages], 'dead': [frame_json(m) for m in dlq_events.messages],
      'errors': events.errors + dlq_events.errors + p_events.errors})
