/** docs/bench.svg from the summary: plain SVG, no dependencies, on a white ground so dark pages show it too. */
import type { Summary } from './run.ts';

const WIDTH = 800;
const LABEL = 270;
const BAR = 16;
const FONT = 'font-family="system-ui, sans-serif" font-size="12"';

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface Bar {
  readonly label: string;
  readonly value: number;
  readonly text: string;
  readonly color: string;
}

/** A titled panel of horizontal bars; `log` spreads values over decades. */
function panel(title: string, bars: readonly Bar[], y: number, options: { log?: boolean; limit?: number } = {}) {
  const span = WIDTH - LABEL - 150;
  const max = Math.max(...bars.map((b) => b.value), options.limit ?? 0);
  const min = options.log ? Math.min(...bars.map((b) => b.value)) / 2 : 0;
  const scale = (v: number) =>
    options.log ? (span * Math.log(v / min)) / Math.log(max / min) : (span * v) / (max || 1);
  const parts = [`<text x="10" y="${y + 14}" ${FONT} font-weight="bold" fill="#555">${esc(title)}</text>`];
  bars.forEach((b, i) => {
    const top = y + 24 + i * (BAR + 6);
    const w = Math.max(1, scale(b.value));
    parts.push(
      `<text x="${LABEL - 8}" y="${top + 12}" ${FONT} text-anchor="end" fill="#555">${esc(b.label)}</text>`,
      `<rect x="${LABEL}" y="${top}" width="${w.toFixed(1)}" height="${BAR}" fill="${b.color}" rx="2"/>`,
      `<text x="${LABEL + w + 6}" y="${top + 12}" ${FONT} fill="#555">${esc(b.text)}</text>`,
    );
  });
  const height = 24 + bars.length * (BAR + 6);
  if (options.limit !== undefined) {
    const x = LABEL + scale(options.limit);
    parts.push(
      `<line x1="${x}" y1="${y + 20}" x2="${x}" y2="${y + height}" stroke="#d33" stroke-dasharray="4 3"/>`,
      `<text x="${x + 4}" y="${y + height + 12}" ${FONT} fill="#d33">target</text>`,
    );
  }
  return { svg: parts.join('\n'), height: height + (options.limit === undefined ? 14 : 26) };
}

const GUARD = '#f38020';
const PEER = '#8da0cb';
const LIMIT = '#66a182';

export function chart(summary: Summary): string {
  const panels: { svg: string; height: number }[] = [];
  let y = 10;
  const add = (p: { svg: string; height: number }) => {
    panels.push(p);
    y += p.height;
  };

  const { e2e, decision, bundle, soak } = summary;
  if (e2e) {
    const limit = e2e.median['pass-through (the limit)']?.rps ?? 1;
    const bars: Bar[] = [
      { label: 'origin alone (no Worker)', value: e2e.origin.rps, text: `${e2e.origin.rps.toFixed(0)}`, color: '#bbb' },
      ...Object.entries(e2e.median).map(([name, l]) => ({
        label: name,
        value: l.rps,
        text: `${l.rps.toFixed(0)} req/s (${(l.rps / limit).toFixed(2)}x), p99 ${l.p99} ms`,
        color: name.startsWith('method-guard') ? GUARD : name.startsWith('pass') ? LIMIT : PEER,
      })),
    ];
    add(panel(`End to end on loopback, ${e2e.chosenRuntime}: requests/s (x pass-through)`, bars, y));
  }
  if (decision) {
    const bars: Bar[] = [];
    for (const [contender, bySize] of Object.entries(decision.ns)) {
      for (const [size, probes] of Object.entries(bySize)) {
        const ns = probes.allowed ?? Number.NaN;
        const ten = bySize[10]?.allowed ?? ns;
        bars.push({
          label: `${contender}, ${size} routes`,
          value: ns,
          text: `${ns >= 1000 ? `${(ns / 1000).toFixed(1)} µs` : `${ns.toFixed(0)} ns`} (${(ns / ten).toFixed(2)}x of 10)`,
          color: contender.includes('trie') ? GUARD : PEER,
        });
      }
    }
    add(panel('Decision cost, allowed request (log scale)', bars, y, { log: true }));
  }
  if (bundle) {
    const bars = bundle.bundles
      .filter((b) => b.minified)
      .map((b) => ({
        label: b.worker,
        value: b.gzip / 1024,
        text: `${(b.gzip / 1024).toFixed(2)} KiB`,
        color: b.worker === 'method-guard' ? GUARD : PEER,
      }));
    add(panel('Bundle, minified, gzip (target: guard + itty <= 6 KiB)', bars, y, { limit: 6 }));
  }
  if (soak) {
    const MiB = 1024 * 1024;
    const h = 120;
    const span = WIDTH - LABEL - 230; // room for the labels on the right
    const runs = [
      { run: soak.passThrough, color: LIMIT, name: 'pass-through' },
      { run: soak.guard, color: GUARD, name: 'method-guard' },
    ];
    const maxRss = Math.max(...runs.flatMap(({ run }) => run.samples.map((s) => s.rss))) * 1.1;
    const yOf = (rss: number) => (y + 24 + h - (h * rss) / maxRss).toFixed(1);
    const parts = [
      `<text x="10" y="${y + 14}" ${FONT} font-weight="bold" fill="#555">${esc(`Memory soak: workerd RSS over ${soak.guard.requests.toLocaleString('en')} requests`)}</text>`,
      `<line x1="${LABEL}" y1="${y + 24 + h}" x2="${LABEL + span}" y2="${y + 24 + h}" stroke="#bbb"/>`,
      `<text x="${LABEL - 8}" y="${y + 28}" ${FONT} text-anchor="end" fill="#555">${(maxRss / MiB).toFixed(0)} MiB</text>`,
      `<text x="${LABEL - 8}" y="${y + 24 + h}" ${FONT} text-anchor="end" fill="#555">0</text>`,
      `<text x="${LABEL + span}" y="${y + 38 + h}" ${FONT} text-anchor="end" fill="#555">${soak.guard.requests.toLocaleString('en')} requests</text>`,
    ];
    runs.forEach(({ run, color, name }, i) => {
      const points = run.samples.map((s) => `${(LABEL + (span * s.requests) / run.requests).toFixed(1)},${yOf(s.rss)}`);
      parts.push(
        `<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`,
        `<text x="${LABEL + span + 6}" y="${Number(yOf(run.late)) + (i ? 12 : -2)}" ${FONT} fill="${color}">${esc(`${name} ${(run.late / MiB).toFixed(0)} MiB (${(run.late / run.early).toFixed(3)}x)`)}</text>`,
      );
    });
    add({ svg: parts.join('\n'), height: h + 50 });
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y + 10}" viewBox="0 0 ${WIDTH} ${y + 10}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...panels.map((p) => p.svg),
    '</svg>',
    '',
  ].join('\n');
}
