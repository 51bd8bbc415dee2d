// Entry point: builds the views, connects to the hub, and routes by the URL hash (#overview,
// #topics?topic=a/b, ...). Hash routing keeps the server side to plain static files.
import { h, setText } from "./dom";
import { BrokerHub } from "./hub";
import { StatsFeed } from "./stats";
import { View } from "./view";
import { clientsView } from "./views/clients";
import { consoleView } from "./views/console";
import { overviewView } from "./views/overview";
import { queuesView } from "./views/queues";
import { streamsView } from "./views/streams";
import { topicsView } from "./views/topics";

const hub = new BrokerHub();
const feed = new StatsFeed(hub);
const views: View[] = [overviewView(feed), topicsView(hub), consoleView(hub), clientsView(), queuesView(), streamsView()];

const nav = document.getElementById("nav")!;
const main = document.getElementById("main")!;
const status = document.getElementById("hub-status")!;
const links = new Map<string, HTMLAnchorElement>();
for (const view of views) {
  const link = h("a", { href: `#${view.id}`, "data-view": view.id }, view.title);
  links.set(view.id, link);
  nav.appendChild(link);
  view.element.hidden = true;
  main.appendChild(view.element);
}

let current: View | null = null;
function route(): void {
  const [id, query] = location.hash.replace(/^#\/?/, "").split("?");
  const view = views.find((v) => v.id === id) ?? views[0];
  if (current !== view) {
    current?.hide();
    if (current) current.element.hidden = true;
    view.element.hidden = false;
    current = view;
    for (const [key, link] of links) link.classList.toggle("active", key === view.id);
    document.title = `${view.title} · EdgeBroker`;
  }
  view.show(new URLSearchParams(query ?? ""));
}
window.addEventListener("hashchange", route);
route();

hub.onStatus((s) => {
  status.className = `status ${s}`;
  status.dataset.status = s;
  setText(status, s === "connected" ? "live" : s === "connecting" ? "connecting…" : "HTTP only");
  status.title = s === "offline" ? "The SignalR hub is not reachable; numbers come from the HTTP API." : "Connected to /hubs/broker";
});
feed.start();
void hub.start();
