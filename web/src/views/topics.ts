// Topic explorer: a live tree of every topic seen on the hub's "#" subscription (last value, count,
// rate); selecting a topic shows its payload (JSON, text or hex) and a history chart of its numeric
// values read back from a stream that captures it.
import { api, StreamInfo } from "../api";
import { LineChart } from "../chart";
import { clear, h, setText } from "../dom";
import { formatBytes, formatCount, formatRate, formatTime, hexDump, numericValue, prettyJson } from "../format";
import { readHistory, streamsFor } from "../history";
import { BrokerHub, HubMessage } from "../hub";
import { TopicNode, TopicTree } from "../topicTree";
import { View } from "../view";

type PayloadMode = "auto" | "json" | "text" | "hex";

export function topicsView(hub: BrokerHub): View {
  const tree = new TopicTree();
  const rows = new Map<string, HTMLElement>();
  const collapsed = new Set<string>();
  let selected: TopicNode | null = null;
  let mode: PayloadMode = "auto";
  let historyStream: StreamInfo | null = null;
  let historyLoad = 0; // only the latest history load may draw

  const list = h("div", { class: "tree", role: "tree", "data-testid": "topic-tree" });
  const empty = h("p", { class: "muted tree-empty" }, "No topics yet. Messages published on any protocol appear here.");
  const status = h("span", { class: "muted" }, "");
  const filterInput = h("input", { type: "search", placeholder: "filter topics", "aria-label": "filter topics", oninput: () => { tree.structureChanged = true; } });

  // Detail pane.
  const detailTitle = h("h3", { class: "detail-topic", "data-testid": "detail-topic" }, "Select a topic");
  const detailMeta = h("div", { class: "meta muted" }, "");
  const payloadPre = h("pre", { class: "payload", "data-testid": "payload" }, "");
  const modeButtons = (["auto", "json", "text", "hex"] as PayloadMode[]).map((m) =>
    h("button", { type: "button", class: m === mode ? "seg active" : "seg", "data-mode": m, onclick: () => setMode(m) }, m === "auto" ? "Auto" : m.toUpperCase()),
  );
  const streamSelect = h("select", { "aria-label": "history stream", "data-testid": "history-stream", onchange: () => void loadHistory() });
  const historyInfo = h("span", { class: "muted", "data-testid": "history-info" }, "");
  const historyCanvas = h("canvas", { class: "chart", "data-chart": "history" });
  const history = new LineChart(historyCanvas, { series: [{ label: "value", color: "#2f7ed8" }], windowMs: 0, emptyText: "no numeric history" });

  const detail = h(
    "div",
    { class: "card detail" },
    detailTitle,
    detailMeta,
    h("div", { class: "segmented" }, ...modeButtons),
    payloadPre,
    h("div", { class: "history-head" }, h("h3", {}, "History"), streamSelect, h("button", { type: "button", onclick: () => void loadHistory() }, "Reload"), historyInfo),
    historyCanvas,
  );

  const element = h(
    "section",
    { class: "view", id: "view-topics" },
    h(
      "div",
      { class: "split" },
      h("div", { class: "card tree-card" }, h("div", { class: "toolbar" }, filterInput, status), h("div", { class: "tree-head" }, h("span", {}, "Topic"), h("span", {}, "Last value"), h("span", { class: "num" }, "Count"), h("span", { class: "num" }, "msg/s")), empty, list),
      detail,
    ),
  );

  function setMode(m: PayloadMode): void {
    mode = m;
    modeButtons.forEach((b) => b.classList.toggle("active", b.dataset.mode === m));
    renderPayload();
  }

  function row(node: TopicNode): HTMLElement {
    let el = rows.get(node.path);
    if (el) return el;
    const toggle = h("span", { class: "toggle" }, "");
    el = h(
      "div",
      { class: "row", role: "treeitem", "data-topic": node.path, onclick: (e: Event) => {
        if (e.target === toggle && node.children.size > 0) {
          if (collapsed.has(node.path)) collapsed.delete(node.path);
          else collapsed.add(node.path);
          tree.structureChanged = true;
          return;
        }
        select(node.path);
      } },
      h("span", { class: "name", style: `padding-left:${node.depth * 14}px` }, toggle, h("span", {}, node.name || "(empty)")),
      h("span", { class: "value" }, ""),
      h("span", { class: "num count" }, ""),
      h("span", { class: "num rate" }, ""),
    );
    rows.set(node.path, el);
    return el;
  }

  function visibleNodes(): TopicNode[] {
    const needle = filterInput.value.trim().toLowerCase();
    const out: TopicNode[] = [];
    const walk = (node: TopicNode) => {
      for (const child of node.sortedChildren()) {
        if (!needle || child.path.toLowerCase().includes(needle) || [...tree.byPath.keys()].some((p) => p.startsWith(child.path + "/") && p.toLowerCase().includes(needle))) {
          out.push(child);
          if (!collapsed.has(child.path)) walk(child);
        }
      }
    };
    walk(tree.root);
    return out;
  }

  function render(): void {
    if (tree.structureChanged) {
      tree.structureChanged = false;
      const nodes = visibleNodes();
      const fragment = document.createDocumentFragment();
      for (const node of nodes) {
        const el = row(node);
        setText(el.querySelector(".toggle")!, node.children.size === 0 ? "" : collapsed.has(node.path) ? "▸" : "▾");
        fragment.appendChild(el);
      }
      clear(list);
      list.appendChild(fragment);
      empty.hidden = tree.byPath.size > 0;
      const topics = [...tree.byPath.values()].filter((n) => n.count > 0).length;
      setText(status, `${formatCount(topics)} ${topics === 1 ? "topic" : "topics"}`);
    }
    for (const node of tree.byPath.values()) {
      if (!node.dirty) continue;
      node.dirty = false;
      const el = rows.get(node.path);
      if (!el) continue;
      setText(el.querySelector(".value")!, node.last ? summary(node) : "");
      setText(el.querySelector(".count")!, node.count > 0 ? formatCount(node.count) : "");
      setText(el.querySelector(".rate")!, node.count > 0 ? formatRate(node.rate) : "");
      el.classList.toggle("selected", node === selected);
    }
  }

  function summary(node: TopicNode): string {
    const last = node.last!;
    if (last.payload.text === null) return `<${formatBytes(last.payload.bytes.length)} binary>`;
    return last.payload.text.length > 80 ? last.payload.text.slice(0, 80) + "…" : last.payload.text;
  }

  function renderPayload(): void {
    const last = selected?.last;
    if (!selected || !last) {
      setText(payloadPre, selected ? "No message seen on this topic since the page opened." : "");
      setText(detailMeta, "");
      return;
    }
    const headerText = last.headers && Object.keys(last.headers).length > 0 ? " · headers " + Object.entries(last.headers).map(([k, v]) => `${k}=${v}`).join(", ") : "";
    setText(detailMeta, `${last.protocol} · ${formatTime(last.timestamp)} · QoS ${last.qos}${last.retained ? " · retained" : ""} · ${formatBytes(last.payload.bytes.length)}${last.contentType ? " · " + last.contentType : ""}${headerText}`);
    const json = prettyJson(last.payload.text);
    let text: string;
    if (mode === "hex" || (mode === "auto" && last.payload.text === null)) text = hexDump(last.payload.bytes);
    else if (mode === "json" || (mode === "auto" && json !== null)) text = json ?? "(not JSON)\n" + (last.payload.text ?? "");
    else text = last.payload.text ?? "(binary payload: use HEX)";
    setText(payloadPre, text);
  }

  function select(path: string): void {
    const previous = selected;
    selected = tree.node(path);
    if (previous) previous.dirty = true;
    selected.dirty = true;
    setText(detailTitle, path);
    const hash = `#topics?topic=${encodeURIComponent(path)}`;
    if (location.hash !== hash) replaceHash(hash);
    renderPayload();
    render();
    void chooseStream();
  }

  async function chooseStream(): Promise<void> {
    const topic = selected!.path;
    let candidates: StreamInfo[] = [];
    try {
      candidates = streamsFor(topic, await api.get<StreamInfo[]>("/api/streams"));
    } catch (e) {
      setText(historyInfo, String(e));
    }
    clear(streamSelect);
    for (const s of candidates) streamSelect.appendChild(h("option", { value: s.name }, s.name));
    if (candidates.length === 0) streamSelect.appendChild(h("option", { value: "" }, "no stream captures this topic"));
    streamSelect.dataset.streams = JSON.stringify(candidates);
    await loadHistory();
  }

  async function loadHistory(): Promise<void> {
    const topic = selected?.path;
    const candidates = JSON.parse(streamSelect.dataset.streams ?? "[]") as StreamInfo[];
    historyStream = candidates.find((s) => s.name === streamSelect.value) ?? null;
    const load = ++historyLoad;
    history.clear();
    historyCanvas.dataset.state = "loading";
    if (!topic || !historyStream) {
      setText(historyInfo, "");
      historyCanvas.dataset.state = "empty";
      return;
    }
    try {
      // Fresh offsets: the list may be seconds old.
      const fresh = await api.get<StreamInfo>(`/api/streams/${encodeURIComponent(historyStream.name)}`);
      const { points, source } = await readHistory(hub, fresh, topic);
      if (load !== historyLoad) return;
      history.set(0, points);
      historyCanvas.dataset.source = source;
      const ys = points.map((p) => p.y);
      setText(historyInfo, points.length === 0 ? "no numeric values" : `${formatCount(points.length)} values · min ${Math.min(...ys)} · max ${Math.max(...ys)} · last ${ys[ys.length - 1]}`);
      historyCanvas.dataset.state = "loaded";
    } catch (e) {
      if (load !== historyLoad) return;
      setText(historyInfo, String(e));
      historyCanvas.dataset.state = "error";
    }
  }

  function onMessage(message: HubMessage): void {
    const node = tree.add(message);
    if (node === selected) {
      renderPayload();
      const value = numericValue(node.last!.payload.text);
      if (value !== null && historyStream && historyCanvas.dataset.state === "loaded" && !message.retained) history.push(0, message.timestamp, value);
    }
  }

  hub.subscribe("#", onMessage).catch((e: unknown) => setText(status, `live topics unavailable: ${e instanceof Error ? e.message.replace(/^.*HubException: /, "") : String(e)}`));
  // A history read over HTTP before the hub came up is read again through the hub (and after a reconnect).
  hub.onStatus((s) => {
    if (s === "connected" && selected) void loadHistory();
  });
  window.setInterval(render, 250);
  window.setInterval(() => tree.tick(1), 1000);

  return {
    id: "topics",
    title: "Topics",
    element,
    show(params) {
      const topic = params.get("topic");
      if (topic && topic !== selected?.path) select(topic);
    },
    hide: () => undefined,
  };
}

function replaceHash(hash: string): void {
  window.history.replaceState(null, "", hash);
}
