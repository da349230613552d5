import { describe, expect, it } from 'vitest';
import {
  invalidFields,
  isCountryCode,
  notFound,
  ProblemError,
  scopeOf,
  VALIDATION_PROBLEM_TYPE,
  type Principal,
} from '../src/index.js';

const TENANT = '6F1C2A1E-3B4D-4E5F-8A9B-0C1D2E3F4A5B';

function principal(roles: string[], tenant?: string): Principal {
  return { subject: 'someone', roles, claims: {}, ...(tenant === undefined ? {} : { tenant }) };
}

describe('scopeOf', () => {
  it.each([
    ['an operator, tenant or not', principal(['platform-admin']), { kind: 'platform' }],
    ['an operator who also names a tenant', principal(['platform-admin'], TENANT), { kind: 'platform' }],
    [
      'a tenant role (tenant lower-cased)',
      principal(['viewer'], TENANT),
      { kind: 'tenant', tenantId: TENANT.toLowerCase() },
    ],
  ])('%s', (_name, caller, scope) => {
    expect(scopeOf(caller)).toEqual(scope);
  });

  it.each([
    ['no principal', null, 401],
    ['a tenant role without a tenant', principal(['fleet-manager']), 403],
    ['a tenant that is not a uuid', principal(['fleet-manager'], 'acme-shipping'), 403],
  ])('refuses %s', (_name, caller, status) => {
    expect(() => scopeOf(caller)).toThrow(ProblemError);
    try {
      scopeOf(caller);
    } catch (error) {
      expect((error as ProblemError).statusCode).toBe(status);
    }
  });
});

describe('problem helpers', () => {
  it('notFound says the same whatever the reason', () => {
    const problem = notFound('Seafarer');
    expect(problem.statusCode).toBe(404);
    expect(problem.problem).toEqual({ title: 'Not Found', detail: 'Seafarer was not found.' });
  });

  it('invalidFields lists each field as the validator does', () => {
    const problem = invalidFields('body', [
      { pointer: '/issuedOn', message: 'must not be in the future' },
      { pointer: '/expiresOn', message: 'must be after the issue date' },
    ]);
    expect(problem.statusCode).toBe(400);
    expect(problem.problem).toMatchObject({
      type: VALIDATION_PROBLEM_TYPE,
      errors: [
        { in: 'body', pointer: '/issuedOn', message: 'must not be in the future' },
        { in: 'body', pointer: '/expiresOn', message: 'must be after the issue date' },
      ],
    });
  });
});

describe('isCountryCode', () => {
  it.each([
    ['NO', true],
    ['PH', true],
    ['GB', true],
    ['no', false],
    ['XX', false],
    ['NOR', false],
    ['', false],
  ])('%s → %s', (code, valid) => {
    expect(isCountryCode(code)).toBe(valid);
  });
});
