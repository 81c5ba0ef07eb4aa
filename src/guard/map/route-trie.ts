/**
 * The method map compiled into a segment trie, once per router and options.
 *
 * itty dispatches by testing every route's RegExp in turn, so a lookup costs as
 * much as the table is long. Here each route's path is parsed once into segments
 * and merged into a trie (cf. Go's routing_tree.go); a lookup walks the key's
 * segments, so its cost follows the path's depth, not the number of routes.
 *
 * Exact, or not at all: a route joins the trie only if its RegExp is exactly the
 * one itty builds from its path and the path uses the forms below. Every other
 * route (a custom RegExp passed via `routes`, regex syntax in a path) is left to
 * the reference scan, whose answer is merged in. test/unit/route-trie.test.ts
 * holds the result equal to the scan over random route tables.
 *
 * Which routes the trie holds is settled when the map is compiled; the trie
 * itself grows as lookups walk it. A Worker compiles the map on its first
 * request, and with 10,000 routes building every node up front was most of
 * that request's latency (docs/performance.md): a node keeps the routes that
 * pass through it until a walk first reaches it, so a request pays only for
 * the nodes its path touches. That compile runs once, before V8 has optimized
 * any of it: its loops index arrays (no iterator objects, no destructuring).
 */
import type { RouteEntry } from 'itty-router';
import { type Declared, union } from './methods.ts';
import { type MethodMap, type MethodMapOptions, patternOrder, routePattern } from './scan.ts';

/**
 * One `/segment` of a route's path, read the way itty's RegExp reads it: a
 * literal segment is its text (folded when case-insensitive), any other form a step.
 */
type Step = string | PatternStep;

type PatternStep =
  | { readonly kind: 'param' } //                          /:id        any one non-empty segment
  | { readonly kind: 'optional' } //                       /:id?       that, or nothing
  | { readonly kind: 'greedy' } //                         /:rest+     "/" + anything, slashes included
  | { readonly kind: 'optional-greedy' } //                /:rest+?    that, or nothing
  | { readonly kind: 'wildcard' } //                       /*          nothing, or "/" + anything but a line break
  | { readonly kind: 'mixed'; readonly regexp: RegExp }; // /:name.:ext one segment, tested with itty's own RegExp

interface Edge {
  readonly step: PatternStep;
  readonly next: Node;
}

/** What a walk reads where a node has no pattern steps: no array made per node visited. */
const NO_EDGES: readonly Edge[] = [];

interface Node {
  /** Unique within its trie: marks where the walk has been. */
  readonly id: number;
  /** How many steps lead here from the root: the index of the step its routes take next. */
  readonly depth: number;
  /** Null until a literal step leaves this node: most nodes are leaves, and a table has thousands. */
  literals: Map<string, Node> | null;
  /** Non-literal steps: a handful per node, all of them tried. Null until one leaves this node. */
  patterns: Edge[] | null;
  /** What the routes ending at this node declare; null if none does. */
  declared: { readonly methods: Set<string>; all: boolean; readonly patterns: string[] } | null;
  /** Indexes of the routes through this node not yet placed below it: placed when a walk first reaches it. */
  pending: number[] | null;
}

/** itty-router 5 (Router.mjs) turns a path into its RegExp with these rewrites, in this order. */
const ITTY_REWRITES: readonly (readonly [RegExp, string])[] = [
  [/(\/?\.?):(\w+)\+/g, '($1(?<$2>[^]+))'],
  [/(\/?\.?):(\w+)/g, '($1(?<$2>[^$1/]+?))'],
  [/\./g, '\\.'],
  [/(\/?)\*/g, '($1.*)?'],
];

function ittySource(path: string): string {
  let source = path;
  for (let i = 0; i < ITTY_REWRITES.length; i++) {
    const rewrite = ITTY_REWRITES[i] as (typeof ITTY_REWRITES)[number];
    source = source.replace(rewrite[0], rewrite[1]);
  }
  return source;
}

