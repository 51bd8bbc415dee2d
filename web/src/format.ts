// Number, size, time and payload formatting shared by every view.

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? "—" : integer.format(n);
}

export function formatRate(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  return n >= 100 ? integer.format(n) : oneDecimal.format(n);
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${integer.format(value)} B` : `${oneDecimal.format(value)} ${units[unit]}`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const pad = (v: number) => String(v).padStart(2, "0");
  return d > 0 ? `${d}d ${pad(hh)}h ${pad(mm)}m` : `${pad(hh)}:${pad(mm)}:${pad(ss)}`;
}

export function formatTime(unixMs: number): string {
  const t = new Date(unixMs);
  return t.toLocaleTimeString("en-GB", { hour12: false }) + "." + String(t.getMilliseconds()).padStart(3, "0");
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** A payload as the hub or the HTTP API sends it: text when it is UTF-8, else base64. */
export interface Payload {
  text: string | null;
  bytes: Uint8Array;
}

export function decodePayload(payload: string, encoding: string | undefined): Payload {
  if (encoding === "base64") {
    return { text: null, bytes: base64ToBytes(payload) };
  }
  return { text: payload, bytes: new TextEncoder().encode(payload) };
}

/** Pretty JSON when the text parses as JSON, else null. */
export function prettyJson(text: string | null): string | null {
  if (text === null) return null;
  const trimmed = text.trim();
  if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) return null;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return null;
  }
}

/** Classic 16-bytes-per-line hex dump with an ASCII column; long payloads are cut at `max` bytes. */
export function hexDump(bytes: Uint8Array, max = 4096): string {
  const lines: string[] = [];
  const end = Math.min(bytes.length, max);
  for (let offset = 0; offset < end; offset += 16) {
    const row = bytes.subarray(offset, Math.min(offset + 16, end));
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, "0")).join(" ");
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
    lines.push(`${offset.toString(16).padStart(8, "0")}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > max) lines.push(`… ${bytes.length - max} more bytes`);
  return lines.join("\n");
}

/**
 * The number a payload stands for, for history charts: a bare number ("21.5"), or a JSON object's
 * "value" field, or its first numeric field. Null when there is none.
 */
export function numericValue(text: string | null): number | null {
  if (text === null) return null;
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const direct = Number(trimmed);
  if (Number.isFinite(direct)) return direct;
  if (!trimmed.startsWith("{")) return null;
  try {
    const obj = JSON.parse(trimmed) as Record<string, unknown>;
    if (typeof obj.value === "number") return obj.value;
    for (const v of Object.values(obj)) {
      if (typeof v === "number" && Number.isFinite(v)) return v;
    }
  } catch {
    return null;
  }
  return null;
}

/** MQTT filter matching ('+' one level, '#' the rest; '$' topics only by explicit filters). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  if (topic.startsWith("$") && (f[0] === "#" || f[0] === "+")) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "#") return true;
    if (i >= t.length) return false;
    if (f[i] !== "+" && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}
