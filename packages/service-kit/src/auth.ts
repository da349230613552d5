import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { readFile } from 'node:fs/promises';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { ProblemError } from './problem.js';

/** Who is calling, from a verified bearer token. */
export interface Principal {
  subject: string;
  /** The ship owner the caller belongs to; absent for platform operators. */
  tenant?: string;
  roles: string[];
  claims: JWTPayload;
}

export interface AuthOptions {
  issuer: string;
  audience: string;
  /** JWKS endpoint of the identity provider. */
  jwksUrl?: string;
  /** Local JWKS file: development and tests only (config refuses it in production). */
  jwksFile?: string;
}

export const ACCEPTED_ALGORITHMS = ['RS256', 'ES256'];

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `app.authenticate` / `app.requireRole`; null on public routes. */
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** onRequest hook: a valid bearer token is required (401 otherwise). */
    authenticate: onRequestAsyncHookHandler;
    /** onRequest hook: a valid bearer token carrying at least one of the roles (401, then 403). */
    requireRole: (...roles: string[]) => onRequestAsyncHookHandler;
  }
}

/** Marks guard hooks so the OpenAPI document can show which routes need a bearer token. */
export const AUTH_GUARD = Symbol('fleetwatch.authGuard');

export async function keySetFrom(options: AuthOptions): Promise<JWTVerifyGetKey> {
  if (options.jwksUrl) {
    return createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
  }
  if (options.jwksFile) {
    const jwks = JSON.parse(await readFile(options.jwksFile, 'utf8')) as JSONWebKeySet;
    return createLocalJWKSet(jwks);
  }
  throw new Error('authentication needs a JWKS URL or file');
}

function unauthorized(description: string, detail: string): ProblemError {
  // RFC 6750 error_description is a quoted string; keep it free of quotes and backslashes.
  const headerSafe = description.replace(/["\\]/g, "'");
  return new ProblemError(
    401,
    { title: 'Unauthorized', detail },
    {
      headers: {
        'www-authenticate': `Bearer realm="fleetwatch", error="invalid_token", error_description="${headerSafe}"`,
      },
    },
  );
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `the token's "${error.claim}" claim is not accepted`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'the token was signed with an unknown key';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'the token algorithm is not accepted';
  return 'the token is invalid';
}

function principalFrom(payload: JWTPayload): Principal {
  const { sub, tenant, roles } = payload;
  if (typeof sub !== 'string' || sub.length === 0)
    throw unauthorized('missing subject', 'The token has no subject.');
  if (tenant !== undefined && (typeof tenant !== 'string' || tenant.length === 0)) {
    throw unauthorized('invalid tenant', 'The token\'s "tenant" claim must be a non-empty string.');
  }
  if (!Array.isArray(roles) || !roles.every((role): role is string => typeof role === 'string')) {
    throw unauthorized('invalid roles', 'The token\'s "roles" claim must be an array of strings.');
  }
  return { subject: sub, roles, claims: payload, ...(tenant === undefined ? {} : { tenant }) };
}

export async function verifyBearer(
  request: FastifyRequest,
  keySet: JWTVerifyGetKey,
  options: AuthOptions,
): Promise<Principal> {
  const header = request.headers.authorization;
  if (!header) {
    throw new ProblemError(
      401,
      { title: 'Unauthorized', detail: 'A bearer token is required.' },
      { headers: { 'www-authenticate': 'Bearer realm="fleetwatch"' } },
    );
  }
  const match = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*\.[A-Za-z0-9\-_]*)$/.exec(header);
  if (!match?.[1]) throw unauthorized('malformed', 'The Authorization header must be "Bearer <JWT>".');
  try {
    const { payload } = await jwtVerify(match[1], keySet, {
      issuer: options.issuer,
      audience: options.audience,
      algorithms: ACCEPTED_ALGORITHMS,
      requiredClaims: ['sub', 'exp'],
      clockTolerance: 5,
    });
    return principalFrom(payload);
  } catch (error) {
    if (error instanceof ProblemError) throw error;
    const description = describeJoseError(error);
    throw unauthorized(description, `The bearer token was rejected: ${description}.`);
  }
}

export const authPlugin = fp<AuthOptions>(
  async (app: FastifyInstance, options) => {
    const keySet = await keySetFrom(options);
    app.decorateRequest('principal', null);

    const authenticate: onRequestAsyncHookHandler = async (request) => {
      request.principal ??= await verifyBearer(request, keySet, options);
    };
    Object.assign(authenticate, { [AUTH_GUARD]: true });
    app.decorate('authenticate', authenticate);

    app.decorate('requireRole', (...roles: string[]) => {
      const guard: onRequestAsyncHookHandler = async function (request, reply) {
        await authenticate.call(this, request, reply);
        const granted = request.principal?.roles ?? [];
        if (!roles.some((role) => granted.includes(role))) {
          throw new ProblemError(403, {
            title: 'Forbidden',
            detail: `This operation needs one of the roles: ${roles.join(', ')}.`,
          });
        }
      };
      return Object.assign(guard, { [AUTH_GUARD]: true });
    });
  },
  { name: 'fleetwatch-auth' },
);
