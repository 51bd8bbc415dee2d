// The topic explorer's model: a tree of topic levels with the last message, a count and a rate per
// topic. Messages only update fields and mark nodes dirty; the view renders at its own pace.
import { decodePayload, Payload } from "./format";
import { HubMessage } from "./hub";

export interface LastMessage {
  payload: Payload;
  contentType: string | null;
  headers: Record<string, string> | null;
  protocol: string;
  timestamp: number;
  qos: number;
  retained: boolean;
}

export class TopicNode {
  readonly children = new Map<string, TopicNode>();
  count = 0;
  rate = 0;
  last: LastMessage | null = null;
  dirty = true;
  private countAtTick = 0;

  constructor(readonly name: string, readonly path: string, readonly depth: number) {}

  sortedChildren(): TopicNode[] {
    return [...this.children.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Once a second: an exponentially smoothed messages-per-second. */
  tick(seconds: number): void {
    const instant = (this.count - this.countAtTick) / seconds;
    this.countAtTick = this.count;
    const next = this.rate * 0.5 + instant * 0.5;
    const rounded = next < 0.05 ? 0 : next;
    if (rounded !== this.rate) {
      this.rate = rounded;
      this.dirty = true;
    }
  }
}

export class TopicTree {
  readonly root = new TopicNode("", "", -1);
  readonly byPath = new Map<string, TopicNode>();
  /** Set when a node was added; the view then rebuilds its row order. */
  structureChanged = false;

  add(message: HubMessage): TopicNode {
    const node = this.node(message.topic);
    node.count++;
    node.last = {
      payload: decodePayload(message.payload, message.encoding),
      contentType: message.contentType,
      headers: message.headers,
      protocol: message.protocol,
      timestamp: message.timestamp,
      qos: message.qos,
      retained: message.retained,
    };
    node.dirty = true;
    return node;
  }

  node(topic: string): TopicNode {
    const existing = this.byPath.get(topic);
    if (existing) return existing;
    const levels = topic.split("/");
    let parent = this.root;
    let path = "";
    levels.forEach((level, depth) => {
      path = depth === 0 ? level : `${path}/${level}`;
      let child = parent.children.get(level);
      if (!child) {
        child = new TopicNode(level, path, depth);
        parent.children.set(level, child);
        this.byPath.set(path, child);
        this.structureChanged = true;
      }
      parent = child;
    });
    return parent;
  }

  tick(seconds: number): void {
    for (const node of this.byPath.values()) {
      if (node.count > 0) node.tick(seconds);
    }
  }
}
