/**
 * Wires the pieces for one router: config (parsed once per env), the method map
 * (compiled once per router and options), the decision, then an edge answer or
 * the forward. Data flows one way: request → canonical path → decision → answer.
 */
import { type Config, ConfigError, type GuardOptions, parseConfig } from './config.ts';
import { type Decision, decide } from './decide.ts';
import { handlerRunner, type RunsHandlers } from './dispatch.ts';
import { applyCors, preflightResponse } from './http/cors.ts';
import { countDecision, type Dataset, METRICS_BINDING, metricsDataset } from './http/counters.ts';
import { formOverrideLook } from './http/form-override.ts';
import { correlationId, type DecisionLog, logDecision, logs } from './http/log.ts';
import { forward, forwardAsIs, OriginUnreachable } from './http/origin.ts';
import { optionsResponse, problemResponse, traceResponse, withHeaders, withoutBody } from './http/responses.ts';
import { compileMethodMap, type MethodMap } from './map/method-map.ts';
import { allowHeader } from './map/methods.ts';
import { wouldDiffer } from './report.ts';
import { type RequestTarget, requestTarget } from './request/target.ts';

import { GUARDED_ROUTER, type SiteRouter } from './site-router.ts';

export type { SiteRouter };

/** The site's router and what is derived from it once. */
interface Site {
  readonly router: SiteRouter;
  readonly runsHandlers: RunsHandlers;
}

/** A Worker's default export: `export default createGuard(router)`. */
export interface Guard {
  /**
   * The Worker's fetch handler: the method check, then the router's handlers, then the origin.
   * An edge answer comes back as a Response, not a Promise: in workerd, resolving the
   * Promise an async handler returns costs about as much as the whole decision (callgrind).
   */
  fetch(request: Request, env?: unknown, ctx?: unknown): Response | Promise<Response>;
}

/**
 * The method guard for an itty router (`Router`, `AutoRouter` or `IttyRouter`):
 * a request whose method the router does not declare for its path gets 405 +
 * Allow; any other runs the router's handlers, and what no handler answers goes
 * to the origin. `options` are the Worker variables, typed; a variable set to a
 * non-empty value wins over the option. A bad option throws a ConfigError here.
 */
export function createGuard(router: SiteRouter, options: GuardOptions = {}): Guard {
  // Options are code: a mistake there fails at startup (and deploy), not per request.
  parseConfig({}, options);
  const site: Site = { router, runsHandlers: handlerRunner(router) };
  const configs = new WeakMap<object, Config | ConfigError>();
  const datasets = new WeakMap<object, Dataset | null>();
  const maps = new Map<string, MethodMap>();
  // A config's map, found without building its key on every request.
  const mapOfConfig = new WeakMap<Config, MethodMap>();

  function configFor(env: unknown): Config | ConfigError {
    const key = (env ?? {}) as object;
    let config = configs.get(key);
    if (config === undefined) {
      try {
        config = parseConfig(key, options);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        config = error;
      }
      configs.set(key, config);
    }
    return config;
  }

  /** The METRICS dataset, looked up once per env. Counters are optional: a wrong binding is a warning, not a 500. */
  function datasetFor(env: unknown): Dataset | null {
    const key = (env ?? {}) as object;
    let dataset = datasets.get(key);
    if (dataset === undefined) {
      const found = metricsDataset(env);
      if (found === 'invalid') {
        console.warn(
          JSON.stringify({
            source: 'method-guard',
            level: 'warn',
            decision: 'config-warning',
            detail: `${METRICS_BINDING} is not an Analytics Engine dataset binding (declare it under [[analytics_engine_datasets]], not [vars]): no decision is counted`,
          }),
        );
      }
      dataset = found === 'invalid' ? null : found;
      datasets.set(key, dataset);
    }
    return dataset;
  }

  function mapFor(config: Config): MethodMap {
    let map = mapOfConfig.get(config);
    if (map) return map;
    const key = `${config.strictTrailingSlash}:${config.caseInsensitive}`;
    map = maps.get(key);
    if (!map) {
      map = compileMethodMap(router.routes, config);
      maps.set(key, map);
    }
    mapOfConfig.set(config, map);
    return map;
  }

  const guard: Guard = {
    fetch(request, env, ctx) {
      const config = configFor(env);
      const dataset = datasetFor(env);
      if (config instanceof ConfigError) {
        if (dataset) {
          countDecision(dataset, {
            decision: 'config-error',
            status: 500,
            method: request.method,
            route: '',
            mode: '',
          });
        }
        // LOG_LEVEL itself may be the bad setting: a misconfiguration is always logged.
        logDecision('error', {
          level: 'error',
          decision: 'config-error',
          status: 500,
          method: request.method,
          path: new URL(request.url).pathname,
          detail: config.message,
          ray: request.headers.get('cf-ray'),
        });
        return problemResponse({ status: 500, detail: config.summary }, request.headers.get('accept'));
      }
      const url = requestTarget(request.url);
      const decision = decide(mapFor(config), { method: request.method, url, headers: request.headers }, config);
      // A POST form's `_method` is an override too, for the origins that honour it (http/form-override.ts).
      // Report mode looks as well, to say what enforce would do; it forwards the body's bytes unchanged.
      const look = formOverrideLook(request, decision, config);
      if (look)
        return look.then((checked) => answer(checked.request, url, checked.decision, config, dataset, env, ctx));
      return answer(request, url, decision, config, dataset, env, ctx);
    },
  };

  function answer(
    request: Request,
    url: RequestTarget,
    decision: Decision,
    config: Config,
    dataset: Dataset | null,
    env: unknown,
    ctx: unknown,
  ): Response | Promise<Response> {
    const answers = answersFor(request, decision, config);
    const loop = decision.action === 'refuse' && decision.status === 508;
    const response =
      config.mode === 'report' && !loop
        ? reportOnly(site, request, url, decision, config, answers, env, ctx)
        : withCorsOf(respond(site, request, url, decision, config, answers, env, ctx), decision, config, request);
    if (!dataset) return response;
    // The outcome is known once the answer is: count then, without awaiting the write.
    const count = (r: Response) => {
      countDecision(dataset, {
        ...answers.outcome,
        method: request.method,
        route: routeOf(decision),
        mode: config.mode,
      });
      return r;
    };
    return response instanceof Response ? count(response) : response.then(count);
  }
  // Not enumerable: workerd sees only `fetch` on the Worker's default export.
  Object.defineProperty(guard, GUARDED_ROUTER, { value: router });
  return guard;
}

