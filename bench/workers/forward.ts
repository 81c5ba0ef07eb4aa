/** The peers' route handler: what method-guard does for an allowed request (src/origin.ts), by hand. */
export function forward(request: Request, env: { ORIGIN: string }): Promise<Response> {
  const url = new URL(request.url);
  // An init, not the Request: itty's AutoRouter hands handlers a Proxy, which fetch() refuses.
  const init = { method: request.method, headers: request.headers, body: request.body, redirect: 'manual' } as const;
  return fetch(new URL(url.pathname + url.search, env.ORIGIN), init);
}
