/**
 * Part 7, the OpenAPI import on GitHub's REST API description (@octokit/openapi,
 * 13 MB of JSON): how long `method-guard openapi import` and `openapi check`
 * take. No target in the issue: figures only. The imported table's decision
 * cost and first-request compile are part 5's "GitHub REST" row.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importOpenApi, renderRoutesModule } from '../src/cli/openapi/import.ts';
import { loadDocument } from '../src/cli/openapi/load.ts';
import { heading, table } from './report.ts';

const GITHUB = 'node_modules/@octokit/openapi/generated/api.github.com.json';

export interface OpenApiResult {
  readonly routes: number;
  /** Medians, ms: reading + parsing the document, building the routes, writing the module text. */
  readonly loadMs: number;
  readonly importMs: number;
  readonly renderMs: number;
  /** Whole commands in a fresh Node, ms (median): import includes the route lint of the output. */
  readonly cliImportMs: number;
  readonly cliCheckMs: number;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] as number;

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
}

function cli(args: readonly string[]): number {
  const t0 = performance.now();
  // Exit 0 expected: the import has no lint errors and the check no drift.
  execFileSync(process.execPath, ['src/cli/main.ts', 'openapi', ...args], { stdio: 'pipe' });
  return performance.now() - t0;
}

export async function openapiBench({ quick, outRoot }: { quick: boolean; outRoot: string }): Promise<OpenApiResult> {
  heading("7. OpenAPI import of GitHub's REST API description");
  const runs = quick ? 3 : 7;
  const load: number[] = [];
  const build: number[] = [];
  const render: number[] = [];
  let routes = 0;
  for (let i = 0; i < runs; i++) {
    const [document, loadMs] = await timed(() => loadDocument(GITHUB));
    const [result, importMs] = await timed(() => importOpenApi(document));
    const [, renderMs] = await timed(() => renderRoutesModule(result));
    load.push(loadMs);
    build.push(importMs);
    render.push(renderMs);
    routes = result.routes.length;
  }
  const dir = resolve(outRoot, 'openapi');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'github-routes.ts');
  const cliRuns = quick ? 1 : 3;
  const imports = Array.from({ length: cliRuns }, () => cli(['import', GITHUB, '--out', out]));
  const checks = Array.from({ length: cliRuns }, () => cli(['check', GITHUB, out]));
  const result: OpenApiResult = {
    routes,
    loadMs: median(load),
    importMs: median(build),
    renderMs: median(render),
    cliImportMs: median(imports),
    cliCheckMs: median(checks),
  };
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  console.log(
    table(
      ['routes', 'load (JSON.parse)', 'import', 'render', 'openapi import (CLI, + lint)', 'openapi check (CLI)'],
      [
        [
          String(result.routes),
          ms(result.loadMs),
          ms(result.importMs),
          ms(result.renderMs),
          ms(result.cliImportMs),
          ms(result.cliCheckMs),
        ],
      ],
    ),
  );
  console.log(`(in-process: medians of ${runs} runs; CLI: a fresh Node each time, median of ${cliRuns})`);
  return result;
}
