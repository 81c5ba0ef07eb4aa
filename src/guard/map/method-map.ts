/**
 * The method map the guard uses: itty's `router.routes` compiled into a segment
 * trie (route-trie.ts), proven equal to the reference scan (scan.ts), its cost
 * flat in the table size. A reading may ask for the case-folded map or the
 * exact one (readings.ts): the options' own at once, the other on first use.
 */
import type { RouteEntry } from 'itty-router';
import type { Declared } from './methods.ts';
import { compileRouteTrie } from './route-trie.ts';
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
}

type Compile = (routes: readonly RouteEntry[], options: MethodMapOptions) => OneModeMap;

/** itty names a param's group after it (`(?<userId>`): not a letter any path is compared with. */
const GROUP_NAME = /\?<\w+>/g;
const CAPITAL = /[A-Z]/;

function withModes(routes: readonly RouteEntry[], options: MethodMapOptions, compile: Compile): MethodMap {
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
    caseMatters: routes.some(({ 1: match }) => {
      if (match.flags.includes('i')) return true;
      // Only a source with a capital is worth cutting the group names out of (most have none).
      const { source } = match;
      return CAPITAL.test(source) && CAPITAL.test(source.replace(GROUP_NAME, ''));
    }),
  };
}

export function compileMethodMap(routes: readonly RouteEntry[], options: MethodMapOptions): MethodMap {
  return withModes(routes, options, (r, o) => compileRouteTrie(r, o, scanOneMode));
}

/** Reference implementation: itty's own linear regex scan, in every mode. */
export function scanMethodMap(routes: readonly RouteEntry[], options: MethodMapOptions): MethodMap {
  return withModes(routes, options, scanOneMode);
}
