"""STOMP 1.2 over TLS with stomp.py: subscribe, send, receive one message, optionally with a client certificate.
usage: tls_roundtrip.py <host> <port> <ca-file> <destination> [<cert-file> <key-file>]
Prints one JSON line: the messages received and any ERROR frames."""
import ssl
import sys
import types

import stomp

from common import Collector, emit, frame_json


def tls12_context(protocol=ssl.PROTOCOL_TLS_CLIENT):
    """stomp.py 8.0 reads (its receiver thread) and writes (the caller) one SSLSocket at the same time. CPython's ssl
    is not safe for that while TLS 1.3 post-handshake messages are read: OpenSSL-based servers (EdgeBroker on Linux,
    whose .NET SslStream cannot turn TLS 1.3 session tickets off) send tickets right after the handshake, and about
    one connection in ten then fails with "bad record mac" or "internal error" on the first write. TLS 1.2 sends its
    ticket inside the handshake, so this client is capped at TLS 1.2; TLS 1.3 is covered by mosquitto and MQTT.js."""
    context = ssl.SSLContext(protocol)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    return context


# Only stomp.transport sees the capped context (replacing ssl.SSLContext itself breaks the ssl module).
stomp.transport.ssl = types.SimpleNamespace(**{name: getattr(ssl, name) for name in dir(ssl) if not name.startswith('__')})
stomp.transport.ssl.SSLContext = tls12_context


host, port, ca_file, destination = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
cert_file = sys.argv[5] if len(sys.argv) > 6 else None
key_file = sys.argv[6] if len(sys.argv) > 6 else None

conn = stomp.Connection12([(host, port)], heartbeats=(0, 0))
conn.set_ssl(for_hosts=[(host, port)], ca_certs=ca_file, cert_file=cert_file, key_file=key_file)
events = Collector()
conn.set_listener('collector', events)
conn.connect(wait=True, headers={'client-id': 'py-tls'})

conn.subscribe(destination, id='tls', ack='auto', headers={'receipt': 'sub-1'})
events.wait_receipt('sub-1')
conn.send(destination, 'over-tls', headers={'receipt': 'send-1'})
events.wait_receipt('send-1')
events.wait_messages(1)
conn.disconnect(receipt='bye')
emit({'messages': [frame_json(m) for m in events.messages], 'errors': events.errors})
