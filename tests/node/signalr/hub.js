// @microsoft/signalr against EdgeBroker's hub (/hubs/broker), driven by the interop tests.
// usage: node signalr/hub.js MODE URL [args...] [--transport ws-skip|ws|longpolling] [--auth user:password]
//   subscribe FILTER COUNT   prints {"ready":...,"subscriptionId":...} once subscribed, then one {"message":...}
//                            line per event; {"done":true} after COUNT messages, exit 0
//   publish TOPIC PAYLOAD [QOS]  prints {"outcome":...}
//   read STREAM [MAX]        prints {"records":[...]} (readStream from first)
//   follow STREAM COUNT      prints {"ready":true} then {"streamRecord":...} lines; {"done":true} after COUNT
//   stats                    prints the first {"stats":...} event
//   connect                  prints {"connected":true} or {"error":"..."} (exit 0 either way)
// Any failure prints {"error":"..."} and exits 2; a 20 s timeout exits 3.
'use strict';
const signalR = require('@microsoft/signalr');

const args = process.argv.slice(2);
function option(name) {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}
const transport = option('--transport') || 'ws-skip';
const auth = option('--auth');
const [mode, url, ...rest] = args;

const options = { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true };
if (transport === 'ws') options.skipNegotiation = false;
if (transport === 'longpolling') {
  options.transport = signalR.HttpTransportType.LongPolling;
  options.skipNegotiation = false;
}
if (auth) {
  // Sent as "Authorization: Bearer ..." on HTTP requests and ?access_token=... on the WebSocket request.
  options.accessTokenFactory = () => Buffer.from(auth, 'utf8').toString('base64');
}

const connection = new signalR.HubConnectionBuilder()
  .withUrl(url, options)
  .configureLogging(signalR.LogLevel.None)
  .build();

function out(obj) {
  console.log(JSON.stringify(obj));
}
function fail(err) {
  out({ error: String(err && err.message ? err.message : err) });
  process.exit(2);
}
const timer = setTimeout(() => {
  out({ error: 'timeout' });
  process.exit(3);
}, 20000);
async function finish(obj) {
  clearTimeout(timer);
  if (obj) out(obj);
  try {
    await connection.stop();
  } catch (e) {
    // already closed
  }
  process.exit(0);
}

async function main() {
  if (mode === 'connect') {
    try {
      await connection.start();
      const id = await connection.invoke('subscribe', 'probe/#');
      await finish({ connected: true, subscriptionId: id });
    } catch (e) {
      await finish({ error: String(e && e.message ? e.message : e) });
    }
    return;
  }

  await connection.start();
  if (mode === 'subscribe') {
    const [filter, countText] = rest;
    const count = Number(countText);
    let seen = 0;
    connection.on('message', (m) => {
      out({ message: m });
      seen++;
      if (seen >= count) finish({ done: true });
    });
    const id = await connection.invoke('subscribe', filter);
    out({ ready: true, subscriptionId: id, transport });
  } else if (mode === 'publish') {
    const [topic, payload, qos] = rest;
    const result = await connection.invoke('publish', { topic, payload, qos: Number(qos || 0), headers: { origin: 'node' } });
    await finish(result);
  } else if (mode === 'read') {
    const [stream, max] = rest;
    const records = await connection.invoke('readStream', { stream, from: 'first', max: Number(max || 100) });
    await finish({ records });
  } else if (mode === 'follow') {
    const [stream, countText] = rest;
    const count = Number(countText);
    let seen = 0;
    connection.on('streamRecord', (r) => {
      out({ streamRecord: r });
      seen++;
      if (seen >= count) finish({ done: true });
    });
    const id = await connection.invoke('followStream', { stream, from: 'first' });
    out({ ready: true, subscriptionId: id });
  } else if (mode === 'stats') {
    connection.on('stats', (s) => finish({ stats: s }));
    await connection.invoke('watchStats');
  } else {
    fail('unknown mode ' + mode);
  }
}

main().catch(fail);
