// Reads a stream's recent records (the hub's readStream, or the HTTP API without the hub) and keeps the
// numeric values of one topic as chart points.
import { api, StreamFetch, StreamInfo } from "./api";
import { decodePayload, numericValue, topicMatches } from "./format";
import { BrokerHub } from "./hub";
import { Point } from "./chart";

const PER_PARTITION = 1000;

export function streamsFor(topic: string, streams: StreamInfo[]): StreamInfo[] {
  return streams.filter((s) => s.filters.some((f) => topicMatches(f, topic)));
}

/** The last PER_PARTITION records of every partition, reduced to the numeric values published on `topic`. */
export async function readHistory(hub: BrokerHub, stream: StreamInfo, topic: string): Promise<{ points: Point[]; source: "hub" | "http" }> {
  const points: Point[] = [];
  const source = hub.connected ? "hub" : "http";
  for (const p of stream.partitionStats) {
    if (p.endOffset <= p.startOffset) continue;
    const offset = Math.max(p.startOffset, p.endOffset - PER_PARTITION);
    if (source === "hub") {
      const records = await hub.readStream({ stream: stream.name, partition: p.partition, from: "offset", offset, max: PER_PARTITION });
      for (const r of records) {
        if (r.topic !== topic) continue;
        const value = numericValue(decodePayload(r.payload, r.encoding).text);
        if (value !== null) points.push({ x: r.timestamp, y: value });
      }
    } else {
      const name = encodeURIComponent(stream.name);
      const fetch = await api.get<StreamFetch>(`/api/streams/${name}/partitions/${p.partition}/records?offset=${offset}&max=${PER_PARTITION}`);
      for (const r of fetch.records) {
        if (r.message.topic !== topic) continue;
        const value = numericValue(r.message.payload);
        if (value !== null) points.push({ x: r.timestampMs, y: value });
      }
    }
  }
  return { points: points.sort((a, b) => a.x - b.x), source };
}
