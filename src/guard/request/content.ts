/**
 * Whether a request carries content, read from its framing (RFC 9112 §6.3): a
 * Transfer-Encoding, or a Content-Length other than 0. `request.body` cannot
 * tell: workerd gives a GET with `Content-Length: 0` an (empty) body stream too.
 * Returns the framing header as the client sent it, or null for no content.
 */
export function contentFraming(headers: Headers): string | null {
  const transferEncoding = headers.get('transfer-encoding');
  if (transferEncoding !== null) return `Transfer-Encoding: ${transferEncoding}`;
  const contentLength = headers.get('content-length');
  if (contentLength !== null && contentLength.trim() !== '0') return `Content-Length: ${contentLength}`;
  return null;
}

/** RFC 9110 §9.3.1–2: content in GET or HEAD has no defined meaning. */
export const NO_CONTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);
