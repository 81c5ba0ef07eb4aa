/**
 * Method overrides in a POST body. Rack::MethodOverride (Rails), Symfony and
 * Laravel, Express's method-override (body getter) and Spring's
 * HiddenHttpMethodFilter run a POST form's `_method` field as the method: every
 * Rails "delete" link works this way. So for the profiles whose origins honour
 * it, a POST that may carry one is read before it is forwarded, and each
 * `_method` in it must name a method the path allows.
 *
 * Bounded: at most FORM_LOOK_LIMIT bytes are read. The bytes read are forwarded
 * as the body (the origin gets exactly what was sent); a body over the limit is
 * refused with 413, because `_method` could sit anywhere in it (Rack and PHP take
 * the last one, Express the first). Bodies of every other request are never
 * read: they stream to the origin untouched. In report mode (`keepWhole`) the
 * same look decides what enforce would do, and a body over the limit is
 * forwarded whole: the bytes read, then the rest of the stream.
 */
import type { Config } from '../config.ts';
import type { Decision } from '../decide.ts';
import { isMethodToken, WORKER_METHODS } from '../map/methods.ts';
import { formDecode, formPairs, type OverrideSpelling, phpNameIsOverride } from '../request/override.ts';

/** 64 KiB: far more than any form with a hidden `_method` field needs, little for a Worker to hold. */
export const FORM_LOOK_LIMIT = 64 * 1024;

type BodyKind = 'form' | 'multipart' | 'json';

/** Media type (lowercase, parameters dropped) → how `_method` is found in it, and which spelling honours it. */
const BODIES: Readonly<Record<string, { readonly kind: BodyKind; readonly spelling: OverrideSpelling }>> = {
  'application/x-www-form-urlencoded': { kind: 'form', spelling: 'form-body' },
  'multipart/form-data': { kind: 'multipart', spelling: 'form-body' },
  // Rack reads a POST without a Content-Type as a form (Rack::Request#form_data?).
  '': { kind: 'form', spelling: 'form-body' },
  // Laravel swaps its request bag for the JSON input, where Symfony's getMethod finds `_method`.
  'application/json': { kind: 'json', spelling: 'json-body' },
};

export type FormCheck =
  | { readonly request: Request; readonly decision: Decision }
  | { readonly request: Request; readonly decision: Extract<Decision, { action: 'refuse' }> };

/** What the body would be read as, or null when this request's body is left alone. */
function bodyKind(request: Request, decision: Decision, config: Config): BodyKind | null {
  if (request.method !== 'POST' || decision.action !== 'pass' || decision.unmatched || request.body === null)
    return null;
  // Only where some method a `_method` could name is forbidden.
  const allow = decision.allow ?? [];
  if (WORKER_METHODS.every((m) => allow.includes(m) || m === 'TRACE')) return null;
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const body = BODIES[type] ?? (type.endsWith('+json') ? BODIES['application/json'] : undefined);
  return body && config.originProfile.overrides.has(body.spelling) ? body.kind : null;
}

/**
 * null when this request's body is left alone (most requests: no await on their
 * way). Otherwise the look: the request to forward (its body read and replaced by
 * the same bytes) and the decision, now a refusal if the body carries a forbidden
 * `_method` (405), a malformed one (400) or is too long to rule one out (413).
 */
export function formOverrideLook(request: Request, decision: Decision, config: Config): Promise<FormCheck> | null {
  const kind = bodyKind(request, decision, config);
  return kind === null || decision.action !== 'pass' ? null : look(request, decision, kind, config.mode === 'report');
}

