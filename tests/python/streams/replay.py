"""stomp.py reader: SUBSCRIBE /stream/<stream> alone from x-stream-offset <position>, collect <count> MESSAGE frames.
usage: replay.py <host> <port> <stream> <position> <count>"""
import sys
import os

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'stomp'))
from common import connect, emit  # noqa: E402

host, port, stream, position, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
conn, events = connect(host, port, client_id='py-stream-replay')
conn.subscribe('/stream/' + stream, id='r', ack='auto', headers={'x-stream-offset': position})
events.wait_messages(count, timeout=20)
conn.disconnect()
emit({'messages': [{'partition': int(m.headers['x-stream-partition']), 'offset': int(m.headers['x-stream-offset']),
                    'topic': m.headers.get('x-stream-topic'), 'body': m.body} for m in events.messages],
      'errors': events.errors})
