/**
 * The proof on a real API description: GitHub's REST API (@octokit/openapi),
 * imported, then every path template filled in three ways and asked every
 * method of a fixed list through the pure decision. The expected Allow comes
 * from test/support/openapi-reference.ts, which matches the document's
 * templates directly and shares no code with the importer or the guard.
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ImportResult, importOpenApi, renderRoutesModule, routerOf } from '../../src/cli/openapi/import.ts';
import { loadDocument } from '../../src/cli/openapi/load.ts';
import { analyzeRouter } from '../../src/cli/route-table.ts';
import { parseConfig } from '../../src/guard/config.ts';
import { decide } from '../../src/guard/decide.ts';
import { compileMethodMap, type MethodMap } from '../../src/guard/map/method-map.ts';
import {
  collidingFill,
  fillTemplate,
  type ReferencePath,
  referenceAllow,
  referencePaths,
} from '../support/openapi-reference.ts';

const GITHUB = 'node_modules/@octokit/openapi/generated/api.github.com.json';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'QUERY', 'PROPFIND'];
const config = parseConfig({});

let imported: ImportResult;
let map: MethodMap;
let reference: ReferencePath[];
beforeAll(async () => {
  imported = await importOpenApi(await loadDocument(GITHUB));
  map = compileMethodMap(routerOf(imported.routes).routes, config);
  reference = referencePaths(GITHUB);
});

/** Concrete paths for a template: plain values, values with dots, literals of other templates. */
function filledPaths(template: string): string[] {
  return [
    fillTemplate(template, (name) => `x-${name}`),
    fillTemplate(template, (name) => `v1.${name}.0`),
    fillTemplate(template, collidingFill(reference, template)),
  ];
}

describe("GitHub's REST API description, imported", () => {
  it('imports every operation of the description, without a lint error', { timeout: 60_000 }, () => {
    const operations = reference.reduce((n, p) => n + p.methods.length, 0);
    expect(operations).toBeGreaterThan(1000);
    expect(imported.routes).toHaveLength(operations);
    expect(imported.notes).toEqual([]);
    expect(analyzeRouter(routerOf(imported.routes)).errors).toBe(0);
  });

  it("writes a module the repository's formatter leaves as it is", () => {
    const text = renderRoutesModule(imported);
    const formatted = execFileSync('node_modules/.bin/biome', ['format', '--stdin-file-path=src/routes.ts'], {
      input: text,
      encoding: 'utf8',
    });
    expect(formatted).toBe(text);
  });

  it('allows every described method on every filled-in path and refuses every other with the Allow of all matching templates', {
    timeout: 60_000,
  }, () => {
    let checked = 0;
    let unions = 0;
    const wrong: string[] = [];
    for (const { template } of reference) {
      for (const path of filledPaths(template)) {
        const allow = referenceAllow(reference, path);
        if (reference.filter((p) => p.regexp.test(path)).length > 1) unions++;
        const url = new URL(path, 'https://api.github.com');
        for (const method of METHODS) {
          const decision = decide(map, { method, url, headers: new Headers() }, config);
          const expected = allow?.includes(method)
            ? method === 'OPTIONS'
              ? 'options'
              : 'pass matched'
            : `refuse 405 ${allow?.join(', ')}`;
          const got =
            decision.action === 'refuse'
              ? `refuse ${decision.status} ${decision.allow?.join(', ')}`
              : decision.action === 'pass'
                ? `pass ${decision.unmatched ? 'unmatched' : 'matched'}`
                : decision.action;
          if (got !== expected) wrong.push(`${method} ${path}: ${got}, expected ${expected}`);
          checked++;
        }
      }
    }
    expect(wrong).toEqual([]);
    // The colliding fills do reach paths that several templates match.
    expect(unions).toBeGreaterThan(100);
    expect(checked).toBe(reference.length * 3 * METHODS.length);
  });
});
