// Queues: depth, consumers, unacked, dead letters, throughput counters; purge.
import { api, QueueStats } from "../api";
import { h, setText } from "../dom";
import { formatBytes, formatCount } from "../format";
import { KeyedTable } from "../table";
import { Poller, View } from "../view";

export function queuesView(): View {
  const message = h("div", { class: "result muted", role: "status" }, "");
  const table = new KeyedTable<QueueStats>(
    [
      { title: "Queue", cell: (q) => q.name },
      { title: "Ready", numeric: true, cell: (q) => formatCount(q.ready) },
      { title: "Unacked", numeric: true, cell: (q) => formatCount(q.unacked) },
      { title: "Consumers", numeric: true, cell: (q) => formatCount(q.consumers) },
      { title: "Dead-lettered", numeric: true, cell: (q) => formatCount(q.deadLettered) },
      { title: "Published", numeric: true, cell: (q) => formatCount(q.published) },
      { title: "Delivered", numeric: true, cell: (q) => formatCount(q.delivered) },
      { title: "Redelivered", numeric: true, cell: (q) => formatCount(q.redelivered) },
      { title: "Size", numeric: true, cell: (q) => formatBytes(q.sizeBytes) },
    ],
    (q) => q.name,
    [{
      label: "Purge",
      confirm: true,
      run: async (q) => {
        try {
          const r = await api.post<{ purged: number }>(`/api/queues/${encodeURIComponent(q.name)}/purge`);
          setText(message, `Purged ${formatCount(r.purged)} messages from ${q.name}.`);
        } catch (e) {
          setText(message, String(e));
        }
        poller.refresh();
      },
    }],
    "No queues declared.",
  );
  const poller = new Poller(2000, async () => {
    try {
      table.update((await api.get<QueueStats[]>("/api/queues")).sort((a, b) => a.name.localeCompare(b.name)));
    } catch (e) {
      setText(message, String(e));
    }
  });
  const element = h("section", { class: "view", id: "view-queues" }, h("div", { class: "card" }, h("h3", {}, "Queues"), table.element, message));
  return { id: "queues", title: "Queues", element, show: () => poller.start(), hide: () => poller.stop() };
}