/** The matched route patterns as logs and counters name them (` | ` between several); "" for none. */
function routeOf(decision: Decision): string {
  return decision.routes?.join(' | ') ?? '';
}

/** MODE=enforce: the CORS headers the guard owns, on every answer but a preflight's (which has its own). */
function withCorsOf(
  response: Response | Promise<Response>,
  decision: Decision,
  config: Config,
  request: Request,
): Response | Promise<Response> {
  const { cors } = config;
  if (!cors || decision.action === 'preflight') return response;
  const withCors = (r: Response) =>
    withHeaders(r, (headers) => applyCors(cors, request.headers.get('origin'), headers));
  return response instanceof Response ? withCors(response) : response.then(withCors);
}

/** An edge answer now, or the Promise of a handler's or the origin's. */
function respond(
  site: Site,
  request: Request,
  url: RequestTarget,
  decision: Decision,
  config: Config,
  answers: Answers,
  env: unknown,
  ctx: unknown,
): Response | Promise<Response> {
  const { problem, log, failure, tally } = answers;

  switch (decision.action) {
    case 'refuse': {
      const allow = decision.allow ? allowHeader(decision.allow) : undefined;
      log({
        level: decision.status === 508 ? 'warn' : 'info',
        decision: 'refuse',
        status: decision.status,
        allow,
        detail: decision.detail,
      });
      return problem(decision);
    }
    case 'options':
      tally('options', 204);
      return optionsResponse(decision.allow);
    case 'trace':
      return traceResponse(request.method, url, request.headers);
    case 'preflight': {
      const { response, refused } = preflightResponse(
        config.cors as NonNullable<Config['cors']>,
        request.headers,
        decision.allow,
        decision.requestedMethod,
      );
      if (refused)
        log({
          level: 'info',
          decision: 'cors-refused',
          status: 204,
          allow: allowHeader(decision.allow),
          detail: refused,
        });
      else tally('preflight', 204);
      return response;
    }
    case 'pass':
      if (!site.runsHandlers(decision.handlerMethod, decision.path))
        return forwardedOrFailed(() => forward(request, url, decision, config), log, failure);
      return handlersThenOrigin(site.router, request, url, decision, config, env, ctx, answers);
  }
}

/** An allowed request some handler in the rules may answer; what none answers goes to the origin. */
async function handlersThenOrigin(
  router: SiteRouter,
  request: Request,
  url: RequestTarget,
  decision: Extract<Decision, { action: 'pass' }>,
  config: Config,
  env: unknown,
  ctx: unknown,
  { log, failure, tally }: Answers,
): Promise<Response> {
  const target = new URL(request.url);
  target.pathname = decision.path;
  // HEAD that only GET declares: the GET handler answers, the body is dropped.
  const edgeRequest =
    decision.handlerMethod === request.method
      ? new Request(target, request)
      : new Request(target, { method: decision.handlerMethod, headers: request.headers });
  const answer = await runHandlers(router, edgeRequest, env, ctx);
  if (typeof answer === 'string') return handlerError(failure, answer);
  if (answer) {
    tally('edge', answer.status);
    return request.method === 'HEAD' ? withoutBody(answer) : answer;
  }
  // The edge request now holds the body stream; the HEAD-as-GET copy has none.
  const forwarded = edgeRequest.method === request.method ? edgeRequest : request;
  return forwardedOrFailed(() => forward(forwarded, url, decision, config), log, failure);
}

