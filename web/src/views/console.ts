// Publish and subscribe console. Publishing goes through the hub (or POST /api/publish without it);
// subscriptions need the hub and show every matching message from any protocol.
import { api } from "../api";
import { clear, h, setText } from "../dom";
import { decodePayload, formatTime, prettyJson } from "../format";
import { BrokerHub, HubMessage, PublishRequest, Registration } from "../hub";
import { View } from "../view";

const MAX_LOG = 200;

export function consoleView(hub: BrokerHub): View {
  const topic = h("input", { name: "topic", required: true, placeholder: "sensors/room1/temp", "aria-label": "topic" });
  const payload = h("textarea", { name: "payload", rows: 5, placeholder: '{"value": 21.5}', "aria-label": "payload" });
  const contentType = h("input", { name: "contentType", placeholder: "application/json", "aria-label": "content type" });
  const qos = h("select", { name: "qos", "aria-label": "QoS" }, h("option", { value: "0" }, "QoS 0"), h("option", { value: "1", selected: true }, "QoS 1"), h("option", { value: "2" }, "QoS 2"));
  const retain = h("input", { type: "checkbox", name: "retain" });
  const headers = h("textarea", { name: "headers", rows: 2, placeholder: "name: value (one per line)", "aria-label": "headers" });
  const result = h("div", { class: "result muted", "data-testid": "publish-result", role: "status" }, "");

  const publishForm = h(
    "form",
    { class: "card form", "data-testid": "publish-form", onsubmit: (e: Event) => { e.preventDefault(); void publish(); } },
    h("h3", {}, "Publish"),
    h("label", {}, "Topic", topic),
    h("label", {}, "Payload", payload),
    h("div", { class: "row-fields" }, h("label", {}, "Content type", contentType), h("label", {}, "QoS", qos), h("label", { class: "check" }, retain, "Retain")),
    h("label", {}, "Headers", headers),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Publish"), result),
  );

  const filter = h("input", { name: "filter", placeholder: "sensors/#", "aria-label": "subscription filter" });
  const subError = h("div", { class: "result error" }, "");
  const subs = h("ul", { class: "subs" });
  const log = h("div", { class: "log", "data-testid": "message-log" });
  const subscribeForm = h(
    "form",
    { class: "card form", onsubmit: (e: Event) => { e.preventDefault(); void subscribe(); } },
    h("h3", {}, "Subscribe"),
    h("div", { class: "inline" }, filter, h("button", { type: "submit" }, "Subscribe")),
    subError,
    subs,
    h("div", { class: "log-head" }, h("span", { class: "muted" }, `Last ${MAX_LOG} messages, newest first`), h("button", { type: "button", onclick: () => clear(log) }, "Clear")),
    log,
  );

  const element = h("section", { class: "view", id: "view-console" }, h("div", { class: "split even" }, publishForm, subscribeForm));

  function parseHeaders(): Record<string, string> | undefined {
    const out: Record<string, string> = {};
    for (const line of headers.value.split("\n")) {
      const i = line.indexOf(":");
      if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  async function publish(): Promise<void> {
    const request: PublishRequest = {
      topic: topic.value.trim(),
      payload: payload.value,
      encoding: "text",
      contentType: contentType.value.trim() || undefined,
      qos: Number(qos.value),
      retain: retain.checked,
      headers: parseHeaders(),
    };
    result.className = "result muted";
    setText(result, "publishing…");
    try {
      let outcome: string;
      if (hub.connected) {
        outcome = (await hub.publish(request)).outcome;
      } else {
        const { encoding: _encoding, ...body } = request;
        outcome = (await api.post<{ outcome: string }>("/api/publish", body)).outcome;
      }
      result.className = "result ok";
      setText(result, `${outcome} · ${formatTime(Date.now())}`);
    } catch (e) {
      result.className = "result error";
      setText(result, e instanceof Error ? e.message : String(e));
    }
  }

  async function subscribe(): Promise<void> {
    const value = filter.value.trim();
    if (!value) return;
    setText(subError, "");
    if (!hub.connected) {
      setText(subError, "Subscribing needs the SignalR hub, which is not connected.");
      return;
    }
    let registration: Registration;
    try {
      registration = await hub.subscribe(value, onMessage);
      if (registration.id === null) throw new Error("the hub did not answer");
    } catch (e) {
      setText(subError, e instanceof Error ? e.message.replace(/^.*HubException: /, "") : String(e));
      return;
    }
    const item = h("li", { "data-filter": value }, h("code", {}, value), h("button", { type: "button", onclick: () => { void hub.unregister(registration); item.remove(); } }, "Unsubscribe"));
    subs.appendChild(item);
    filter.value = "";
  }

  function onMessage(m: HubMessage): void {
    const text = decodePayload(m.payload, m.encoding).text;
    const body = text === null ? `<${m.payload.length} base64 chars>` : prettyJson(text) ?? text;
    const entry = h(
      "div",
      { class: "entry" },
      h("div", { class: "entry-head" }, h("code", {}, m.topic), h("span", { class: "muted" }, `${m.protocol} · QoS ${m.qos}${m.retained ? " · retained" : ""} · ${formatTime(m.timestamp)}`)),
      h("pre", {}, body),
    );
    log.insertBefore(entry, log.firstChild);
    while (log.childElementCount > MAX_LOG) log.lastElementChild!.remove();
  }

  return { id: "console", title: "Publish & subscribe", element, show: () => undefined, hide: () => undefined };
}