/** Characters that mean something in a RegExp; `.` is not one, itty escapes it. */
const LITERAL = /^[^\\^$|?*+()[\]{}:]+$/;
const PARAM = /^:\w+(\?|\+|\+\?)?$/;
const PARAM_STEPS: Readonly<Record<string, PatternStep>> = {
  '': { kind: 'param' },
  '?': { kind: 'optional' },
  '+': { kind: 'greedy' },
  '+?': { kind: 'optional-greedy' },
};
const WILDCARD: PatternStep = { kind: 'wildcard' };
/** Literal text and `:name`/`:name?` within one segment, e.g. `:name.:ext` or `v:major.:minor?`. */
const MIXED = /^(?:[^\\^$|?*+()[\]{}:]|:\w+\??)+$/;
/** itty folds the `/` before a leading `:name?` into the optional group: the segment may vanish, slash and all. */
const LEADING_OPTIONAL = /^\.?:\w+\?/;
const ASCII = /^\p{ASCII}*$/u;
const SLASH = 47;
const CAPITAL = /[A-Z]/;
/** What a RegExp `.` does not match (no `s` flag). */
const LINE_BREAK = /[\n\r\u2028\u2029]/;

function parseSegment(text: string, caseInsensitive: boolean): Step | null {
  if (text === '*') return WILDCARD;
  const param = PARAM.exec(text);
  if (param) return PARAM_STEPS[param[1] ?? ''] as PatternStep;
  if (LITERAL.test(text)) {
    // The `i` flag folds non-ASCII letters its own way; such literals stay with the scan.
    if (!caseInsensitive) return text;
    return ASCII.test(text) ? text.toLowerCase() : null;
  }
  if (MIXED.test(text) && !LEADING_OPTIONAL.test(text)) {
    return { kind: 'mixed', regexp: new RegExp(`^${ittySource(`/${text}`)}$`, caseInsensitive ? 'i' : '') };
  }
  return null;
}

/**
 * Is `source` (a RegExp's) the text of `pattern`? RegExp#source may write a
 * `/` as `\/` (ECMA-262 EscapePattern; V8 does so outside character classes):
 * that is the same RegExp. `pattern` holds a backslash only before a `.`, so no
 * escaped backslash before a slash can pass for an escaped slash. Comparing
 * text spares a `new RegExp` per path on the first request (docs/performance.md).
 */
const isSourceOf = (source: string, pattern: string) =>
  source.length >= pattern.length && source.replaceAll('\\/', '/') === pattern;

/** A path's steps and the text of the RegExp itty builds from it. */
interface ParsedPath {
  readonly source: string;
  readonly steps: readonly Step[];
  /** A route's RegExp#source found to be `source`: the path's other routes compare with it at once. */
  checked: string | null;
}

/** Null if the trie cannot stand for the path's RegExp exactly. */
function parsePath(path: string, caseInsensitive: boolean): ParsedPath | null {
  if (path !== '' && !path.startsWith('/')) return null;
  const steps: Step[] = [];
  const texts = path === '' ? [] : path.slice(1).split('/');
  for (let i = 0; i < texts.length; i++) {
    const step = parseSegment(texts[i] as string, caseInsensitive);
    if (step === null) return null;
    steps.push(step);
  }
  return { source: `^${ittySource(path)}/*$`, steps, checked: null };
}

/**
 * The route's steps, or null if the trie cannot stand for its RegExp exactly.
 * Routes repeat paths (one per method): `parsed` holds each path's parse.
 */
function stepsOf(
  route: RouteEntry,
  caseInsensitive: boolean,
  parsed: Map<string, ParsedPath | null>,
): readonly Step[] | null {
  const match = route[1];
  const path = route[3];
  // itty builds its RegExps without flags: one with flags (`i`, `u`) is a custom entry, left to the scan.
  if (typeof path !== 'string' || !(match instanceof RegExp) || match.flags !== '') return null;
  let parse = parsed.get(path);
  if (parse === undefined) {
    parse = parsePath(path, caseInsensitive);
    parsed.set(path, parse);
  }
  if (parse === null) return null;
  // The path must be where the RegExp came from (not so for a custom `routes` entry).
  const { source } = match;
  if (source !== parse.checked) {
    if (!isSourceOf(source, parse.source)) return null;
    parse.checked = source;
  }
  return parse.steps;
}

