// Clients: every connected MQTT, STOMP and SignalR client (GET /api/clients); disconnect one.
import { api, ApiError } from "../api";
import { h, setText } from "../dom";
import { formatCount, formatDuration } from "../format";
import { KeyedTable } from "../table";
import { Poller, View } from "../view";

export interface ClientInfo {
  protocol: string;
  clientId: string;
  userName?: string | null;
  remoteAddress?: string | null;
  connectedAt?: string;
  subscriptions?: number | null;
  inFlight?: number | null;
}

export function clientsView(): View {
  const message = h("div", { class: "result muted", role: "status" }, "");
  const table = new KeyedTable<ClientInfo>(
    [
      { title: "Protocol", cell: (c) => c.protocol },
      { title: "Client id", cell: (c) => c.clientId },
      { title: "User", cell: (c) => c.userName ?? "—" },
      { title: "Address", cell: (c) => c.remoteAddress ?? "—" },
      { title: "Connected", numeric: true, cell: (c) => (c.connectedAt ? formatDuration((Date.now() - Date.parse(c.connectedAt)) / 1000) : "—") },
      { title: "Subscriptions", numeric: true, cell: (c) => formatCount(c.subscriptions) },
      { title: "In flight", numeric: true, cell: (c) => formatCount(c.inFlight) },
    ],
    (c) => `${c.protocol}/${c.clientId}`,
    [{
      label: "Disconnect",
      confirm: true,
      run: async (c) => {
        try {
          await api.delete(`/api/clients/${encodeURIComponent(c.protocol.toLowerCase())}/${encodeURIComponent(c.clientId)}`);
          setText(message, `Disconnected ${c.protocol} client ${c.clientId}.`);
        } catch (e) {
          setText(message, String(e));
        }
        poller.refresh();
      },
    }],
    "No clients connected.",
  );
  const poller = new Poller(2000, async () => {
    try {
      table.update(await api.get<ClientInfo[]>("/api/clients"));
    } catch (e) {
      setText(message, e instanceof ApiError && e.status === 404 ? "This broker does not list clients (GET /api/clients is missing)." : String(e));
    }
  });
  const element = h("section", { class: "view", id: "view-clients" }, h("div", { class: "card" }, h("h3", {}, "Connected clients"), table.element, message));
  return { id: "clients", title: "Clients", element, show: () => poller.start(), hide: () => poller.stop() };
}
