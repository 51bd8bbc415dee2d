// One stream of broker statistics for the overview: the hub's `stats` feed when the hub is connected,
// otherwise the HTTP API polled once a second (rates computed from counter differences).
import { api, Overview, storageFromMetrics } from "./api";
import { BrokerHub, HubStats } from "./hub";

export interface Stats {
  time: number;
  uptimeSeconds: number;
  /** Connections by protocol; null when only the HTTP API is available (it does not count them). */
  connections: Record<string, number> | null;
  messagesIn: number;
  messagesOut: number;
  messagesInPerSec: number;
  messagesOutPerSec: number;
  bytesInPerSec: number;
  bytesOutPerSec: number;
  storageBytes: number | null;
  /** Ready plus unacknowledged messages over every queue. */
  queuedMessages: number;
  source: "hub" | "http";
}

export class StatsFeed {
  private readonly listeners: ((stats: Stats) => void)[] = [];
  private lastHubStats = 0;
  private previous: { time: number; overview: Overview } | null = null;
  private polling = false;

  constructor(private readonly hub: BrokerHub) {}

  onStats(listener: (stats: Stats) => void): void {
    this.listeners.push(listener);
  }

  start(): void {
    void this.hub.watchStats((s) => this.fromHub(s));
    void this.poll();
    window.setInterval(() => void this.poll(), 1000);
  }

  private fromHub(s: HubStats): void {
    this.lastHubStats = Date.now();
    this.emit({
      time: s.time,
      uptimeSeconds: s.uptimeSeconds,
      connections: s.connections,
      messagesIn: s.messagesIn,
      messagesOut: s.messagesOut,
      messagesInPerSec: s.messagesInPerSec,
      messagesOutPerSec: s.messagesOutPerSec,
      bytesInPerSec: s.bytesInPerSec,
      bytesOutPerSec: s.bytesOutPerSec,
      storageBytes: s.storageBytes,
      queuedMessages: (s.queues ?? []).reduce((n, q) => n + q.ready + q.unacked, 0),
      source: "hub",
    });
  }

  private async poll(): Promise<void> {
    // The hub feed is authoritative while it flows; HTTP fills in when it does not.
    if (this.polling || Date.now() - this.lastHubStats < 2500) return;
    this.polling = true;
    try {
      const [overview, metrics] = await Promise.all([api.get<Overview>("/api/overview"), api.get<string>("/metrics")]);
      const now = Date.now();
      const prev = this.previous;
      const dt = prev ? (now - prev.time) / 1000 : 0;
      const rate = (a: number, b: number) => (prev && dt > 0 ? Math.max(0, (a - b) / dt) : Number.NaN); // no rate before two samples
      this.previous = { time: now, overview };
      this.emit({
        time: now,
        uptimeSeconds: overview.uptimeSeconds,
        connections: null,
        messagesIn: overview.messagesIn,
        messagesOut: overview.messagesOut,
        messagesInPerSec: rate(overview.messagesIn, prev?.overview.messagesIn ?? 0),
        messagesOutPerSec: rate(overview.messagesOut, prev?.overview.messagesOut ?? 0),
        bytesInPerSec: rate(overview.bytesIn, prev?.overview.bytesIn ?? 0),
        bytesOutPerSec: rate(overview.bytesOut, prev?.overview.bytesOut ?? 0),
        storageBytes: storageFromMetrics(metrics),
        queuedMessages: overview.readyMessages + overview.unackedMessages,
        source: "http",
      });
    } catch {
      // Broker unreachable: the status badge says so; keep the last numbers on screen.
    } finally {
      this.polling = false;
    }
  }

  private emit(stats: Stats): void {
    for (const listener of this.listeners) listener(stats);
  }
}
