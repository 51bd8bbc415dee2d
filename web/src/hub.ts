// The connection to the broker's SignalR hub (/hubs/broker). Views register subscriptions here; the
// registrations survive reconnects (they are invoked again and get new ids). When the hub is not
// reachable the dashboard keeps working on the HTTP API alone and retries the hub in the background.
import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";

export interface HubMessage {
  subscriptionId: string;
  topic: string;
  payload: string;
  encoding: "text" | "base64";
  contentType: string | null;
  headers: Record<string, string> | null;
  protocol: string;
  timestamp: number;
  qos: number;
  retained: boolean;
}

export interface StreamRecord {
  stream: string;
  partition: number;
  offset: number;
  timestamp: number;
  topic: string;
  key: string | null;
  payload: string;
  encoding: "text" | "base64";
  contentType: string | null;
}

export interface HubStats {
  time: number;
  uptimeSeconds: number;
  connections: Record<string, number>;
  messagesIn: number;
  messagesOut: number;
  bytesIn: number;
  bytesOut: number;
  messagesInPerSec: number;
  messagesOutPerSec: number;
  bytesInPerSec: number;
  bytesOutPerSec: number;
  storageBytes: number;
  queues?: { name: string; ready: number; unacked: number; consumers: number; deadLettered: number }[];
}

export interface PublishRequest {
  topic: string;
  payload: string;
  encoding?: "text" | "base64";
  contentType?: string;
  qos?: number;
  retain?: boolean;
  headers?: Record<string, string>;
}

export interface ReadStreamRequest {
  stream: string;
  partition?: number;
  from?: "first" | "last" | "offset" | "timestamp";
  offset?: number;
  max?: number;
}

type Handler = (payload: never) => void;

interface Registration {
  method: "subscribe" | "watchStats";
  args: unknown[];
  handler: Handler;
  id: string | null;
}

export type HubStatus = "connecting" | "connected" | "offline";

export class BrokerHub {
  private readonly connection: HubConnection;
  private readonly registrations = new Set<Registration>();
  private readonly byId = new Map<string, Registration>();
  private readonly statusListeners: ((status: HubStatus) => void)[] = [];
  private statusValue: HubStatus = "connecting";

  constructor(url = "/hubs/broker") {
    this.connection = new HubConnectionBuilder()
      .withUrl(url)
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => Math.min(10_000, 500 * 2 ** ctx.previousRetryCount) })
      .configureLogging(LogLevel.None)
      .build();
    const dispatch = (payload: { subscriptionId: string }) => this.byId.get(payload.subscriptionId)?.handler(payload as never);
    this.connection.on("message", dispatch);
    this.connection.on("stats", dispatch);
    this.connection.on("streamRecord", dispatch);
    this.connection.onreconnecting(() => this.setStatus("connecting"));
    this.connection.onreconnected(() => void this.restore());
    this.connection.onclose(() => {
      this.setStatus("offline");
      this.retryLater();
    });
  }

  get status(): HubStatus {
    return this.statusValue;
  }

  get connected(): boolean {
    return this.connection.state === HubConnectionState.Connected;
  }

  onStatus(listener: (status: HubStatus) => void): void {
    this.statusListeners.push(listener);
    listener(this.statusValue);
  }

  async start(): Promise<void> {
    try {
      await this.connection.start();
      await this.restore();
    } catch {
      this.setStatus("offline");
      this.retryLater();
    }
  }

  /** Live messages matching an MQTT filter, from every protocol; retained ones first. */
  subscribe(filter: string, handler: (message: HubMessage) => void): Promise<Registration> {
    return this.register({ method: "subscribe", args: [filter], handler: handler as Handler, id: null });
  }

  watchStats(handler: (stats: HubStats) => void): Promise<Registration> {
    return this.register({ method: "watchStats", args: [], handler: handler as Handler, id: null });
  }

  async unregister(registration: Registration): Promise<void> {
    this.registrations.delete(registration);
    if (registration.id !== null) {
      this.byId.delete(registration.id);
      if (this.connected) await this.connection.invoke("unsubscribe", registration.id);
    }
  }

  publish(request: PublishRequest): Promise<{ outcome: string }> {
    return this.connection.invoke("publish", request);
  }

  readStream(request: ReadStreamRequest): Promise<StreamRecord[]> {
    return this.connection.invoke("readStream", request);
  }

  /** Registers even while offline (the call then throws, but the registration is restored on connect). */
  private async register(registration: Registration): Promise<Registration> {
    this.registrations.add(registration);
    if (this.connected) {
      try {
        await this.activate(registration);
      } catch (e) {
        this.registrations.delete(registration); // refused (invalid filter, ACL): not restored later either
        throw e;
      }
    }
    return registration;
  }

  private async activate(registration: Registration): Promise<void> {
    const id = await this.connection.invoke<string>(registration.method, ...registration.args);
    registration.id = id;
    this.byId.set(id, registration);
  }

  private async restore(): Promise<void> {
    this.byId.clear();
    for (const registration of this.registrations) {
      try {
        await this.activate(registration);
      } catch {
        // An invalid or denied filter stays inactive; the view that made it shows the error.
      }
    }
    // Only now: "connected" promises that the views' subscriptions are in place.
    this.setStatus("connected");
  }

  private retryLater(): void {
    window.setTimeout(() => {
      if (this.connection.state === HubConnectionState.Disconnected) void this.start();
    }, 5_000);
  }

  private setStatus(status: HubStatus): void {
    this.statusValue = status;
    for (const listener of this.statusListeners) listener(status);
  }
}

export type { Registration };
