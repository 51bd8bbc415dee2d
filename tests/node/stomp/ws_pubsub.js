// @stomp/stompjs over WebSocket (/stomp, subprotocol v12.stomp): topic pub/sub with a wildcard, a binary body,
// a queue with ack:client and a NACK redelivery, and a receipt. Prints one JSON line; exit 0 on success.
// usage: node ws_pubsub.js <ws url>
'use strict';
Object.assign(global, { WebSocket: require('ws') });
const { Client } = require('@stomp/stompjs');

const url = process.argv[2];
const deadline = setTimeout(() => fail(new Error('timed out')), 20000);
const result = { topic: [], binary: null, queue: [], receipt: null, errors: [] };

function fail(err) {
  process.stderr.write(String(err && err.stack || err) + '\n');
  process.exit(1);
}

function waitFor(predicate) {
  return new Promise((resolve) => {
    const tick = () => (predicate() ? resolve() : setTimeout(tick, 10));
    tick();
  });
}

const client = new Client({
  brokerURL: url,
  connectHeaders: { host: '/' },
  heartbeatIncoming: 1000,
  heartbeatOutgoing: 1000,
  reconnectDelay: 0,
  onStompError: (frame) => result.errors.push(frame.headers.message),
  onWebSocketError: (e) => fail(e && e.message || 'websocket error'),
});

client.onConnect = async (connected) => {
  try {
    result.version = connected.headers.version;

    client.subscribe('/topic/js/+/temp', (m) => result.topic.push({ body: m.body, destination: m.headers.destination, unit: m.headers.unit }));
    client.subscribe('/topic/js/bin', (m) => { result.binary = Array.from(m.binaryBody); });
    const receiptDone = new Promise((resolve) => client.watchForReceipt('js-r1', (f) => { result.receipt = f.headers['receipt-id']; resolve(); }));
    client.publish({ destination: '/topic/js/warmup', body: 'w', headers: { receipt: 'js-r1' } });
    await receiptDone; // frames are handled in order: both SUBSCRIBEs are active now

    client.publish({ destination: '/topic/js/a/temp', body: '20.5', headers: { unit: 'C' } });
    client.publish({ destination: '/topic/js/a/other', body: 'no' });
    client.publish({ destination: '/topic/js/b/temp', body: '22.0', headers: { unit: 'C' } });
    client.publish({ destination: '/topic/js/bin', binaryBody: new Uint8Array([0, 1, 2, 0, 255]) });
    await waitFor(() => result.topic.length >= 2 && result.binary !== null);

    client.publish({ destination: '/queue/js-jobs', body: 'job-a' });
    client.publish({ destination: '/queue/js-jobs', body: 'job-b' });
    let nacked = false;
    client.subscribe('/queue/js-jobs', (m) => {
      result.queue.push({ body: m.body, redelivered: m.headers.redelivered });
      if (m.body === 'job-a' && !nacked) {
        nacked = true;
        m.nack();
      } else {
        m.ack();
      }
    }, { ack: 'client-individual', 'prefetch-count': '5' });
    await waitFor(() => result.queue.length >= 3);

    clearTimeout(deadline);
    await client.deactivate();
    process.stdout.write(JSON.stringify(result) + '\n');
    process.exit(0);
  } catch (e) {
    fail(e);
  }
};

client.activate();
