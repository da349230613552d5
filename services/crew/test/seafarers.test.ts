import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeafarer, seafarerBody, startCrewApp, type CrewTestContext } from './helpers.js';

interface SeafarerPage {
  items: { familyName: string }[];
  nextCursor: string | null;
}

describe('seafarers', () => {
  let context: CrewTestContext;
  const tenant = randomUUID();

  beforeAll(async () => {
    context = await startCrewApp({ today: '2026-03-01' });
  });
  afterAll(async () => {
    await context.close();
  });

  it('registers a seafarer, reads it back with its ETag, and changes it under If-Match', async () => {
    const created = await createSeafarer(context, tenant, { rank: 'chief-officer', email: 'm@example.com' });
    expect(created).toMatchObject({ tenantId: tenant, rank: 'chief-officer', status: 'active', version: 1 });

    const read = await context.app.inject({
      url: `/v1/crew/seafarers/${created.id}`,
      headers: await context.as('viewer', tenant),
    });
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.json()).toEqual(created);

    const url = `/v1/crew/seafarers/${created.id}`;
    const headers = await context.as('fleet-manager', tenant);
    const withoutIfMatch = await context.app.inject({
      method: 'PATCH',
      url,
      headers,
      payload: { rank: 'master' },
    });
    expect(withoutIfMatch.statusCode).toBe(428);
    const patched = await context.app.inject({
      method: 'PATCH',
      url,
      headers: { ...headers, 'if-match': '"1"', 'content-type': 'application/merge-patch+json' },
      payload: JSON.stringify({ rank: 'master', phone: '+639171234567' }),
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      rank: 'master',
      phone: '+639171234567',
      email: 'm@example.com',
      version: 2,
    });
    const stale = await context.app.inject({
      method: 'PATCH',
      url,
      headers: { ...headers, 'if-match': '"1"' },
      payload: { rank: 'bosun' },
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers.etag).toBe('"2"');
  });

  it.each([
    ['an unknown nationality', { nationality: 'XX' }, '/nationality'],
    ['a date of birth in the future', { dateOfBirth: '2030-01-01' }, '/dateOfBirth'],
    ['an unknown rank', { rank: 'captain' }, '/rank'],
    ['a phone number not in E.164', { phone: '0917 123 4567' }, '/phone'],
    ['an unknown field', { shoeSize: 44 }, '/shoeSize'],
  ])('refuses %s with a problem naming the field', async (_name, overrides, pointer) => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/v1/crew/seafarers',
      headers: await context.as('fleet-manager', tenant),
      payload: seafarerBody(overrides),
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = response.json<{ errors: { pointer: string }[] }>();
    expect(problem.errors.map((error) => error.pointer)).toContain(pointer);
  });

  it('lists a tenant’s seafarers by name in pages, with filters', async () => {
    const owner = randomUUID();
    const names = ['Zeta', 'Alpha', 'Mu', 'Beta', 'Omega'];
    for (const familyName of names) {
      await createSeafarer(context, owner, { familyName, rank: familyName === 'Mu' ? 'cook' : 'oiler' });
    }
    const headers = await context.as('viewer', owner);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/crew/seafarers?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await context.app.inject({ url, headers });
      expect(response.statusCode).toBe(200);
      const page: SeafarerPage = response.json();
      seen.push(...page.items.map((item) => item.familyName));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...names].sort());

    const cooks = await context.app.inject({ url: '/v1/crew/seafarers?rank=cook', headers });
    expect(cooks.json<{ items: { familyName: string }[] }>().items.map((item) => item.familyName)).toEqual([
      'Mu',
    ]);
    const badCursor = await context.app.inject({ url: '/v1/crew/seafarers?cursor=bm9wZQ', headers });
    expect(badCursor.statusCode).toBe(400);
  });

  it('platform operators name the tenant of a new seafarer', async () => {
    const operator = await context.as('platform-admin');
    const missing = await context.app.inject({
      method: 'POST',
      url: '/v1/crew/seafarers',
      headers: operator,
      payload: seafarerBody(),
    });
    expect(missing.statusCode).toBe(400);
    const owner = randomUUID();
    const created = await context.app.inject({
      method: 'POST',
      url: '/v1/crew/seafarers',
      headers: operator,
      payload: seafarerBody({ tenantId: owner }),
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ tenantId: owner });
  });
});
