import { Type, type Static } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const InvalidParam = Type.Object(
  {
    in: Type.String({ description: 'Where the value was: body, querystring, params or headers' }),
    pointer: Type.String({ description: 'JSON Pointer to the offending value, "" for the whole part' }),
    message: Type.String(),
  },
  { $id: 'InvalidParam', title: 'InvalidParam' },
);

/** RFC 9457 problem details, as every 4xx/5xx response of every service. */
export const ProblemDetails = Type.Object(
  {
    type: Type.String({ default: 'about:blank', description: 'URI reference identifying the problem type' }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String({ description: 'The request path' })),
    requestId: Type.Optional(Type.String({ description: 'Echoes the x-request-id header' })),
    errors: Type.Optional(Type.Array(Type.Ref(InvalidParam))),
  },
  { $id: 'ProblemDetails', title: 'ProblemDetails', additionalProperties: true },
);
export type ProblemDetails = Static<typeof ProblemDetails>;

/** Problem type for request validation failures; the others use about:blank with the status title. */
export const VALIDATION_PROBLEM_TYPE = 'https://fleetwatch.dev/problems/validation-error';

/** Thrown by route code for an expected failure; becomes a problem+json response with its status. */
export class ProblemError extends Error {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    readonly problem: { title?: string; detail?: string; type?: string; [extension: string]: unknown } = {},
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(problem.detail ?? problem.title ?? STATUS_CODES[status] ?? 'Error', { cause: options?.cause });
    this.name = 'ProblemError';
    this.statusCode = status;
    this.headers = options?.headers ?? {};
  }
}

interface AjvLikeError {
  instancePath?: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

function invalidParams(error: FastifyError): Static<typeof InvalidParam>[] {
  const location = error.validationContext ?? 'body';
  return ((error.validation ?? []) as AjvLikeError[]).map((item) => {
    const base = item.instancePath ?? '';
    const missing = item.keyword === 'required' ? item.params?.missingProperty : undefined;
    const extra = item.keyword === 'additionalProperties' ? item.params?.additionalProperty : undefined;
    const leaf = typeof missing === 'string' ? missing : typeof extra === 'string' ? extra : undefined;
    const allowed = item.keyword === 'enum' ? item.params?.allowedValues : undefined;
    return {
      in: location,
      pointer: leaf === undefined ? base : `${base}/${leaf}`,
      // Ajv's enum message does not say which values are allowed; the caller needs them.
      message: Array.isArray(allowed)
        ? `must be one of: ${allowed.join(', ')}`
        : (item.message ?? 'is invalid'),
    };
  });
}

function problemFor(error: FastifyError | ProblemError, request: FastifyRequest): ProblemDetails {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  const base = { status, instance: request.url.split('?')[0], requestId: request.id };
  if (error instanceof ProblemError) {
    return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', ...base, ...error.problem };
  }
  if (error.validation) {
    return {
      type: VALIDATION_PROBLEM_TYPE,
      title: 'Request validation failed',
      ...base,
      status: 400,
      detail: `The request ${error.validationContext ?? 'body'} is invalid.`,
      errors: invalidParams(error),
    };
  }
  const problem: ProblemDetails = { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', ...base };
  // Client errors raised by Fastify and its plugins carry safe, useful messages; server errors never
  // leak internals.
  if (status < 500) problem.detail = error.message;
  return problem;
}

/** Sends a problem; extension members (RFC 9457 section 3.2) may be added beside the standard ones. */
export function sendProblem(
  reply: FastifyReply,
  problem: ProblemDetails & Record<string, unknown>,
): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/** Installs the error and not-found handlers that turn every failure into problem+json. */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ProblemError, request, reply) => {
    const problem = problemFor(error, request);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else
      request.log.info(
        { err: { message: error.message, code: 'code' in error ? error.code : undefined } },
        'request rejected',
      );
    if (error instanceof ProblemError) reply.headers(error.headers);
    return sendProblem(reply, problem);
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: `No route for ${request.method} ${request.url.split('?')[0]}`,
      instance: request.url.split('?')[0],
      requestId: request.id,
    }),
  );
}
