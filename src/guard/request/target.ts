/**
 * The path and query of a request, read from `request.url` as the runtime
 * serialized it (WHATWG URL): the guard needs only these two, and a URL object
 * costs a parse plus a call into the runtime per property read.
 */

export interface RequestTarget {
  /** As URL#pathname: from the first "/" after the authority, up to "?" or "#". */
  readonly pathname: string;
  /** As URL#search: "?" and the query, or "" when there is none or it is empty. */
  readonly search: string;
}

/**
 * `url` is a serialized http(s) URL, so it has an authority, and its path starts
 * at the first "/" after "scheme://" (neither host nor userinfo may hold one
 * unencoded); "?" and "#" appear encoded in the path, "#" in the query.
 */
export function requestTarget(url: string): RequestTarget {
  const start = url.indexOf('/', url.indexOf('://') + 3);
  let end = url.indexOf('#', start);
  if (end === -1) end = url.length;
  const query = url.indexOf('?', start);
  if (query === -1 || query > end) return { pathname: url.slice(start, end), search: '' };
  return { pathname: url.slice(start, query), search: query + 1 === end ? '' : url.slice(query, end) };
}

/** scheme://authority of a serialized URL: where the path starts. */
export function originOf(url: string): string {
  return url.slice(0, url.indexOf('/', url.indexOf('://') + 3));
}
