/**
 * Drift between an OpenAPI document and a rules module, the way the guard sees
 * it: both are compiled into the guard's own method map and asked about the same
 * sample paths, so hand-written rules (`/static/*`, `all`, other parameter names)
 * are judged by what they allow, not by how they are spelled.
 *
 * - missing: the document has (path, method), the rules refuse it there.
 * - extra: a rule allows a method on a path where the document has no such operation.
 *
 * OPTIONS counts only when declared: the guard answers an undeclared OPTIONS
 * itself, while a described OPTIONS operation is the origin's to answer.
 */
import { parseConfig } from '../../guard/config.ts';
import { compileMethodMap, type MethodMapOptions } from '../../guard/map/method-map.ts';
import { allowedMethods, allows, type Declared, declares } from '../../guard/map/methods.ts';
import { type RouterLike, requestKey, samplePaths } from '../route-table.ts';
import { type ImportResult, routerOf } from './import.ts';

export interface Drift {
  readonly kind: 'missing' | 'extra';
  readonly method: string;
  /** The OpenAPI template (missing) or the rule's pattern (extra). */
  readonly path: string;
  /** The request that shows it. */
  readonly sample: string;
  /** Missing: no rule matches the sample path at all (UNMATCHED decides), rather than a 405. */
  readonly unmatched?: boolean;
}

const accepts = (declared: Declared | null, method: string) =>
  declared !== null && (method === 'OPTIONS' ? declares(declared, method) : allows(declared, method));

const ALL_METHODS = allowedMethods({ methods: new Set(), all: true });

/** Sample request paths of a pattern that the pattern itself matches, with their method-map keys. */
function samples(pattern: string, options: MethodMapOptions, route: Parameters<typeof compileMethodMap>[0]) {
  const own = compileMethodMap(route, options);
  return samplePaths(pattern).flatMap((path) => {
    const request = requestKey(path);
    return request.ok && own.lookup(request.key) !== null ? [{ path, key: request.key }] : [];
  });
}

export function findDrift(spec: ImportResult, rules: RouterLike, options: MethodMapOptions = parseConfig({})): Drift[] {
  const specRouter = routerOf(spec.routes);
  const specMap = compileMethodMap(specRouter.routes, options);
  const rulesMap = compileMethodMap(rules.routes, options);
  const drift: Drift[] = [];

  spec.routes.forEach((route, i) => {
    for (const { path, key } of samples(route.pattern, options, specRouter.routes.slice(i, i + 1))) {
      const declared = rulesMap.lookup(key);
      if (accepts(declared, route.method)) continue;
      drift.push({
        kind: 'missing',
        method: route.method,
        path: route.template,
        sample: path,
        unmatched: declared === null,
      });
      return;
    }
  });

  rules.routes.forEach((entry) => {
    const [method, , , pattern] = entry;
    if (pattern === undefined) return;
    const claimed = method === 'ALL' ? ALL_METHODS : [method.toUpperCase()];
    for (const { path, key } of samples(pattern, options, [entry])) {
      const declared = specMap.lookup(key);
      const unknown = claimed.filter((m) => !accepts(declared, m));
      if (unknown.length === 0) continue;
      drift.push({ kind: 'extra', method: method === 'ALL' ? 'ALL' : unknown.join(', '), path: pattern, sample: path });
      return;
    }
  });
  return drift;
}

export function formatDrift(drift: readonly Drift[], specSource: string, rulesSource: string): string {
  const lines = drift.map((d) =>
    d.kind === 'missing'
      ? `missing: ${d.method} ${d.path} is in ${specSource}, ${d.unmatched ? 'no rule matches' : 'the rules refuse'} ${d.method} ${d.sample}`
      : `extra:   ${d.method} ${d.path} is allowed by the rules, not in ${specSource} (${d.sample})`,
  );
  const summary =
    drift.length === 0
      ? `${rulesSource} allows exactly the operations of ${specSource}.`
      : `${drift.length} difference${drift.length === 1 ? '' : 's'} between ${specSource} and ${rulesSource}.`;
  return `${[...lines, summary].join('\n')}\n`;
}
