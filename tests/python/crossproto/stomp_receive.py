"""Subscribes to a STOMP destination, prints READY once the subscription is active, waits for <count> MESSAGE
frames and prints them as one JSON line, bodies as hex so binary payloads (NUL bytes included) compare exactly.
With ack mode client-individual, "ack" acknowledges each message and "noack" disconnects without acknowledging
(the broker must then redeliver).
usage: stomp_receive.py <port> <destination> <count> [auto|client-individual] [ack|noack]"""
import json
import sys
import threading

import stomp

port, destination, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
ack_mode = sys.argv[4] if len(sys.argv) > 4 else "auto"
acknowledge = len(sys.argv) <= 5 or sys.argv[5] == "ack"


class Collector(stomp.ConnectionListener):
    def __init__(self):
        self.frames = []
        self.receipts = set()
        self.cond = threading.Condition()

    def on_message(self, frame):
        with self.cond:
            self.frames.append(frame)
            self.cond.notify_all()

    def on_receipt(self, frame):
        with self.cond:
            self.receipts.add(frame.headers.get("receipt-id"))
            self.cond.notify_all()

    def wait(self, predicate, timeout):
        with self.cond:
            if not self.cond.wait_for(predicate, timeout):
                raise TimeoutError("timed out")


conn = stomp.Connection12([("127.0.0.1", port)], auto_decode=False)
events = Collector()
conn.set_listener("c", events)
conn.connect(wait=True)
conn.subscribe(destination, id="x", ack=ack_mode, headers={"receipt": "ready"})
events.wait(lambda: "ready" in events.receipts, 10)
print("READY", flush=True)
events.wait(lambda: len(events.frames) >= count, 20)
if ack_mode != "auto" and acknowledge:
    for frame in events.frames:
        conn.ack(frame.headers["ack"], receipt="acked-" + frame.headers["ack"])
        events.wait(lambda: "acked-" + frame.headers["ack"] in events.receipts, 10)
conn.disconnect()
print(json.dumps({"messages": [{"headers": dict(f.headers), "hex": bytes(f.body).hex()} for f in events.frames]}), flush=True)
