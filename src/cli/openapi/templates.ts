/**
 * OpenAPI path templates ↔ itty-router patterns.
 *
 * OpenAPI 3.1 §4.8.2 (Path Templating): `{name}` stands for one path parameter,
 * whose value never holds a `/` (an unescaped `/` would start a new segment).
 * itty turns `:name` into `[^/]+?`, which is exactly that, with two exceptions
 * this file writes around (docs/openapi.md):
 *
 * - `.:name` becomes `\.(?<name>[^./]+?)`: a value after a dot may not hold a
 *   dot, so `{base}...{head}` would refuse `v1.0...v2.0`. A dot right before a
 *   parameter is written `\x2e`, which itty leaves alone and the RegExp reads as a dot.
 * - `:name` takes every word character that follows, so `{id}abc` would be `:idabc`:
 *   a word character right after a parameter is written `\xHH` as well.
 *
 * Literal text is written the way the guard's canonical path spells it (workerd's
 * WHATWG URL parsing, unreserved escapes decoded), and characters that itty or a
 * RegExp would read as syntax (`*`, `:`, `+`, `(`…) are written `\xHH`.
 */

export type TemplatePart =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string };

/** A template the guard cannot stand for; the message says why. */
export class TemplateError extends Error {}

/** Read by a RegExp (or by itty: `*` wildcard, `:` parameter) as syntax, not as the character. */
const SYNTAX = new Set([...'\\^$|?*+()[]{}:']);
/** RFC 3986 §2.3: the canonical path decodes these, so patterns spell them plainly. */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const WORD = /^\w$/;

export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf('{');
    const close = rest.indexOf('}');
    if (close !== -1 && (open === -1 || close < open)) throw new TemplateError(`unmatched "}" in ${template}`);
    if (open === -1) {
      parts.push({ kind: 'literal', text: rest });
      break;
    }
    if (open > 0) parts.push({ kind: 'literal', text: rest.slice(0, open) });
    const name = rest.slice(open + 1, close);
    if (close === -1 || name.includes('{')) throw new TemplateError(`unmatched "{" in ${template}`);
    if (name === '') throw new TemplateError(`empty parameter "{}" in ${template}`);
    if (name.includes('/')) throw new TemplateError(`parameter "{${name}}" spans a "/" in ${template}`);
    parts.push({ kind: 'param', name });
    rest = rest.slice(close + 1);
  }
  return parts;
}

const hex = (ch: string) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** One character of literal text as the canonical path spells it (percent-encoded as workerd's URL parser does). */
function canonicalChar(ch: string): string {
  if (ch === '\\') throw new TemplateError('a backslash: the guard refuses every such path (400)');
  if (ch === ';')
    throw new TemplateError('a ";": the guard refuses every such path (400), origins read it as a path parameter');
  if (ch === '.' || ch === '/') return ch;
  // Between two letters: the URL parser trims leading and trailing spaces.
  const encoded = new URL(`http://h/a${ch}a`).pathname.slice(2, -1);
  return encoded.replace(/%[0-9a-f]{2}/gi, (e) => e.toUpperCase());
}

/** Literal template text as the canonical path spells it. */
function canonicalLiteral(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch !== '%') {
      out += canonicalChar(ch);
      continue;
    }
    const code = text.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(code)) throw new TemplateError(`invalid percent-encoding "${text.slice(i, i + 3)}"`);
    const decoded = String.fromCharCode(Number.parseInt(code, 16));
    if (decoded === '/' || decoded === '\\')
      throw new TemplateError(`an encoded path separator "%${code}": the guard refuses it (400)`);
    out += UNRESERVED.test(decoded) ? decoded : `%${code.toUpperCase()}`;
    i += 2;
  }
  return out;
}

/** itty parameter names are `\w+` and unique within a pattern (they become RegExp group names). */
function paramName(name: string, taken: Set<string>): string {
  const base = name.replace(/\W/g, '_');
  let unique = base;
  for (let n = 2; taken.has(unique); n++) unique = `${base}_${n}`;
  taken.add(unique);
  return unique;
}

/** The itty pattern matching exactly the paths the (already base-prefixed) template matches. */
export function toIttyPattern(template: string): string {
  if (/(^|\/)\.{1,2}(\/|$)/.test(template.replace(/%2e/gi, '.'))) {
    throw new TemplateError('a "." or ".." segment: URL parsing removes it before the guard sees the path');
  }
  const parts = parseTemplate(template);
  const taken = new Set<string>();
  let pattern = '';
  parts.forEach((part, i) => {
    if (part.kind === 'param') {
      pattern += `:${paramName(part.name, taken)}`;
      return;
    }
    const text = canonicalLiteral(part.text);
    const afterParam = parts[i - 1]?.kind === 'param';
    const beforeParam = parts[i + 1]?.kind === 'param';
    [...text].forEach((ch, j) => {
      const syntax = SYNTAX.has(ch);
      const glued = (j === 0 && afterParam && WORD.test(ch)) || (j === text.length - 1 && beforeParam && ch === '.');
      pattern += syntax || glued ? hex(ch) : ch;
    });
  });
  return pattern;
}

/** Base path + path template, as the guard matches it: `//` is one `/`, a trailing `/` is ignored. */
export function joinTemplate(base: string, path: string): string {
  const joined = `/${base}/${path}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
}

/** The same pattern with parameter names dropped: two routes with equal shapes match the same paths. */
export function patternShape(pattern: string): string {
  return pattern.replace(/:\w+/g, ':');
}

/** itty tokens and escapes read back into OpenAPI templates (for export). */
const ITTY_TOKEN = /\\x([0-9a-fA-F]{2})|:(\w+)([+?]?)|\*|[\\^$|?+()[\]{}]/g;

/**
 * The OpenAPI templates an itty pattern stands for: one, or two for an optional
 * `:name?`. Null when OpenAPI cannot say it (`*`, `:name+`, regex syntax): a
 * template parameter never holds a `/`.
 */
export function toTemplates(pattern: string): string[] | null {
  let templates = [''];
  let last = 0;
  for (const token of pattern.matchAll(ITTY_TOKEN)) {
    const before = pattern.slice(last, token.index);
    last = token.index + token[0].length;
    const [, code, name, modifier] = token;
    if (code !== undefined) {
      templates = templates.map((t) => `${t}${before}${String.fromCharCode(Number.parseInt(code, 16))}`);
    } else if (name !== undefined && modifier === '') {
      templates = templates.map((t) => `${t}${before}{${name}}`);
    } else if (name !== undefined && modifier === '?') {
      // itty makes the `/` (or `.`) before an optional parameter optional with it.
      const prefix = /[/.]$/.test(before) ? before.slice(0, -1) : before;
      templates = templates.flatMap((t) => [`${t}${prefix}`, `${t}${before}{${name}}`]);
    } else {
      return null;
    }
  }
  return templates.map((t) => joinTemplate('', `${t}${pattern.slice(last)}`));
}