function childFor(node: Node, step: Step, newNode: (depth: number) => Node): Node {
  if (typeof step === 'string') {
    node.literals ??= new Map();
    let next = node.literals.get(step);
    if (!next) {
      next = newNode(node.depth + 1);
      node.literals.set(step, next);
    }
    return next;
  }
  node.patterns ??= [];
  let edge = node.patterns.find((p) => patternKey(p.step) === patternKey(step));
  if (!edge) {
    edge = { step, next: newNode(node.depth + 1) };
    node.patterns.push(edge);
  }
  return edge.next;
}

const patternKey = (step: PatternStep) => (step.kind === 'mixed' ? step.regexp.source : step.kind);

/** Lowercase ASCII only, as the RegExp `i` flag (without `u`) relates ASCII letters to nothing else. */
const CAPITALS = /[A-Z]+/g;
/** A replace with a function costs a runtime call even where nothing matches: most paths have no capital. */
const foldAscii = (key: string) =>
  CAPITAL.test(key) ? key.replace(CAPITALS, (letters) => letters.toLowerCase()) : key;

/** One lookup's state: the key, where a route may end, and the nodes where one did. */
interface Walk {
  readonly key: string;
  /** A node reached at `pos >= end` has matched (the rest is trailing slashes, or nothing). */
  readonly end: number;
  readonly found: Node[];
  /** (node, pos) pairs already reached through a step of variable length. */
  seen: Set<number> | null;
  /** Places a node's pending routes below it (compileRouteTrie). */
  readonly grow: (node: Node) => void;
}

function visit(walk: Walk, node: Node, pos: number): void {
  if (node.pending) walk.grow(node);
  if (node.declared && pos >= walk.end) walk.found.push(node);
  explore(walk, node, pos);
}

/**
 * Optional, greedy and wildcard steps can reach one node at one place by many
 * splits (a few wildcards over a long path: exponentially many); walking each
 * such place once keeps a lookup polynomial whatever the table and the path.
 */
function visitOnce(walk: Walk, node: Node, pos: number): void {
  const place = node.id * (walk.key.length + 1) + pos;
  walk.seen ??= new Set();
  if (walk.seen.has(place)) return;
  walk.seen.add(place);
  visit(walk, node, pos);
}

/** Every step starts at a "/" (or is absent), so the walk only ever stands on one or at the end. */
function explore(walk: Walk, node: Node, pos: number): void {
  const { key } = walk;
  if (key.charCodeAt(pos) !== SLASH) {
    for (const { step, next } of node.patterns ?? NO_EDGES) {
      if (step.kind === 'optional' || step.kind === 'optional-greedy' || step.kind === 'wildcard')
        visitOnce(walk, next, pos);
    }
    return;
  }
  let segmentEnd = key.indexOf('/', pos + 1);
  if (segmentEnd === -1) segmentEnd = key.length;
  const nonEmpty = segmentEnd > pos + 1;
  if (nonEmpty) {
    const next = node.literals?.get(key.slice(pos + 1, segmentEnd));
    if (next) visit(walk, next, segmentEnd);
  }
  for (const { step, next } of node.patterns ?? NO_EDGES) {
    switch (step.kind) {
      case 'param':
        if (nonEmpty) visit(walk, next, segmentEnd);
        break;
      case 'optional':
        visitOnce(walk, next, pos);
        if (nonEmpty) visitOnce(walk, next, segmentEnd);
        break;
      case 'mixed':
        if (step.regexp.test(key.slice(pos, segmentEnd))) visit(walk, next, segmentEnd);
        break;
      case 'optional-greedy':
        visitOnce(walk, next, pos);
        greedy(walk, next, pos);
        break;
      case 'greedy':
        greedy(walk, next, pos);
        break;
      case 'wildcard':
        visitOnce(walk, next, pos);
        for (let at = pos + 1; at <= key.length; at++) {
          if (at === key.length || key.charCodeAt(at) === SLASH) visitOnce(walk, next, at);
          if (LINE_BREAK.test(key.charAt(at))) break;
        }
        break;
    }
  }
}

