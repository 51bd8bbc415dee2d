#!/usr/bin/python3
"""paho-mqtt (Debian python3-paho-mqtt 1.6) against EdgeBroker, driven by the interop tests.

usage: persistent_session.py HOST PORT CLIENT_ID VERSION MODE [COUNT] TOPIC
  VERSION  3 (MQTT 3.1.1) or 5 (MQTT 5.0)
  MODE     subscribe        persistent session: subscribe TOPIC at QoS 1, disconnect
           receive COUNT    resume the session, print every message, exit 0 once COUNT arrived
           publish COUNT    clean session, publish COUNT QoS 1 messages "m<i>" to TOPIC, each PUBACKed
Prints one line per event (SUBSCRIBED, SESSION_PRESENT <0|1>, MSG <topic> <qos> <dup> <payload>, PUBLISHED <n>).
"""
import sys
import threading
import paho.mqtt.client as mqtt
from paho.mqtt.properties import Properties
from paho.mqtt.packettypes import PacketTypes

host, port, client_id, version, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
count = int(sys.argv[6]) if mode in ("receive", "publish") else 0
topic = sys.argv[-1]
v5 = version == "5"
persistent = mode != "publish"

connected = threading.Event()
done = threading.Event()
received = []


def on_connect(client, userdata, flags, rc, properties=None):
    print("SESSION_PRESENT", 1 if flags.get("session present") else 0, flush=True)
    connected.set()


def on_message(client, userdata, message):
    received.append(message)
    print("MSG", message.topic, message.qos, int(message.dup), message.payload.decode(), flush=True)
    if mode == "receive" and len(received) >= count:
        done.set()


if v5:
    client = mqtt.Client(client_id=client_id, protocol=mqtt.MQTTv5)
else:
    client = mqtt.Client(client_id=client_id, clean_session=not persistent, protocol=mqtt.MQTTv311)
client.on_connect = on_connect
client.on_message = on_message

if v5:
    props = Properties(PacketTypes.CONNECT)
    if persistent:
        props.SessionExpiryInterval = 3600
    client.connect(host, port, keepalive=30, clean_start=not persistent, properties=props)
else:
    client.connect(host, port, keepalive=30)
client.loop_start()
if not connected.wait(10):
    print("NO_CONNACK", flush=True)
    sys.exit(2)

if mode == "subscribe":
    result, mid = client.subscribe(topic, qos=1)
    subscribed = threading.Event()
    client.on_subscribe = lambda *args: subscribed.set()
    if not subscribed.wait(10):
        print("NO_SUBACK", flush=True)
        sys.exit(2)
    print("SUBSCRIBED", flush=True)
elif mode == "receive":
    if not done.wait(20):
        print("RECEIVED_ONLY", len(received), flush=True)
        sys.exit(1)
elif mode == "publish":
    for i in range(1, count + 1):
        info = client.publish(topic, "m%d" % i, qos=1)
        info.wait_for_publish(10)
        if not info.is_published():
            print("NOT_ACKED", i, flush=True)
            sys.exit(1)
    print("PUBLISHED", count, flush=True)

client.disconnect()
client.loop_stop()
sys.exit(0)
