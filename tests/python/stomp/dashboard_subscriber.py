"""For the dashboard tests: subscribes to a /topic/ filter, prints READY, then waits up to <timeout> seconds
(a headless browser has to start in between, slow on a loaded machine) for <count> messages and prints them.
usage: dashboard_subscriber.py <host> <port> <filter> <count> <timeout-seconds>"""
import sys

from common import connect, emit, frame_json

host, port, destination, count, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
sub, events = connect(host, port, client_id='py-dashboard')
sub.subscribe(destination, id='d', ack='auto', headers={'receipt': 'ready'})
events.wait_receipt('ready')
print('READY', flush=True)
events.wait_messages(count, timeout=timeout)
sub.disconnect()
emit({'messages': [frame_json(m) for m in events.messages], 'errors': events.errors})
