// A keyed table: rows are reused by key and cells updated in place, so polling does not rebuild the DOM
// (no flicker, no scroll jumps, focus kept on buttons).
import { clear, h, setText } from "./dom";

export interface Column<T> {
  title: string;
  numeric?: boolean;
  cell: (row: T) => string;
}

export interface Action<T> {
  label: string;
  /** Asks for a second click within three seconds before running (destructive actions). */
  confirm?: boolean;
  run: (row: T) => Promise<void>;
}

export class KeyedTable<T> {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly rows = new Map<string, { tr: HTMLTableRowElement; item: T }>();
  private readonly emptyRow: HTMLTableRowElement;

  constructor(
    private readonly columns: Column<T>[],
    private readonly key: (row: T) => string,
    private readonly actions: Action<T>[] = [],
    emptyText = "Nothing here yet.",
  ) {
    const head = h("tr", {}, ...columns.map((c) => h("th", { class: c.numeric ? "num" : "" }, c.title)), actions.length > 0 ? h("th", {}, "") : null);
    this.body = h("tbody");
    this.emptyRow = h("tr", { class: "empty" }, h("td", { colSpan: columns.length + (actions.length > 0 ? 1 : 0), class: "muted" }, emptyText));
    this.element = h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, head), this.body));
  }

  update(items: T[]): void {
    const seen = new Set<string>();
    let previous: HTMLTableRowElement | null = null;
    for (const item of items) {
      const k = this.key(item);
      seen.add(k);
      let entry = this.rows.get(k);
      if (!entry) {
        entry = { tr: this.createRow(k), item };
        this.rows.set(k, entry);
      }
      entry.item = item;
      this.columns.forEach((c, i) => setText(entry!.tr.cells[i], c.cell(item)));
      const expected: ChildNode | null = previous ? previous.nextSibling : this.body.firstChild;
      if (expected !== entry.tr) this.body.insertBefore(entry.tr, expected);
      previous = entry.tr;
    }
    for (const [k, entry] of this.rows) {
      if (!seen.has(k)) {
        entry.tr.remove();
        this.rows.delete(k);
      }
    }
    if (items.length === 0) {
      clear(this.body);
      this.body.appendChild(this.emptyRow);
    } else {
      this.emptyRow.remove();
    }
  }

  private createRow(k: string): HTMLTableRowElement {
    const tr = h("tr", { "data-key": k }, ...this.columns.map((c) => h("td", { class: c.numeric ? "num" : "" }, "")));
    if (this.actions.length > 0) {
      const cell = h("td", { class: "actions-cell" });
      for (const action of this.actions) {
        const button = h("button", { type: "button", class: action.confirm ? "danger" : "" }, action.label);
        let armed = 0;
        button.addEventListener("click", () => {
          const entry = this.rows.get(k);
          if (!entry) return;
          if (action.confirm && armed === 0) {
            button.textContent = "Confirm";
            armed = window.setTimeout(() => { armed = 0; button.textContent = action.label; }, 3000);
            return;
          }
          window.clearTimeout(armed);
          armed = 0;
          button.textContent = action.label;
          button.disabled = true;
          void action.run(entry.item).finally(() => { button.disabled = false; });
        });
        cell.appendChild(button);
      }
      tr.appendChild(cell);
    }
    return tr;
  }
}
