// MQTT.js against EdgeBroker, driven by the interop tests.
// usage: node mqtt/pubsub.js URL VERSION COUNT TOPIC [CA_FILE]
//   URL      mqtt://127.0.0.1:<port> (TCP) or ws://127.0.0.1:<port>/mqtt (WebSocket, subprotocol mqtt);
//            mqtts:// and wss:// with CA_FILE, the PEM CA the broker's certificate chains to
//   VERSION  4 (3.1.1) or 5
// Subscribes TOPIC at QoS 1, publishes COUNT QoS 1 messages "m<i>" (each acknowledged), prints one JSON line
// {"received":[...],"acked":n} once every message came back, and exits 0; exits 2 on timeout or error.
'use strict';
const mqtt = require('mqtt');

const [url, version, countText, topic, caFile] = process.argv.slice(2);
const count = Number(countText);
const received = [];
let acked = 0;

const options = { protocolVersion: Number(version), clientId: 'mqttjs-' + process.pid, reconnectPeriod: 0 };
if (caFile) {
  options.ca = require('fs').readFileSync(caFile);
}
const client = mqtt.connect(url, options);
const timer = setTimeout(() => {
  console.log(JSON.stringify({ error: 'timeout', received, acked }));
  process.exit(2);
}, 15000);

function finishIfDone() {
  if (received.length >= count && acked >= count) {
    clearTimeout(timer);
    console.log(JSON.stringify({ received, acked }));
    client.end(false, () => process.exit(0));
  }
}

client.on('connect', () => {
  client.subscribe(topic, { qos: 1 }, (err) => {
    if (err) {
      console.log(JSON.stringify({ error: String(err) }));
      process.exit(2);
    }
    for (let i = 1; i <= count; i++) {
      client.publish(topic, 'm' + i, { qos: 1, properties: version === '5' ? { userProperties: { n: String(i) } } : undefined }, (e) => {
        if (e) {
          console.log(JSON.stringify({ error: String(e) }));
          process.exit(2);
        }
        acked++;
        finishIfDone();
      });
    }
  });
});
client.on('message', (t, payload, packet) => {
  received.push({ topic: t, payload: payload.toString(), qos: packet.qos });
  finishIfDone();
});
client.on('error', (e) => {
  console.log(JSON.stringify({ error: String(e) }));
  process.exit(2);
});
