// What main.ts needs from a view: its root element and when it becomes visible or hidden
// (views poll the HTTP API only while they are on screen).
export interface View {
  readonly id: string;
  readonly title: string;
  readonly element: HTMLElement;
  show(params: URLSearchParams): void;
  hide(): void;
}

/** Runs `tick` now and then every `ms` while started; for views that poll while visible. */
export class Poller {
  private timer = 0;
  private running = false;

  constructor(private readonly ms: number, private readonly tick: () => Promise<void>) {}

  start(): void {
    if (this.timer !== 0) return;
    void this.run();
    this.timer = window.setInterval(() => void this.run(), this.ms);
  }

  stop(): void {
    window.clearInterval(this.timer);
    this.timer = 0;
  }

  refresh(): void {
    void this.run();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.tick();
    } finally {
      this.running = false;
    }
  }
}
