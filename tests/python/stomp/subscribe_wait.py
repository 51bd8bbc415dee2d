"""Subscribes to a /topic/ filter, prints READY, then waits for <count> messages and prints them.
usage: subscribe_wait.py <host> <port> <filter> <count>"""
import sys

from common import connect, emit, frame_json

host, port, destination, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sub, events = connect(host, port, client_id='py-wait')
sub.subscribe(destination, id='w', ack='auto', headers={'receipt': 'ready'})
events.wait_receipt('ready')
print('READY', flush=True)
events.wait_messages(count, timeout=20)
sub.disconnect()
emit({'messages': [frame_json(m) for m in events.messages], 'errors': events.errors})
