"""A durable queue consumed with ack:client-individual: ACK one message, NACK another and get it redelivered.
usage: queue_acks.py <host> <port>"""
import sys

from common import connect, emit, frame_json

host, port = sys.argv[1], sys.argv[2]
producer, p_events = connect(host, port, client_id='py-producer')
for i, body in enumerate(['job-1', 'job-2']):
    producer.send('/queue/py-work', body, headers={'receipt': 'r%d' % i})
p_events.wait_receipt('r1')

consumer, events = connect(host, port, client_id='py-consumer')
consumer.subscribe('/queue/py-work', id='work', ack='client-individual', headers={'prefetch-count': '10'})
events.wait_messages(2)
first, second = events.messages[0], events.messages[1]
consumer.ack(second.headers['ack'], receipt='ack-2')
events.wait_receipt('ack-2')
consumer.nack(first.headers['ack'], receipt='nack-1')
events.wait_messages(3)
redelivered = events.messages[2]
consumer.ack(redelivered.headers['ack'], receipt='ack-1')
events.wait_receipt('ack-1')

producer.disconnect()
consumer.disconnect(receipt='bye')
emit({'messages': [frame_json(m) for m in events.messages], 'errors': events.errors})
