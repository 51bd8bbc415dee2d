"""SEND one message with a receipt and report what came back: the RECEIPT, or the ERROR frame.
usage: send_receipt.py <host> <port> <destination> <body>
Prints one JSON line: {"receipts": [...], "errors": [...]}."""
import sys
import time

from common import connect, emit

host, port, destination, body = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
conn, events = connect(host, port)
conn.send(destination, body, headers={'receipt': 'send-1'})
try:
    events.wait_for(lambda: 'send-1' in events.receipts or events.errors, timeout=10.0)
except TimeoutError:
    pass
time.sleep(0.2)  # an ERROR closes the connection; let the receiver thread record it
emit({'receipts': events.receipts, 'errors': events.errors})
