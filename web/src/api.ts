// The broker's HTTP API (same origin). Errors carry the RFC 7807 problem "detail" when there is one.

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
  });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = (await response.json()) as { detail?: string; title?: string };
      detail = problem.detail ?? problem.title ?? detail;
    } catch {
      // Not a problem document; keep the status text.
    }
    throw new ApiError(response.status, `${response.status} ${detail}`);
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get("content-type") ?? "";
  return (type.includes("json") ? await response.json() : await response.text()) as T;
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  delete: <T>(path: string) => request<T>("DELETE", path),
};

export interface Overview {
  version: string;
  uptimeSeconds: number;
  fsync: string;
  messagesIn: number;
  messagesOut: number;
  bytesIn: number;
  bytesOut: number;
  messagesDropped: number;
  queues: number;
  readyMessages: number;
  unackedMessages: number;
}

export interface QueueStats {
  name: string;
  ready: number;
  unacked: number;
  consumers: number;
  published: number;
  delivered: number;
  acked: number;
  redelivered: number;
  deadLettered: number;
  dropped: number;
  rejected: number;
  sizeBytes: number;
}

export interface PartitionStats {
  partition: number;
  startOffset: number;
  endOffset: number;
  sizeBytes: number;
  segments: number;
  isReadOnly: boolean;
}

export interface StreamInfo {
  name: string;
  partitions: number;
  filters: string[];
  partitioning: string;
  records: number;
  sizeBytes: number;
  appended: number;
  failed: number;
  partitionStats: PartitionStats[];
}

export interface GroupInfo {
  stream: string;
  group: string;
  generation: number;
  members: { memberId?: string; id?: string }[];
  partitions: { partition: number; owner: string | null; committed: number | null; startOffset: number; endOffset: number; lag: number }[];
  totalLag: number;
}

export interface ApiMessage {
  topic: string;
  payload: string | null;
  payloadBase64: string;
  contentType: string | null;
  key: string | null;
  timestampMs: number;
}

export interface StreamFetch {
  partition: number;
  startOffset: number;
  endOffset: number;
  nextOffset: number;
  records: { partition: number; offset: number; timestampMs: number; message: ApiMessage }[];
}

/** Sum of edgebroker_log_size_bytes over every log: the broker's storage use when the hub is not there. */
export function storageFromMetrics(text: string): number {
  let total = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("edgebroker_log_size_bytes")) {
      const value = Number(line.slice(line.lastIndexOf(" ") + 1));
      if (Number.isFinite(value)) total += value;
    }
  }
  return total;
}
