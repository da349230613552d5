import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceApp } from '../src/index.js';
import { PROBLEM_CONTENT_TYPE, VALIDATION_PROBLEM_TYPE } from '../src/index.js';
import type { TestAuth } from '../src/testing.js';
import { buildSampleApp } from './helpers.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: { in: string; pointer: string; message: string }[];
}

function problemOf(response: {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}): Problem {
  expect(response.headers['content-type']).toBe(`${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
  const problem = JSON.parse(response.body) as Problem;
  expect(problem.status).toBe(response.statusCode);
  expect(problem.title).toEqual(expect.any(String));
  expect(problem.type).toEqual(expect.any(String));
  return problem;
}

describe('problem+json errors', () => {
  let app: ServiceApp;
  let auth: TestAuth;
  let managerToken: string;

  beforeAll(async () => {
    ({ app, auth } = await buildSampleApp({ env: { BODY_LIMIT_BYTES: '2048', RATE_LIMIT_MAX: '1000' } }));
    managerToken = await auth.token({ subject: 'u1', tenant: 't1', roles: ['fleet-manager'] });
  });
  afterAll(async () => {
    await app.close();
  });

  it('400 lists each invalid field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/vessels',
      headers: { authorization: `Bearer ${managerToken}` },
      payload: { imo: '12', dwt: -5, colour: 'red' },
    });
    expect(response.statusCode).toBe(400);
    const problem = problemOf(response);
    expect(problem.type).toBe(VALIDATION_PROBLEM_TYPE);
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: 'body', pointer: '/name' }),
        expect.objectContaining({ in: 'body', pointer: '/imo' }),
        expect.objectContaining({ in: 'body', pointer: '/dwt' }),
        expect.objectContaining({ in: 'body', pointer: '/colour' }),
      ]),
    );
  });

  it('400 names the allowed values of an enum', async () => {
    const response = await app.inject({ method: 'GET', url: '/colours?colour=mauve' });
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors).toEqual([
      { in: 'querystring', pointer: '/colour', message: 'must be one of: red, green, blue' },
    ]);
  });

  it('400 for a value that fails a domain format', async () => {
    expect((await app.inject({ method: 'GET', url: '/even/42' })).statusCode).toBe(200);
    const response = await app.inject({ method: 'GET', url: '/even/43' });
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors).toEqual([
      { in: 'params', pointer: '/number', message: 'must match format "even"' },
    ]);
  });

  it('401 without a token, with a WWW-Authenticate challenge', async () => {
    const response = await app.inject({ method: 'POST', url: '/vessels', payload: {} });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
    problemOf(response);
  });

  it('403 for a role that may not write', async () => {
    const viewer = await auth.token({ subject: 'u2', tenant: 't1', roles: ['viewer'] });
    const response = await app.inject({
      method: 'POST',
      url: '/vessels',
      headers: { authorization: `Bearer ${viewer}` },
      payload: { name: 'Ever Given', imo: '9811000' },
    });
    expect(response.statusCode).toBe(403);
    expect(problemOf(response).detail).toContain('fleet-manager');
  });

  it('201 for the right role and a valid body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/vessels',
      headers: { authorization: `Bearer ${managerToken}` },
      payload: { name: 'Ever Given', imo: '9811000' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ name: 'Ever Given', imo: '9811000' });
  });

  it('404 for an unknown route', async () => {
    const response = await app.inject({ method: 'GET', url: '/nowhere?x=1' });
    expect(response.statusCode).toBe(404);
    expect(problemOf(response).instance).toBe('/nowhere');
  });

  it('413 for a body over the limit', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/vessels',
      headers: { authorization: `Bearer ${managerToken}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(4096), imo: '9811000' }),
    });
    expect(response.statusCode).toBe(413);
    problemOf(response);
  });

  it('415 for an unsupported media type', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/vessels',
      headers: { authorization: `Bearer ${managerToken}`, 'content-type': 'application/xml' },
      payload: '<vessel/>',
    });
    expect(response.statusCode).toBe(415);
    problemOf(response);
  });

  it('500 without the stack or the error message', async () => {
    const response = await app.inject({ method: 'GET', url: '/boom' });
    expect(response.statusCode).toBe(500);
    const problem = problemOf(response);
    expect(problem.title).toBe('Internal Server Error');
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('postgres://');
    expect(response.body).not.toMatch(/at .*\.ts:\d+/);
    expect(Object.keys(problem).sort()).toEqual(['instance', 'requestId', 'status', 'title', 'type']);
  });

  it('echoes a sane x-request-id and makes one up otherwise', async () => {
    const given = await app.inject({
      method: 'GET',
      url: '/nowhere',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(given.headers['x-request-id']).toBe('abc-123');
    expect(problemOf(given).requestId).toBe('abc-123');
    const hostile = await app.inject({
      method: 'GET',
      url: '/nowhere',
      headers: { 'x-request-id': 'a b\u0000c' },
    });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets the helmet security headers', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toBeDefined();
  });
});

describe('rate limiting', () => {
  it('429 as problem+json with Retry-After once the limit is spent', async () => {
    const { app } = await buildSampleApp({ env: { RATE_LIMIT_MAX: '3' } });
    try {
      const statuses: number[] = [];
      let last;
      for (let attempt = 0; attempt < 4; attempt += 1) {
        last = await app.inject({ method: 'GET', url: '/x/1' });
        statuses.push(last.statusCode);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(last?.headers['retry-after']).toBeDefined();
      if (last) expect(problemOf(last).detail).toContain('Rate limit');
      // Probes are never rate limited.
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('CORS', () => {
  it('allows configured origins only', async () => {
    const { app } = await buildSampleApp({ env: { CORS_ORIGINS: 'https://portal.fleetwatch.dev' } });
    try {
      const allowed = await app.inject({
        method: 'GET',
        url: '/x/1',
        headers: { origin: 'https://portal.fleetwatch.dev' },
      });
      expect(allowed.headers['access-control-allow-origin']).toBe('https://portal.fleetwatch.dev');
      const other = await app.inject({
        method: 'GET',
        url: '/x/1',
        headers: { origin: 'https://evil.example' },
      });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});

describe('load shedding', () => {
  it('503 as problem+json with Retry-After while the event loop lags', async () => {
    const { app } = await buildSampleApp({ env: { MAX_EVENT_LOOP_DELAY_MS: '20' } });
    try {
      // Block the event loop well past the threshold; the overdue sampler records it right after.
      const blockedUntil = Date.now() + 1500;
      while (Date.now() < blockedUntil) {
        // busy on purpose
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      const response = await app.inject({ method: 'GET', url: '/x/1' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('10');
      expect(problemOf(response).detail).toContain('overloaded');
      // Probes and metrics stay available while the service sheds load.
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