type Log = (entry: Omit<DecisionLog, 'method' | 'path' | 'ray'>) => void;
type Failure = (
  status: 500 | 502,
  summary: string,
  entry: Omit<DecisionLog, 'method' | 'path' | 'ray' | 'status'>,
) => Response;

/** What one request's answers share: its problem answers, its log lines, the request id tying them, its outcome. */
type Answers = ReturnType<typeof answersFor>;

function answersFor(request: Request, decision: Decision, config: Config) {
  // What the request's data point says (http/counters.ts): every answer path records one.
  const outcome = { decision: 'forward', status: 0 };
  const tally = (name: string, status: number) => {
    outcome.decision = name;
    outcome.status = status;
  };
  // Header reads cross into the runtime: only the answers that need them make them.
  const problem = (p: Parameters<typeof problemResponse>[0]) => problemResponse(p, request.headers.get('accept'));
  let id: string | undefined;
  const requestId = () => (id ??= correlationId(request.headers));
  const log: Log = (entry) => {
    tally(entry.decision, entry.status);
    if (!logs(config.logLevel, entry.level)) return;
    // LOG_SAMPLE thins the refusal lines (info) only: errors and warnings are rare and each one matters.
    const sampled = entry.level === 'info' && config.logSample < 1;
    if (sampled && Math.random() >= config.logSample) return;
    logDecision(config.logLevel, {
      ...entry,
      method: request.method,
      path: decision.path,
      ray: requestId(),
      sample: sampled ? config.logSample : undefined,
    });
  };
  // A 5xx's cause (an address, a stack, a handler's message) is for the log only; the client gets the id.
  const failure: Failure = (status, summary, entry) => {
    log({ ...entry, status });
    return problem({ status, detail: `${summary} (request id ${requestId()})` });
  };
  return { problem, log, failure, tally, outcome: outcome as Readonly<typeof outcome> };
}

/** The site's router on `request`: its Response, undefined to forward, or what is wrong with a handler. */
async function runHandlers(
  router: SiteRouter,
  request: Request,
  env: unknown,
  ctx: unknown,
): Promise<Response | undefined | string> {
  let answer: unknown;
  try {
    answer = await router.fetch(request, env, ctx);
  } catch (error) {
    return `a handler in src/routes.ts threw: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (answer instanceof Response || answer === undefined || answer === null) return answer ?? undefined;
  return `a handler in src/routes.ts returned ${typeof answer}, not a Response (return nothing to forward)`;
}

function handlerError(failure: Failure, detail: string): Response {
  return failure(500, 'a handler in src/routes.ts failed', { level: 'error', decision: 'handler-error', detail });
}

/**
 * The origin's answer, logged at debug; a 502 when the origin cannot be reached.
 * `then`, not async/await: one Promise on top of fetch's, not two.
 */
function forwardedOrFailed(send: () => Promise<Response>, log: Log, failure: Failure): Promise<Response> {
  return send().then(
    (response) => {
      log({ level: 'debug', decision: 'forward', status: response.status });
      return response;
    },
    (error) => {
      if (!(error instanceof OriginUnreachable)) throw error;
      return failure(502, 'the origin could not be reached', {
        level: 'warn',
        decision: 'origin-unreachable',
        detail: error.message,
      });
    },
  );
}

/**
 * MODE=report: what the site's Worker does without the guard (its own router on
 * the request as it arrived, then the request forwarded as it arrived), plus one
 * line for what enforce would have done differently. No CORS, no override
 * stripping: only the guard's Via entry is added, so a real loop still ends in a 508.
 */
async function reportOnly(
  { router, runsHandlers }: Site,
  request: Request,
  url: RequestTarget,
  decision: Decision,
  config: Config,
  { log, failure, tally }: Answers,
  env: unknown,
  ctx: unknown,
): Promise<Response> {
  const would = wouldDiffer(decision);
  if (would) {
    log({
      level: 'info',
      ...would,
      route: routeOf(decision) || undefined,
      allow: 'allow' in decision && decision.allow ? allowHeader(decision.allow) : undefined,
      detail: decision.action === 'refuse' ? decision.detail : undefined,
    });
  }
  if (runsHandlers(request.method, url.pathname)) {
    const answer = await runHandlers(router, request, env, ctx);
    if (typeof answer === 'string') return handlerError(failure, answer);
    if (answer) {
      // A would-* decision stays the request's data point: it is what the rollout needs to see.
      if (!would) tally('edge', answer.status);
      return answer;
    }
  }
  // One line per request: a would-* line already stands for this one.
  return forwardedOrFailed(() => forwardAsIs(request, config), would ? () => {} : log, failure);
}
