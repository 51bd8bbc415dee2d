"""Heart-beats both ways: a 1.2 connection negotiating 500 ms in each direction stays up through 3 s of
silence (stomp.py sends beats, the broker sends beats stomp.py counts), then still delivers a message.
usage: heartbeats.py <host> <port>"""
import sys
import time

import stomp

from common import Collector, emit

host, port = sys.argv[1], int(sys.argv[2])


class Beats(Collector):
    def __init__(self):
        super().__init__()
        self.beats = 0
        self.disconnects = 0

    def on_heartbeat(self):
        self.beats += 1

    def on_disconnected(self):
        self.disconnects += 1


conn = stomp.Connection12([(host, port)], heartbeats=(500, 500))
events = Beats()
conn.set_listener('beats', events)
conn.connect(wait=True)
conn.subscribe('/topic/py/heartbeat', id='h', headers={'receipt': 'ready'})
events.wait_receipt('ready')
time.sleep(3)
conn.send('/topic/py/heartbeat', 'still-here')
events.wait_messages(1)
disconnects_during_silence = events.disconnects
conn.disconnect()
emit({'beats': events.beats, 'disconnects': disconnects_during_silence,
      'messages': [m.body for m in events.messages], 'errors': events.errors})
