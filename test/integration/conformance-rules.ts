/**
 * The MUSTs (and the guard's own SHOULDs) every answer is checked against, one row
 * each with the section it cites. A rule applies to some answers and returns what
 * is wrong with one, or null.
 */
import type { RawResponse } from '../support/http.ts';

export interface Answer {
  /** What was asked, e.g. "POST /hello (405, text)". */
  readonly name: string;
  readonly method: string;
  readonly response: RawResponse;
  /** Written by the guard itself (not passed on from the origin). */
  readonly own: boolean;
  /** The same request as GET, for HEAD answers. */
  readonly get?: RawResponse;
}

export interface Rule {
  readonly cite: string;
  readonly rule: string;
  readonly applies: (a: Answer) => boolean;
  readonly violation: (a: Answer) => string | null;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const header = (a: Answer, name: string) => a.response.headers[name] as string | undefined;
const isProblem = (a: Answer) => /^application\/(problem\+)?json/.test(header(a, 'content-type') ?? '') && a.own;

export const RULES: readonly Rule[] = [
  {
    cite: 'RFC 9110 §15.5.6',
    rule: 'a 405 carries Allow',
    applies: (a) => a.response.status === 405,
    violation: (a) => (header(a, 'allow') ? null : 'no Allow'),
  },
  {
    cite: 'RFC 9110 §10.2.1',
    rule: 'Allow lists method tokens',
    applies: (a) => header(a, 'allow') !== undefined,
    violation: (a) => {
      const bad = (header(a, 'allow') ?? '')
        .split(',')
        .map((m) => m.trim())
        .filter((m) => !TOKEN.test(m));
      return bad.length ? `not methods: ${bad.join(' ')}` : null;
    },
  },
  {
    cite: 'RFC 9110 §8.6',
    rule: 'no Content-Length on a 1xx or 204',
    applies: (a) => a.response.status < 200 || a.response.status === 204,
    violation: (a) => (header(a, 'content-length') === undefined ? null : 'Content-Length present'),
  },
  {
    cite: 'RFC 9110 §6.4.1, §15.3.5',
    rule: 'a 204 and a HEAD answer have no content',
    applies: (a) => a.response.status === 204 || a.method === 'HEAD',
    violation: (a) => (a.response.body === '' ? null : `${a.response.body.length} bytes of content`),
  },
  {
    cite: 'RFC 9110 §9.3.2',
    rule: 'HEAD answers with the status and header fields of GET (Content-Length may be left out)',
    applies: (a) => a.method === 'HEAD' && a.get !== undefined,
    violation: (a) => {
      // Framing (RFC 9112 §6) and Date are per message, not per representation.
      const { 'content-length': _h, 'transfer-encoding': _t, date: _d, ...head } = a.response.headers;
      const { 'content-length': _g, 'transfer-encoding': _u, date: _e, ...get } = a.get?.headers ?? {};
      if (a.response.status !== a.get?.status) return `status ${a.response.status} ≠ GET's ${a.get?.status}`;
      return JSON.stringify(head) === JSON.stringify(get) ? null : 'header fields differ from GET';
    },
  },
  {
    cite: 'RFC 9110 §8.6',
    rule: 'a Content-Length on HEAD equals what GET sends',
    applies: (a) => a.method === 'HEAD' && a.get !== undefined && header(a, 'content-length') !== undefined,
    violation: (a) =>
      header(a, 'content-length') === String(Buffer.byteLength(a.get?.body ?? '')) ? null : 'differs from GET',
  },
  {
    cite: 'RFC 9457 §3.1',
    rule: 'a problem has type, title and a status equal to the HTTP status',
    applies: isProblem,
    violation: (a) => {
      const p = JSON.parse(a.response.body);
      if (typeof p.type !== 'string' || typeof p.title !== 'string') return 'type or title missing';
      return p.status === a.response.status ? null : `status member ${p.status}`;
    },
  },
  {
    cite: 'RFC 9110 §12.5.5',
    rule: 'an answer whose format follows Accept says Vary: Accept',
    applies: (a) => a.own && a.response.status >= 400,
    violation: (a) => (/\baccept\b/i.test(header(a, 'vary') ?? '') ? null : 'no Vary: Accept'),
  },
  {
    cite: 'WHATWG Fetch, X-Content-Type-Options',
    rule: "the guard's own answers say nosniff",
    applies: (a) => a.own,
    violation: (a) => (header(a, 'x-content-type-options') === 'nosniff' ? null : 'no nosniff'),
  },
  {
    cite: 'WHATWG Fetch, CORS protocol',
    rule: 'Access-Control-Allow-Origin is * or one serialized origin',
    applies: (a) => header(a, 'access-control-allow-origin') !== undefined,
    violation: (a) => {
      const value = header(a, 'access-control-allow-origin') ?? '';
      return value === '*' || /^https?:\/\/[^/,\s]+$/.test(value) ? null : `ACAO ${value}`;
    },
  },
  {
    cite: 'WHATWG Fetch, CORS protocol',
    rule: 'with credentials, no * in Allow-Origin, -Methods or -Headers',
    applies: (a) => header(a, 'access-control-allow-credentials') === 'true',
    violation: (a) => {
      const names = ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers'];
      const star = names.filter((n) => (header(a, n) ?? '').split(',').some((v) => v.trim() === '*'));
      return star.length ? `* in ${star.join(', ')}` : null;
    },
  },
  {
    cite: 'WHATWG Fetch, CORS protocol (caching)',
    rule: 'a CORS answer that depends on Origin says Vary: Origin',
    applies: (a) =>
      header(a, 'access-control-allow-origin') !== undefined && header(a, 'access-control-allow-origin') !== '*',
    violation: (a) => (/\borigin\b/i.test(header(a, 'vary') ?? '') ? null : 'no Vary: Origin'),
  },
  {
    cite: 'RFC 6455 §4.2.2',
    rule: 'a passed-through 101 keeps Upgrade: websocket and Connection: upgrade',
    applies: (a) => a.response.status === 101,
    violation: (a) =>
      /websocket/i.test(header(a, 'upgrade') ?? '') && /upgrade/i.test(header(a, 'connection') ?? '')
        ? null
        : 'Upgrade/Connection missing',
  },
];
