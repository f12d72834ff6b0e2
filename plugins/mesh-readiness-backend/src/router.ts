import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  CHECK_STATUSES,
  READINESS_LEVELS,
  resolveRef,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { servicesCsv } from './services/csv';
import type { ReadinessService } from './services/ReadinessService/types';
import {
  RefreshGuard,
  TooManyRefreshesError,
} from './services/RefreshGuard/createRefreshGuard';

const SORTS = [
  'name',
  '-name',
  'score',
  '-score',
  'owner',
  '-owner',
  'level',
  '-level',
] as const;

/**
 * Names a parameter in a message without reflecting arbitrary input: at
 * most 60 characters, anything but letters, digits and `._-[]` shown as `?`.
 */
function quoteName(name: string): string {
  const safe = name.slice(0, 60).replace(/[^A-Za-z0-9._\-\[\]]/g, '?');
  return `"${safe}${name.length > 60 ? '…' : ''}"`;
}

function single(message = 'must be given once, as text') {
  return z.string({ invalid_type_error: message, required_error: message });
}

const text = (max: number) =>
  single().max(max, `must be at most ${max} characters`);

function wholeNumber(min: number, max: number) {
  return single()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `must be at least ${min}`)
        .max(max, `must be at most ${max}`),
    );
}

function entityRefParam(defaultKind: string) {
  return text(512).transform((value, ctx) => {
    const ref = resolveRef(value, defaultKind, 'default');
    if (!ref) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must be an entity ref such as ${defaultKind}:default/name`,
      });
      return z.NEVER;
    }
    return ref;
  });
}

/** `ownedBy`: a User or a Group; a bare name is a User's. */
const ownedByParam = entityRefParam('user').refine(
  // A value that is no entity ref already has its issue (and is no string).
  ref =>
    typeof ref !== 'string' ||
    ref.startsWith('user:') ||
    ref.startsWith('group:'),
  'must name a User or a Group, such as user:default/jane or group:default/payments',
);

const isoDate = single()
  .regex(
    /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/,
    'must be an ISO 8601 date such as 2025-01-31 or 2025-01-31T12:00:00Z',
  )
  .transform((value, ctx) => {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'is not a valid date',
      });
      return z.NEVER;
    }
    return date;
  });

function oneOf<T extends string>(values: readonly T[]) {
  return z.enum(values as unknown as [T, ...T[]], {
    errorMap: () => ({ message: `must be one of ${values.join(', ')}` }),
  });
}

const summarySchema = z
  .object({
    owner: entityRefParam('group').optional(),
    ownedBy: ownedByParam.optional(),
    system: entityRefParam('system').optional(),
    domain: entityRefParam('domain').optional(),
  })
  .strict();

const servicesSchema = z
  .object({
    page: wholeNumber(1, 1_000_000).default('1'),
    pageSize: wholeNumber(1, 500).default('25'),
    owner: entityRefParam('group').optional(),
    ownedBy: ownedByParam.optional(),
    system: entityRefParam('system').optional(),
    domain: entityRefParam('domain').optional(),
    level: oneOf(READINESS_LEVELS).optional(),
    check: text(100)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a check id')
      .optional(),
    status: oneOf(CHECK_STATUSES).optional(),
    q: text(200).optional(),
    sort: oneOf(SORTS).default('name'),
    format: oneOf(['json', 'csv']).default('json'),
  })
  .strict();

const historySchema = z
  .object({
    owner: entityRefParam('group').optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict();

const entityHistorySchema = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict();

const entityParamsSchema = z.object({
  kind: text(63).regex(/^[A-Za-z][A-Za-z0-9]*$/, 'must be an entity kind'),
  namespace: text(63).regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'must be an entity namespace',
  ),
  name: text(253).regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'must be an entity name',
  ),
});

/** Parses input; a failure becomes a 400 that names the parameter. */
function parse<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
  where: 'query parameter' | 'path parameter',
): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) {
    return result.data;
  }
  const issue = result.error.issues[0];
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    throw new InputError(`Unknown ${where} ${quoteName(issue.keys[0])}`);
  }
  const name = String(issue.path[0] ?? '');
  throw new InputError(`Invalid ${where} ${quoteName(name)}: ${issue.message}`);
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  readiness: ReadinessService;
  /** Who may `POST /refresh`, and how often. */
  refreshGuard: RefreshGuard;
}): Promise<express.Router> {
  const { httpAuth, readiness, refreshGuard } = options;
  const router = Router();
  router.use(express.json());

  const credentialsOf = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/checks', async (req, res) => {
    await credentialsOf(req);
    res.json({ items: readiness.getChecks() });
  });

  router.get('/entities/:kind/:namespace/:name', async (req, res) => {
    const credentials = await credentialsOf(req);
    const ref = parse(entityParamsSchema, req.params, 'path parameter');
    res.json(await readiness.getEntity(ref, credentials));
  });

  router.get('/entities/:kind/:namespace/:name/history', async (req, res) => {
    const credentials = await credentialsOf(req);
    const ref = parse(entityParamsSchema, req.params, 'path parameter');
    const query = parse(entityHistorySchema, req.query, 'query parameter');
    if (query.from && query.to && query.from > query.to) {
      throw new InputError(
        `Invalid query parameter "from": must not be after "to"`,
      );
    }
    res.json(await readiness.getEntityHistory(ref, query, credentials));
  });

  router.get('/summary', async (req, res) => {
    const credentials = await credentialsOf(req);
    const filter = parse(summarySchema, req.query, 'query parameter');
    res.json(await readiness.getSummary(filter, credentials));
  });

  router.get('/services', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { format, ...query } = parse(
      servicesSchema,
      req.query,
      'query parameter',
    );
    if (query.status !== undefined && query.check === undefined) {
      throw new InputError(
        `Invalid query parameter "status": needs a "check" to apply to`,
      );
    }
    if (
      query.check !== undefined &&
      !readiness.getChecks().some(c => c.id === query.check)
    ) {
      throw new InputError(
        `Invalid query parameter "check": is not the id of a check in GET /checks`,
      );
    }
    if (format === 'csv') {
      const { page: _page, pageSize: _pageSize, ...all } = query;
      const { items } = await readiness.getAllServices(all, credentials);
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .setHeader(
          'Content-Disposition',
          'attachment; filename="mesh-readiness-services.csv"',
        );
      res.send(servicesCsv(items));
      return;
    }
    res.json(await readiness.getServices(query, credentials));
  });

  router.get('/history', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parse(historySchema, req.query, 'query parameter');
    if (query.from && query.to && query.from > query.to) {
      throw new InputError(
        `Invalid query parameter "from": must not be after "to"`,
      );
    }
    res.json(await readiness.getHistory(query, credentials));
  });

  router.post('/refresh', async (req, res) => {
    const credentials = await credentialsOf(req);
    try {
      // Joining the snapshot being taken costs nothing: not counted.
      await refreshGuard.admit(credentials, {
        joining: readiness.refreshing(),
      });
    } catch (error) {
      if (error instanceof TooManyRefreshesError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      throw error;
    }
    // Concurrent refreshes share the snapshot being taken.
    res.json(await readiness.refresh());
  });

  return router;
}
