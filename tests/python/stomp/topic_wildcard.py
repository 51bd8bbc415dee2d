"""Topic pub/sub with a wildcard filter over STOMP 1.2, plus retained last values.
usage: topic_wildcard.py <host> <port>"""
import sys

from common import connect, emit, frame_json

host, port = sys.argv[1], sys.argv[2]
pub, pub_events = connect(host, port, client_id='py-pub')
sub, events = connect(host, port, client_id='py-sub')

# A retained last value published before the subscription must arrive first, marked retained.
pub.send('/topic/py/room1/temp', '19.0', headers={'retain': 'true', 'receipt': 'retain-1'})
pub_events.wait_receipt('retain-1')

sub.subscribe('/topic/py/+/temp', id='temps', ack='auto', headers={'receipt': 'sub-1'})
events.wait_receipt('sub-1')
events.wait_messages(1)

pub.send('/topic/py/room2/temp', '21.5', content_type='text/plain', headers={'unit': 'C', 'receipt': 's1'})
pub.send('/topic/py/room2/humidity', '40', headers={'receipt': 's2'})  # does not match the filter
pub.send('/topic/py/room3/temp', '23.0', headers={'receipt': 's3'})
pub_events.wait_receipt('s3')
events.wait_messages(3)

pub.disconnect(receipt='bye-pub')
sub.disconnect(receipt='bye-sub')
emit({'messages': [frame_json(m) for m in events.messages], 'errors': events.errors + pub_events.errors})
