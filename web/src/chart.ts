// A small canvas line chart. The canvas has a fixed CSS height (set by the stylesheet) and follows its
// container's width, so data arriving never moves the layout. Drawing is coalesced into one frame.

export interface SeriesStyle {
  label: string;
  color: string;
}

export interface Point {
  x: number; // unix ms
  y: number;
}

export interface ChartOptions {
  series: SeriesStyle[];
  /** Live charts keep this many milliseconds of history; 0 = keep everything given (history charts). */
  windowMs: number;
  /** Axis label formatter for y values. */
  formatY?: (v: number) => string;
  emptyText?: string;
}

const PAD = { left: 52, right: 10, top: 10, bottom: 22 };

export class LineChart {
  readonly canvas: HTMLCanvasElement;
  private readonly data: Point[][];
  private readonly options: ChartOptions;
  private pending = false;

  constructor(canvas: HTMLCanvasElement, options: ChartOptions) {
    this.canvas = canvas;
    this.options = options;
    this.data = options.series.map(() => []);
    new ResizeObserver(() => this.invalidate()).observe(canvas);
    this.invalidate();
  }

  /** Adds one sample to a series (live charts); old samples fall out of the window. */
  push(series: number, x: number, y: number): void {
    if (!Number.isFinite(y)) return;
    const points = this.data[series];
    points.push({ x, y });
    if (this.options.windowMs > 0) {
      const cutoff = x - this.options.windowMs;
      let drop = 0;
      while (drop < points.length && points[drop].x < cutoff) drop++;
      if (drop > 0) points.splice(0, drop);
    }
    this.invalidate();
  }

  /** Replaces a series (history charts). */
  set(series: number, points: Point[]): void {
    this.data[series] = points.slice().sort((a, b) => a.x - b.x);
    this.invalidate();
  }

  clear(): void {
    for (let i = 0; i < this.data.length; i++) this.data[i] = [];
    this.invalidate();
  }

  pointCount(series = 0): number {
    return this.data[series].length;
  }

  private invalidate(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  private draw(): void {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (width === 0 || height === 0) return;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const style = getComputedStyle(canvas);
    const muted = style.getPropertyValue("--chart-muted").trim() || "#888";
    const grid = style.getPropertyValue("--chart-grid").trim() || "#ddd";
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillStyle = muted;
    canvas.dataset.points = String(this.data.reduce((n, s) => n + s.length, 0));

    const all = this.data.flat();
    if (all.length === 0) {
      ctx.textAlign = "center";
      ctx.fillText(this.options.emptyText ?? "no data yet", width / 2, height / 2);
      return;
    }

    let minX = Math.min(...all.map((p) => p.x));
    let maxX = Math.max(...all.map((p) => p.x));
    if (this.options.windowMs > 0) {
      // Live charts end now and start at the oldest sample (at most windowMs back, at least 30 s), so a page
      // opened a few seconds ago already uses the whole width.
      maxX = Math.max(maxX, Date.now());
      minX = Math.min(Math.max(minX, maxX - this.options.windowMs), maxX - 30_000);
    }
    if (maxX === minX) {
      minX -= 500;
      maxX += 500;
    }
    let minY = Math.min(0, ...all.map((p) => p.y));
    let maxY = niceCeiling(Math.max(...all.map((p) => p.y)));
    if (this.options.windowMs === 0) {
      // History charts scale to the data (temperatures don't start at 0).
      const lo = Math.min(...all.map((p) => p.y));
      const hi = Math.max(...all.map((p) => p.y));
      const span = hi - lo || Math.abs(hi) || 1;
      minY = lo - span * 0.1;
      maxY = hi + span * 0.1;
    }
    if (maxY === minY) maxY = minY + 1;

    const plotW = width - PAD.left - PAD.right;
    const plotH = height - PAD.top - PAD.bottom;
    const sx = (x: number) => PAD.left + ((x - minX) / (maxX - minX)) * plotW;
    const sy = (y: number) => PAD.top + plotH - ((y - minY) / (maxY - minY)) * plotH;
    const fmt = this.options.formatY ?? compactNumber;

    ctx.strokeStyle = grid;
    ctx.lineWidth = 1;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (let i = 0; i <= 4; i++) {
      const v = minY + ((maxY - minY) * i) / 4;
      const y = Math.round(sy(v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(PAD.left, y);
      ctx.lineTo(width - PAD.right, y);
      ctx.stroke();
      ctx.fillText(fmt(v), PAD.left - 6, y);
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (let i = 0; i <= 3; i++) {
      const x = minX + ((maxX - minX) * i) / 3;
      const label = new Date(x).toLocaleTimeString("en-GB", { hour12: false });
      ctx.fillText(label, Math.min(Math.max(sx(x), PAD.left + 24), width - PAD.right - 24), height - PAD.bottom + 6);
    }

    this.data.forEach((points, index) => {
      if (points.length === 0) return;
      ctx.strokeStyle = this.options.series[index].color;
      ctx.fillStyle = this.options.series[index].color;
      ctx.lineWidth = 1.75;
      ctx.beginPath();
      points.forEach((p, i) => (i === 0 ? ctx.moveTo(sx(p.x), sy(p.y)) : ctx.lineTo(sx(p.x), sy(p.y))));
      ctx.stroke();
      if (points.length <= 120) {
        for (const p of points) {
          ctx.beginPath();
          ctx.arc(sx(p.x), sy(p.y), 2.25, 0, Math.PI * 2);
          ctx.fill();
        }
      }
    });
  }
}

function niceCeiling(v: number): number {
  if (v <= 0) return 1;
  const magnitude = Math.pow(10, Math.floor(Math.log10(v)));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (v <= step * magnitude) return step * magnitude;
  }
  return 10 * magnitude;
}

export function compactNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toFixed(1) + "G";
  if (a >= 1e6) return (v / 1e6).toFixed(1) + "M";
  if (a >= 1e4) return (v / 1e3).toFixed(0) + "k";
  if (a >= 100 || Number.isInteger(v)) return v.toFixed(0);
  return v.toFixed(a < 1 ? 2 : 1);
}

/** A legend row for a chart: coloured swatch plus label. */
export function legend(series: SeriesStyle[]): HTMLElement {
  const el = document.createElement("div");
  el.className = "legend";
  for (const s of series) {
    const item = document.createElement("span");
    const swatch = document.createElement("i");
    swatch.style.background = s.color;
    item.append(swatch, s.label);
    el.append(item);
  }
  return el;
}
