// Overview: connections by protocol, message and byte rates as live charts, storage use, uptime.
import { compactNumber, legend, LineChart } from "../chart";
import { h, setText } from "../dom";
import { formatBytes, formatCount, formatDuration, formatRate } from "../format";
import { Stats, StatsFeed } from "../stats";
import { View } from "../view";

const IN = "#2f7ed8";
const OUT = "#e4892b";
const WINDOW_MS = 120_000;

export function overviewView(feed: StatsFeed): View {
  const tiles = new Map<string, HTMLElement>();
  const tile = (key: string, label: string, sub?: string) => {
    const value = h("div", { class: "tile-value", "data-stat": key }, "—");
    tiles.set(key, value);
    return h("div", { class: "tile" }, h("div", { class: "tile-label" }, label), value, sub ? h("div", { class: "tile-sub", "data-sub": key }, sub) : null);
  };

  const messagesCanvas = h("canvas", { class: "chart", "data-chart": "messages" });
  const bytesCanvas = h("canvas", { class: "chart", "data-chart": "bytes" });
  const messageSeries = [{ label: "in / s", color: IN }, { label: "out / s", color: OUT }];
  const byteSeries = [{ label: "bytes in / s", color: IN }, { label: "bytes out / s", color: OUT }];

  const element = h(
    "section",
    { class: "view", id: "view-overview" },
    h(
      "div",
      { class: "tiles" },
      tile("uptime", "Uptime"),
      tile("connections", "Connections", "MQTT · STOMP · SignalR"),
      tile("inRate", "Messages in / s"),
      tile("outRate", "Messages out / s"),
      tile("messagesIn", "Messages in (total)"),
      tile("messagesOut", "Messages out (total)"),
      tile("queued", "Queued messages", "ready + unacked"),
      tile("storage", "Storage used"),
    ),
    h(
      "div",
      { class: "charts" },
      h("div", { class: "card" }, h("h3", {}, "Messages per second"), legend(messageSeries), messagesCanvas),
      h("div", { class: "card" }, h("h3", {}, "Bytes per second"), legend(byteSeries), bytesCanvas),
    ),
  );

  const messages = new LineChart(messagesCanvas, { series: messageSeries, windowMs: WINDOW_MS, emptyText: "waiting for data" });
  const bytes = new LineChart(bytesCanvas, { series: byteSeries, windowMs: WINDOW_MS, formatY: (v) => (v < 1024 ? compactNumber(v) : formatBytes(v).replace(" ", "")), emptyText: "waiting for data" });

  const set = (key: string, text: string) => setText(tiles.get(key)!, text);
  feed.onStats((s: Stats) => {
    set("uptime", formatDuration(s.uptimeSeconds));
    if (s.connections) {
      const c = s.connections;
      const total = Object.values(c).reduce((a, b) => a + b, 0);
      set("connections", formatCount(total));
      setText(element.querySelector('[data-sub="connections"]')!, `MQTT ${c.mqtt ?? 0} · STOMP ${c.stomp ?? 0} · SignalR ${c.signalr ?? 0}`);
    } else {
      set("connections", "—");
      setText(element.querySelector('[data-sub="connections"]')!, "needs the hub");
    }
    set("inRate", formatRate(s.messagesInPerSec));
    set("outRate", formatRate(s.messagesOutPerSec));
    set("messagesIn", formatCount(s.messagesIn));
    set("messagesOut", formatCount(s.messagesOut));
    set("queued", formatCount(s.queuedMessages));
    set("storage", formatBytes(s.storageBytes));
    messages.push(0, s.time, s.messagesInPerSec);
    messages.push(1, s.time, s.messagesOutPerSec);
    bytes.push(0, s.time, s.bytesInPerSec);
    bytes.push(1, s.time, s.bytesOutPerSec);
  });

  return { id: "overview", title: "Overview", element, show: () => undefined, hide: () => undefined };
}