async function look(
  request: Request,
  decision: Extract<Decision, { action: 'pass' }>,
  kind: BodyKind,
  keepWhole: boolean,
): Promise<FormCheck> {
  const { path } = decision;
  const refuse = (status: 400 | 405 | 413, detail: string) =>
    ({
      request,
      decision: { action: 'refuse', status, path, detail, ...(status === 405 ? { allow: decision.allow ?? [] } : {}) },
    }) as FormCheck;

  const declared = Number(request.headers.get('content-length') ?? '0');
  const tooLong = `a POST body over ${FORM_LOOK_LIMIT} bytes on a path that does not allow every method: the origin may read a _method anywhere in it, and the guard reads at most ${FORM_LOOK_LIMIT}`;
  if (declared > FORM_LOOK_LIMIT) return refuse(413, tooLong);
  const { bytes, rest } = await readAtMost(request.body as ReadableStream<Uint8Array>, FORM_LOOK_LIMIT);
  if (rest !== null) {
    if (!keepWhole) {
      await rest.cancel();
      return refuse(413, tooLong);
    }
    return { ...refuse(413, tooLong), request: new Request(request, { body: rejoined(bytes, rest) }) };
  }
  const forwarded = new Request(request, { body: bytes });

  const text = new TextDecoder().decode(bytes);
  const found =
    kind === 'json' ? jsonOverrides(text) : kind === 'form' ? formOverrides(text) : multipartOverrides(request, text);
  if (typeof found === 'string') return { ...refuse(400, found), request: forwarded };
  for (const value of found) {
    const method = value.trim();
    if (!isMethodToken(method))
      return { ...refuse(400, `body _method is not a method name: ${JSON.stringify(method)}`), request: forwarded };
    const upper = method.toUpperCase();
    if (!(decision.allow ?? []).includes(upper))
      return { ...refuse(405, `body _method: ${upper} is not allowed on ${path}`), request: forwarded };
  }
  return { request: forwarded, decision };
}

/**
 * The stream's bytes up to the first chunk that passes `limit`; `rest` is the
 * reader of what remains unread when the limit was passed, else null.
 */
async function readAtMost(
  body: ReadableStream<Uint8Array>,
  limit: number,
): Promise<{ bytes: Uint8Array; rest: ReadableStreamDefaultReader<Uint8Array> | null }> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let rest: ReadableStreamDefaultReader<Uint8Array> | null = null;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    chunks.push(value);
    if (length > limit) {
      rest = reader;
      break;
    }
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { bytes, rest };
}

/** The bytes already read, then the rest of the stream as it arrives. */
function rejoined(bytes: Uint8Array, rest: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
    },
    async pull(controller) {
      const { done, value } = await rest.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return rest.cancel(reason);
    },
  });
}

/** Every `_method` of a urlencoded body, in every spelling PHP reads as one. */
function formOverrides(text: string): string[] {
  const found: string[] = [];
  for (const [name, value] of formPairs(text)) if (phpNameIsOverride(name)) found.push(value);
  return found;
}

/** Every part named `_method` (as PHP reads names), its content the value. */
function multipartOverrides(request: Request, text: string): string[] | string {
  const boundary = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(request.headers.get('content-type') ?? '');
  const delimiter = boundary?.[1] ?? boundary?.[2];
  if (!delimiter) return 'multipart/form-data without a boundary';
  const found: string[] = [];
  for (const part of text.split(`--${delimiter}`).slice(1)) {
    const end = part.indexOf('\r\n\r\n');
    if (end === -1) continue;
    const disposition = /content-disposition:[^\r\n]*?\bname\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(
      part.slice(0, end),
    );
    const name = disposition?.[1] ?? disposition?.[2];
    if (name === undefined || !phpNameIsOverride(formDecode(name.replace(/\\(.)/g, '$1')))) continue;
    found.push(part.slice(end + 4).replace(/\r\n$/, ''));
  }
  return found;
}

/** `_method` of a JSON object body (a string, or what is not a method name). */
function jsonOverrides(text: string): string[] | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return []; // Laravel reads no input from JSON it cannot parse.
  }
  if (typeof body !== 'object' || body === null || !Object.hasOwn(body, '_method')) return [];
  const value = (body as Record<string, unknown>)._method;
  return typeof value === 'string' ? [value] : `body _method is not a method name: ${JSON.stringify(value)}`;
}
