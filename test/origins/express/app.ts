/**
 * Express 5 origin with its defaults: case-insensitive, non-strict routing (a trailing slash is the
 * same route), `:param` matching any characters but `/`. Method overrides as method-override's
 * README documents them: the X-HTTP-Method-Override header, a `_method` query parameter and a
 * `_method` field of a urlencoded body (each only on POST, the package's default).
 *
 * Env: PORT, ORIGIN_RULES (test/origins/rules.ts as JSON), RAN_LOG (a file to append a JSON line to
 * each time a handler runs).
 */
import { appendFileSync } from 'node:fs';
import express, { type Request, type Response } from 'express';
import methodOverride from 'method-override';
import type { Rules } from '../rules.ts';

const rules = JSON.parse(process.env.ORIGIN_RULES ?? '') as Rules;
const log = process.env.RAN_LOG ?? '';

const app = express();
app.use(methodOverride('X-HTTP-Method-Override'));
app.use(methodOverride('_method'));
app.use(express.urlencoded({ extended: false }));
app.use(
  methodOverride((req: Request) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (body && typeof body === 'object' && '_method' in body) return body._method as string;
    return '';
  }),
);

for (const rule of rules.routes) {
  const handler = (req: Request, res: Response) => {
    const record = { probe: req.get('x-probe') ?? '', route: rule.name, method: req.method, path: req.path };
    appendFileSync(log, `${JSON.stringify(record)}\n`);
    res.json(record);
  };
  for (const method of rules.methods) app[method.toLowerCase() as 'get'](rule.path, handler);
}

app.listen(Number(process.env.PORT), '127.0.0.1');
