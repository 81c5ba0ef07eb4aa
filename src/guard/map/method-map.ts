/**
 * The method map the guard uses: itty's `router.routes` compiled into a segment
 * trie (route-trie.ts), proven equal to the reference scan (scan.ts), its cost
 * flat in the table size. A reading may ask for the case-folded map or the
 * exact one (readings.ts): the options' own at once, the other on first use.
 */
import type { RouteEntry } from 'itty-router';
import type { Declared } from './methods.ts';
import { compileRouteTrie, firstSegments } from './route-trie.ts';
import { type MethodMapOptions, type MethodMap as OneModeMap, scanMethodMap as scanOneMode } from './scan.ts';

export type { MethodMapOptions };

/** How one reading's path is compared with the routes (readings.ts). */
export interface MatchMode {
  readonly caseInsensitive: boolean;
}

export interface MethodMap {
  /** The routes' declaration for a path (in `mode`; default: the options'), or null if no route matches it. */
  lookup(key: string, mode?: MatchMode): Declared | null;
  /**
   * Some route spells a letter in upper case (or is case-insensitive itself):
   * only then can folding an all-lowercase path change what matches.
   */
  readonly caseMatters: boolean;
  /**
   * `caseMatters` for one path: false also where the path has no capital (nor
   * anything outside ASCII) and no route that is not case-blind matches it in
   * either mode, as every other route matches it alike folded or not.
   */
  caseMattersAt(path: string): boolean;
}

type Compile = (routes: readonly RouteEntry[], options: MethodMapOptions) => OneModeMap;

/**
 * RegExp text that matches a path without capitals the same with the `i` flag
 * as without: no letter in upper case, no escape or class that could name one
 * (`\x41`, `\u0041`, `\101`, `[!-_]`, `[^a-z]`, `\p{Lu}`, a backreference), only
 * the classes itty writes (`[^/]`, `[^\./]`, `[^]`), its group names (`(?<userId>`:
 * not a letter any path is compared with) and hex escapes of what is not a letter
 * (`\x2e`, as GitHub's compare route spells its dots). Without `u`, `i` relates an
 * ASCII letter to its other case only (ECMA-262 Canonicalize), so such a RegExp
 * cannot tell a lowercase ASCII path from itself folded. Nothing outside ASCII
 * either: readings.ts folds a path only for an ASCII capital, and `é` is not `É`.
 * Whatever this does not recognise counts as telling case apart.
 */
const CASE_BLIND =
  /^(?:[^A-Z\\[(\u0080-\uffff]|\((?!\?<\w+>)|\(\?<\w+>|\\[./]|\\x(?:[0-3][\dA-Fa-f]|40|5[B-Fb-f]|60|7[B-Fb-f])|\[\^(?:[./]|\\[./])*\])*$/;
/** Flags that leave case alone: not `i`, nor `u`/`v`, under which `i` relates `ſ` to `s` and `K` (Kelvin) to `k`. */
const CASE_BLIND_FLAGS = /^[dgmsy]*$/;
/** A path with a letter `i` may relate to another: a capital, or anything outside ASCII. */
const FOLDABLE = /[A-Z\u0080-\uffff]/;

/** A path's first segment; no segment at all (""), unless the path begins with "/". */
function firstSegment(path: string): string {
  if (path.charCodeAt(0) !== 47) return '';
  const end = path.indexOf('/', 1);
  return path.slice(1, end === -1 ? path.length : end);
}

const EXACT: MatchMode = { caseInsensitive: false };
const FOLDED: MatchMode = { caseInsensitive: true };

const caseBlind = ({ 1: match }: RouteEntry) => CASE_BLIND_FLAGS.test(match.flags) && CASE_BLIND.test(match.source);

/** One table in both modes: the options' own compiled at once, the other on first use. */
type Modes = Omit<MethodMap, 'caseMattersAt'>;

function withModes(routes: readonly RouteEntry[], options: MethodMapOptions, compile: Compile): Modes {
  const modes = new Map<boolean, OneModeMap>();
  const forMode = (caseInsensitive: boolean): OneModeMap => {
    let map = modes.get(caseInsensitive);
    if (!map) {
      map = compile(routes, { ...options, caseInsensitive });
      modes.set(caseInsensitive, map);
    }
    return map;
  };
  const own = forMode(options.caseInsensitive);
  return {
    lookup: (key, mode) => (mode ? forMode(mode.caseInsensitive) : own).lookup(key),
    caseMatters: !routes.every(caseBlind),
  };
}

export function compileMethodMap(routes: readonly RouteEntry[], options: MethodMapOptions): MethodMap {
  const compile: Compile = (r, o) => compileRouteTrie(r, o, scanOneMode);
  const map = withModes(routes, options, compile);
  /** The routes that are not case-blind and the first segments they need: built on first use. */
  let caseSensitive: { readonly map: Modes; readonly first: ReadonlySet<string> | null } | null = null;
  const caseSensitiveMatch = (key: string) => {
    if (!caseSensitive) {
      const few = routes.filter((route) => !caseBlind(route));
      // A table spelled in capitals throughout is its own case-sensitive part: not compiled twice.
      caseSensitive = {
        map: few.length === routes.length ? map : withModes(few, options, compile),
        first: firstSegments(few),
      };
    }
    const { map: few, first } = caseSensitive;
    // Most paths begin elsewhere (GitHub's capitals are all under /orgs and /users): no lookup at all.
    if (first !== null && !first.has(firstSegment(key))) return false;
    return few.lookup(key, EXACT) !== null || few.lookup(key, FOLDED) !== null;
  };
  // A lowercase ASCII path matches each case-blind route alike in both modes: unless a route that is not
  // matches it in either mode, folding it changes nothing. So with a route spelled in capitals (GitHub's
  // `projectsV2`), most paths are still read once, and the folded map is not compiled for them.
  const alike = (key: string) => !FOLDABLE.test(key) && !caseSensitiveMatch(key);
  return {
    caseMatters: map.caseMatters,
    caseMattersAt: (path) => map.caseMatters && !alike(path),
    lookup: (key, mode) =>
      mode && mode.caseInsensitive !== options.caseInsensitive && alike(key) ? map.lookup(key) : map.lookup(key, mode),
  };
}

/** Reference implementation: itty's own linear regex scan, in every mode. */
export function scanMethodMap(routes: readonly RouteEntry[], options: MethodMapOptions): MethodMap {
  const map = withModes(routes, options, scanOneMode);
  return { ...map, caseMattersAt: () => map.caseMatters };
}
