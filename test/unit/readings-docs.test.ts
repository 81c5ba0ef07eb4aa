/**
 * The prose about each reading and profile lives in comments and in
 * docs/readings.md, not in the runtime tables (the Worker bundle would carry it):
 * these tests keep the page's tables and the runtime's rows the same set.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROFILE_NAMES, PROFILES } from '../../src/guard/request/profiles.ts';
import { READING_NAMES, READINGS, type ReadingName } from '../../src/guard/request/readings.ts';

const page = readFileSync('docs/readings.md', 'utf8');

/** The body rows of the markdown table under `## heading`, as cells. */
function tableUnder(heading: string): string[][] {
  const section = page.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !line.startsWith('| ---'))
    .slice(1)
    .map((line) =>
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
}

const codeNames = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

describe('docs/readings.md', () => {
  it('describes every reading, and only those, with its kind', () => {
    const rows = tableUnder('Readings');
    expect(rows.map(([name]) => codeNames(name ?? '')[0])).toEqual(READING_NAMES);
    for (const [name = '', kind] of rows) expect(kind, name).toBe(READINGS[codeNames(name)[0] as ReadingName].kind);
  });

  it('describes every profile, and only those, with the readings it performs', () => {
    const rows = tableUnder('Profiles');
    expect(rows.flatMap(([names]) => codeNames(names ?? '')).sort()).toEqual([...PROFILE_NAMES].sort());
    for (const [names = '', readings = ''] of rows) {
      for (const name of codeNames(names)) {
        if (name === 'any') continue; // every profile's readings, said in words
        expect(codeNames(readings), name).toEqual(PROFILES[name as keyof typeof PROFILES].readings);
      }
    }
  });
});
