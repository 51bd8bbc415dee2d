"""ack:client is cumulative: ACK of the third message acknowledges the first three; the two after it are
redelivered to the next consumer once this one disconnects.
usage: queue_client_ack.py <host> <port>"""
import sys

from common import connect, emit, frame_json

host, port = sys.argv[1], sys.argv[2]
producer, p_events = connect(host, port, client_id='py-cum-producer')
for i in range(5):
    producer.send('/queue/py-cumulative', 'm%d' % i, headers={'receipt': 's%d' % i})
p_events.wait_receipt('s4')
producer.disconnect()

first, events = connect(host, port, client_id='py-cum-1')
first.subscribe('/queue/py-cumulative', id='c', ack='client', headers={'prefetch-count': '10'})
events.wait_messages(5)
first.ack(events.messages[2].headers['ack'], receipt='acked')
events.wait_receipt('acked')
first.disconnect(receipt='bye')

second, again = connect(host, port, client_id='py-cum-2')
second.subscribe('/queue/py-cumulative', id='c', ack='client-individual')
again.wait_messages(2)
for frame in again.messages:
    second.ack(frame.headers['ack'], receipt='ack-' + frame.headers['ack'])
    again.wait_receipt('ack-' + frame.headers['ack'])
second.disconnect(receipt='bye')
emit({'first': [frame_json(m) for m in events.messages], 'second': [frame_json(m) for m in again.messages],
      'errors': events.errors + again.errors})
