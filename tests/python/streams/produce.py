"""stomp.py producer: SEND <count> records to /stream/<stream> with a key header (k0..k11) and a receipt each;
exits 0 once every RECEIPT arrived (each one means: appended and durable under the stream's fsync policy).
usage: produce.py <host> <port> <stream> <first index> <count>"""
import sys
import os

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'stomp'))
from common import connect, emit  # noqa: E402

host, port, stream, first, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
conn, events = connect(host, port, client_id='py-stream-producer')
for i in range(first, first + count):
    conn.send('/stream/' + stream, 'r%d' % i, headers={'key': 'k%d' % (i % 12), 'receipt': 'p%d' % i})
events.wait_for(lambda: len(events.receipts) >= count or events.errors, timeout=30)
conn.disconnect()
emit({'receipts': len(events.receipts), 'errors': events.errors})
