"""A publisher for the crash-loop checker: sends numbered messages one at a time with QoS 1 (paho-mqtt) or a
persistent SEND with a receipt (stomp.py), prints `SEND <id>` before and `ACK <id>` after each acknowledgement,
and reconnects forever when the broker dies, re-sending the unacknowledged message (at-least-once). It stops
after --count acknowledgements or when killed.

usage: acked_publisher.py mqtt|stomp <port> <publisher-name> <topic> <count>
For stomp, a <topic> starting with '/' is used as the destination as it is (e.g. /queue/orders).
"""
import sys
import threading
import time


def log(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def mqtt_publisher(port, name, topic, count):
    import paho.mqtt.client as mqtt

    i = 0
    while i < count:
        client = mqtt.Client(client_id=name, clean_session=True, protocol=mqtt.MQTTv311)
        try:
            client.connect("127.0.0.1", port, keepalive=5)
        except OSError:
            time.sleep(0.05)
            continue
        client.loop_start()
        try:
            while i < count:
                message_id = "%s-%d" % (name, i)
                log("SEND " + message_id)
                info = client.publish(topic, message_id.encode(), qos=1)
                info.wait_for_publish(timeout=5)
                if not info.is_published():
                    break  # broker gone: reconnect, send the same id again
                log("ACK " + message_id)
                i += 1
        except (OSError, RuntimeError, ValueError):
            pass
        finally:
            client.loop_stop()
            try:
                client.disconnect()
            except OSError:
                pass
    log("DONE")


def stomp_publisher(port, name, topic, count):
    import stomp

    class Receipts(stomp.ConnectionListener):
        def __init__(self):
            self.got = set()
            self.errors = 0
            self.cond = threading.Condition()

        def on_receipt(self, frame):
            with self.cond:
                self.got.add(frame.headers.get("receipt-id"))
                self.cond.notify_all()

        def on_error(self, frame):
            with self.cond:
                self.errors += 1
                self.cond.notify_all()

        def on_disconnected(self):
            with self.cond:
                self.errors += 1
                self.cond.notify_all()

    i = 0
    while i < count:
        conn = stomp.Connection([("127.0.0.1", port)], heartbeats=(0, 0), reconnect_attempts_max=1)
        receipts = Receipts()
        conn.set_listener("r", receipts)
        try:
            conn.connect(wait=True)
        except Exception:  # stomp.py raises its own ConnectFailedException and socket errors
            time.sleep(0.05)
            continue
        try:
            while i < count:
                message_id = "%s-%d" % (name, i)
                errors_before = receipts.errors
                log("SEND " + message_id)
                conn.send(destination=topic if topic.startswith("/") else "/topic/" + topic, body=message_id, headers={"persistent": "true"}, receipt=message_id)
                deadline = time.monotonic() + 5
                with receipts.cond:
                    while message_id not in receipts.got and receipts.errors == errors_before and time.monotonic() < deadline:
                        receipts.cond.wait(0.1)
                if message_id not in receipts.got:
                    break
                log("ACK " + message_id)
                i += 1
        except Exception:
            pass
        finally:
            try:
                conn.disconnect()
            except Exception:
                pass
    log("DONE")


if __name__ == "__main__":
    protocol, port, name, topic, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
    (mqtt_publisher if protocol == "mqtt" else stomp_publisher)(port, name, topic, count)
