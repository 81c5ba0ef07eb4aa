/**
 * Rules → a minimal OpenAPI document: paths and operations, no schemas, for
 * teams that start from the rules. Each pattern's operations are the methods the
 * guard allows on every path of that pattern (the route table's Allow, from the
 * guard's own method map), less what HTTP implies: HEAD where GET (RFC 9110
 * §9.3.2) and OPTIONS, which the guard answers itself, unless a route declares them.
 *
 * OpenAPI path templates cannot say "any number of segments", so `*` and
 * `:name+` patterns are listed under `x-method-guard-unexpressed` instead.
 */
import { analyzeRouter, type RouterLike } from '../route-table.ts';
import { toTemplates } from './templates.ts';

/** OpenAPI 3.1 §4.8.9: methods with an operation key; 3.2 puts any other under `additionalOperations`. */
const OPERATION_KEYS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE']);

export interface ExportOptions {
  readonly title: string;
  readonly version: string;
}

type PathItem = Record<string, unknown>;

function operation(method: string, edge: readonly string[]): Record<string, unknown> {
  const atEdge = edge.includes(method) || edge.includes('ALL');
  return atEdge ? { description: 'Answered at the edge by a method-guard handler.' } : {};
}

export function exportOpenApi(rules: RouterLike, options: ExportOptions): Record<string, unknown> {
  const paths: Record<string, PathItem> = {};
  const unexpressed: { pattern: string; methods: readonly string[] }[] = [];
  let needs32 = false;

  for (const row of analyzeRouter(rules).table) {
    if (row.allow === null) continue;
    const declared = new Set([...row.edge, ...row.forwarded]);
    const implied = (m: string) =>
      !declared.has('ALL') && !declared.has(m) && (m === 'OPTIONS' || (m === 'HEAD' && row.allow?.includes('GET')));
    const methods = row.allow.filter((m) => !implied(m));
    const templates = toTemplates(row.pattern);
    if (templates === null) {
      unexpressed.push({ pattern: row.pattern, methods });
      continue;
    }
    for (const template of templates) {
      const item: PathItem = paths[template] ?? {};
      paths[template] = item;
      const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
      if (names.length > 0) {
        item.parameters = names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
      }
      for (const method of methods) {
        if (OPERATION_KEYS.has(method)) {
          item[method.toLowerCase()] = operation(method, row.edge);
        } else {
          needs32 = true;
          const others = (item.additionalOperations ?? {}) as Record<string, unknown>;
          others[method] = operation(method, row.edge);
          item.additionalOperations = others;
        }
      }
    }
  }

  return {
    // 3.2 only when a method has no 3.1 operation key (QUERY, PROPFIND…): 3.1 tooling is more common.
    openapi: needs32 ? '3.2.0' : '3.1.1',
    info: { title: options.title, version: options.version },
    paths,
    ...(unexpressed.length > 0 ? { 'x-method-guard-unexpressed': unexpressed } : {}),
  };
}
