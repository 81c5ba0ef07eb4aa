/**
 * The method map the guard uses: itty's `router.routes` compiled into a segment
 * trie (route-trie.ts), proven equal to the reference scan (scan.ts), its cost
 * flat in the table size.
 */
import type { RouteEntry } from 'itty-router';
import { compileRouteTrie } from './route-trie.ts';
import { type MethodMap, type MethodMapOptions, scanMethodMap } from './scan.ts';

export type { MethodMap, MethodMapOptions };
export { scanMethodMap };

export function compileMethodMap(routes: readonly RouteEntry[], options: MethodMapOptions): MethodMap {
  return compileRouteTrie(routes, options, scanMethodMap);
}
