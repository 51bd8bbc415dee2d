// A steady MQTT-over-WebSocket client for the soak test: subscribes to TOPIC at QoS 1, publishes QoS 1
// messages at RATE per second for SECONDS, waits for the last ones to come back, then prints one JSON line
// {"sent":n,"acked":n,"received":n,"duplicates":n,"error":null} and exits 0 (1 when the connection failed).
// usage: node soak/ws_load.js ws://127.0.0.1:<port>/mqtt TOPIC RATE SECONDS
'use strict';
const mqtt = require('mqtt');

const [url, topic, rateText, secondsText] = process.argv.slice(2);
const rate = Number(rateText);
const seconds = Number(secondsText);
const seen = new Set();
let sent = 0;
let acked = 0;
let duplicates = 0;
let error = null;

const client = mqtt.connect(url, { protocolVersion: 4, clientId: 'soak-ws-' + process.pid, reconnectPeriod: 0, clean: true });
client.on('error', e => { error = String(e); });
client.on('close', () => { if (!finished) { error = error || 'connection closed'; finish(); } });
client.on('message', (_t, payload) => {
  const id = payload.toString();
  if (seen.has(id)) { duplicates++; } else { seen.add(id); }
});

let finished = false;
function finish() {
  if (finished) return;
  finished = true;
  console.log(JSON.stringify({ sent, acked, received: seen.size, duplicates, error }));
  client.end(true, () => process.exit(error ? 1 : 0));
  setTimeout(() => process.exit(error ? 1 : 0), 2000);
}

client.on('connect', () => {
  client.subscribe(topic, { qos: 1 }, err => {
    if (err) { error = String(err); finish(); return; }
    const started = Date.now();
    const timer = setInterval(() => {
      const due = Math.floor((Date.now() - started) / 1000 * rate);
      while (sent < due) {
        client.publish(topic, 'ws-' + sent, { qos: 1 }, e => { if (!e) acked++; });
        sent++;
      }
      if (Date.now() - started >= seconds * 1000) {
        clearInterval(timer);
        const deadline = Date.now() + 15000;
        const drain = setInterval(() => {
          if ((seen.size >= sent && acked >= sent) || Date.now() > deadline) { clearInterval(drain); finish(); }
        }, 50);
      }
    }, 20);
  });
});
