/** Printing figures next to their in-run baseline, and judging them against the targets. */

export interface Target {
  readonly name: string;
  /** The figure, already a ratio to its baseline. */
  readonly ratio: number;
  /** `min`: the ratio must be at least `limit`; `max`: at most. */
  readonly bound: 'min' | 'max';
  readonly limit: number;
  /** What the ratio compares, e.g. "forward rps / pass-through rps". */
  readonly over: string;
}

export interface Verdict extends Target {
  readonly pass: boolean;
  /** How far from the limit, as a share of it (negative: missed by that much). */
  readonly margin: number;
}

export function judge(target: Target): Verdict {
  const pass = target.bound === 'min' ? target.ratio >= target.limit : target.ratio <= target.limit;
  const margin = target.bound === 'min' ? target.ratio / target.limit - 1 : target.limit / target.ratio - 1;
  return { ...target, pass, margin };
}

export const ratio = (value: number, baseline: number) => `${(value / baseline).toFixed(2)}x`;

export function verdictLine(v: Verdict): string {
  const sign = v.bound === 'min' ? '>=' : '<=';
  const how = v.pass ? 'PASS' : `MISS by ${Math.abs(v.margin * 100).toFixed(1)}%`;
  return `${how.padEnd(16)} ${v.name}: ${v.ratio.toFixed(2)}x (${v.over}), target ${sign} ${v.limit}x`;
}

/** A fixed-width text table: first column left-aligned, the rest right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function heading(title: string): void {
  console.log(`\n== ${title} ${'='.repeat(Math.max(0, 74 - title.length))}`);
}

export const ns = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} µs` : `${value.toFixed(0)} ns`);
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;
