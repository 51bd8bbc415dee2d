// Streams: partitions with offsets and sizes, consumer groups and their lag.
import { api, GroupInfo, StreamInfo } from "../api";
import { clear, h, setText } from "../dom";
import { formatBytes, formatCount } from "../format";
import { KeyedTable } from "../table";
import { Poller, View } from "../view";

interface StreamCard {
  element: HTMLElement;
  summary: HTMLElement;
  partitions: KeyedTable<StreamInfo["partitionStats"][number]>;
  groups: HTMLElement;
}

export function streamsView(): View {
  const list = h("div", { class: "stream-list" });
  const empty = h("p", { class: "muted" }, "No streams declared.");
  const message = h("div", { class: "result muted", role: "status" }, "");
  const cards = new Map<string, StreamCard>();

  function card(s: StreamInfo): StreamCard {
    let c = cards.get(s.name);
    if (c) return c;
    const summary = h("div", { class: "meta muted" }, "");
    const partitions = new KeyedTable<StreamInfo["partitionStats"][number]>(
      [
        { title: "Partition", numeric: true, cell: (p) => String(p.partition) },
        { title: "Start offset", numeric: true, cell: (p) => formatCount(p.startOffset) },
        { title: "End offset", numeric: true, cell: (p) => formatCount(p.endOffset) },
        { title: "Records", numeric: true, cell: (p) => formatCount(p.endOffset - p.startOffset) },
        { title: "Size", numeric: true, cell: (p) => formatBytes(p.sizeBytes) },
        { title: "Segments", numeric: true, cell: (p) => formatCount(p.segments) },
        { title: "State", cell: (p) => (p.isReadOnly ? "read-only" : "ok") },
      ],
      (p) => String(p.partition),
    );
    const groups = h("div", { class: "groups" });
    const element = h("div", { class: "card", "data-stream": s.name }, h("h3", {}, s.name), summary, partitions.element, h("h4", {}, "Consumer groups"), groups);
    c = { element, summary, partitions, groups };
    cards.set(s.name, c);
    return c;
  }

  function renderGroups(target: HTMLElement, groups: GroupInfo[]): void {
    const text = JSON.stringify(groups);
    if (target.dataset.last === text) return;
    target.dataset.last = text;
    clear(target);
    if (groups.length === 0) {
      target.appendChild(h("p", { class: "muted" }, "No consumer groups."));
      return;
    }
    for (const g of groups) {
      const lag = new KeyedTable<GroupInfo["partitions"][number]>(
        [
          { title: "Partition", numeric: true, cell: (p) => String(p.partition) },
          { title: "Owner", cell: (p) => p.owner ?? "—" },
          { title: "Committed", numeric: true, cell: (p) => (p.committed === null ? "—" : formatCount(p.committed)) },
          { title: "End offset", numeric: true, cell: (p) => formatCount(p.endOffset) },
          { title: "Lag", numeric: true, cell: (p) => formatCount(p.lag) },
        ],
        (p) => String(p.partition),
      );
      lag.update(g.partitions);
      target.appendChild(h("div", { class: "group" }, h("div", { class: "meta" }, h("strong", {}, g.group), ` · generation ${g.generation} · ${g.members.length} members · total lag `, h("strong", { class: "num" }, formatCount(g.totalLag))), lag.element));
    }
  }

  const poller = new Poller(2000, async () => {
    try {
      const streams = (await api.get<StreamInfo[]>("/api/streams")).sort((a, b) => a.name.localeCompare(b.name));
      empty.hidden = streams.length > 0;
      const groups = await Promise.all(streams.map((s) => api.get<GroupInfo[]>(`/api/streams/${encodeURIComponent(s.name)}/groups`).catch(() => [] as GroupInfo[])));
      streams.forEach((s, i) => {
        const c = card(s);
        setText(c.summary, `${s.partitions} partitions · ${s.partitioning} · filters ${s.filters.join(", ") || "none"} · ${formatCount(s.records)} records · ${formatBytes(s.sizeBytes)} · appended ${formatCount(s.appended)}${s.failed > 0 ? ` · failed ${formatCount(s.failed)}` : ""}`);
        c.partitions.update(s.partitionStats);
        renderGroups(c.groups, groups[i]);
        if (list.children[i] !== c.element) list.insertBefore(c.element, list.children[i] ?? null);
      });
      for (const [name, c] of cards) {
        if (!streams.some((s) => s.name === name)) {
          c.element.remove();
          cards.delete(name);
        }
      }
      setText(message, "");
    } catch (e) {
      setText(message, String(e));
    }
  });

  const element = h("section", { class: "view", id: "view-streams" }, empty, list, message);
  return { id: "streams", title: "Streams", element, show: () => poller.start(), hide: () => poller.stop() };
}