/** `[^]+` after the "/": at least one character, then wherever the next step may start. */
function greedy(walk: Walk, next: Node, pos: number): void {
  const { key } = walk;
  for (let at = pos + 2; at <= key.length; at++) {
    if (at === key.length || key.charCodeAt(at) === SLASH) visitOnce(walk, next, at);
  }
}

/**
 * The first segments (folded) a path must begin with for any of `routes` to
 * match it, in either mode; null if one of them may match another path (it
 * begins with a pattern step, matches the root, or is left to the scan).
 */
export function firstSegments(routes: readonly RouteEntry[]): ReadonlySet<string> | null {
  const first = new Set<string>();
  const parsed = new Map<string, ParsedPath | null>();
  for (let i = 0; i < routes.length; i++) {
    const step = stepsOf(routes[i] as RouteEntry, true, parsed)?.[0];
    if (typeof step !== 'string') return null;
    first.add(step);
  }
  return first;
}

/**
 * Compiles `routes` into a trie; `scan` (the reference scan) answers for the
 * routes the trie cannot represent exactly.
 */
export function compileRouteTrie(
  routes: readonly RouteEntry[],
  options: MethodMapOptions,
  scan: (routes: readonly RouteEntry[], options: MethodMapOptions) => MethodMap,
): MethodMap {
  let nodes = 0;
  const newNode = (depth: number): Node => ({
    id: nodes++,
    depth,
    literals: null,
    patterns: null,
    declared: null,
    pending: null,
  });
  const root = newNode(0);
  root.pending = [];
  /** Each route's steps, by its index in `routes`; null for the routes left to the scan. */
  const stepsByRoute: (readonly Step[] | null)[] = [];
  const unrepresented: RouteEntry[] = [];
  const parsed = new Map<string, ParsedPath | null>();
  for (let i = 0; i < routes.length; i++) {
    const route = routes[i] as RouteEntry;
    const steps = stepsOf(route, options.caseInsensitive, parsed);
    if (steps === null) unrepresented.push(route);
    else root.pending.push(stepsByRoute.length);
    stepsByRoute.push(steps);
  }
  const fallback = unrepresented.length > 0 ? scan(unrepresented, options) : null;
  let order: ReadonlyMap<string, number> | null = null;
  const byOrder = (a: string, b: string) => {
    order ??= patternOrder(routes);
    return (order.get(a) ?? 0) - (order.get(b) ?? 0);
  };

  const grow = (node: Node) => {
    const pending = node.pending ?? [];
    for (let i = 0; i < pending.length; i++) {
      const index = pending[i] as number;
      const route = routes[index] as RouteEntry;
      const step = (stepsByRoute[index] as readonly Step[])[node.depth];
      if (step !== undefined) {
        const next = childFor(node, step, newNode);
        next.pending ??= [];
        next.pending.push(index);
        continue;
      }
      const pattern = routePattern(route[3], route[1]);
      node.declared ??= { methods: new Set(), all: false, patterns: [] };
      if (!node.declared.patterns.includes(pattern)) node.declared.patterns.push(pattern);
      const method = String(route[0]).toUpperCase();
      if (method === 'ALL') node.declared.all = true;
      else node.declared.methods.add(method);
    }
    node.pending = null;
    // A pattern's first place may be a route left to the scan: order by the rules, not by arrival.
    if (node.declared && node.declared.patterns.length > 1) node.declared.patterns.sort(byOrder);
  };

  return {
    lookup(key) {
      let path = options.caseInsensitive ? foldAscii(key) : key;
      // Strict patterns end in `$`, not `/*$`: the root "/" is then the empty path, as in scanMethodMap.
      if (options.strictTrailingSlash && path === '/') path = '';
      let end = path.length;
      // Otherwise itty's `/*$` tail lets trailing slashes match.
      if (!options.strictTrailingSlash) while (end > 0 && path.charCodeAt(end - 1) === SLASH) end--;
      const walk: Walk = { key: path, end, found: [], seen: null, grow };
      visit(walk, root, 0);

      const declared: Declared[] = walk.found.map((node) => node.declared as Declared);
      const scanned = fallback?.lookup(key);
      if (scanned) declared.push(scanned);
      if (declared.length === 0) return null;
      return declared.length === 1 ? (declared[0] as Declared) : union(declared, byOrder);
    },
  };
}
