"""Sends one persistent SEND with a receipt; the body is given as hex so it can carry any bytes.
usage: stomp_send.py <port> <destination> <body-hex> [<header>=<value> ...]"""
import sys
import threading

import stomp

port, destination, body = int(sys.argv[1]), sys.argv[2], bytes.fromhex(sys.argv[3])
headers = dict(arg.split("=", 1) for arg in sys.argv[4:])
receipts = set()
cond = threading.Condition()


class Receipts(stomp.ConnectionListener):
    def on_receipt(self, frame):
        with cond:
            receipts.add(frame.headers.get("receipt-id"))
            cond.notify_all()


conn = stomp.Connection12([("127.0.0.1", port)], auto_decode=False)
conn.set_listener("r", Receipts())
conn.connect(wait=True)
conn.send(destination=destination, body=body, headers=headers, receipt="sent")
with cond:
    if not cond.wait_for(lambda: "sent" in receipts, 10):
        sys.exit("no RECEIPT within 10 s")
conn.disconnect()
print("SENT", flush=True)
