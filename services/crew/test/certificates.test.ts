import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeafarer, post, startCrewApp, type CrewTestContext } from './helpers.js';

const TODAY = '2026-03-01';

function certificate(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'medical-fitness',
    number: `MED-${randomUUID().slice(0, 8)}`,
    issuingAuthority: 'Maritime and Coastguard Agency',
    issuingCountry: 'GB',
    issuedOn: '2025-06-01',
    expiresOn: '2027-05-31',
    ...overrides,
  };
}

describe('certificates', () => {
  let context: CrewTestContext;
  const tenant = randomUUID();
  let adult: string;
  let minor: string;

  beforeAll(async () => {
    context = await startCrewApp({ today: TODAY });
    adult = (await createSeafarer(context, tenant, { dateOfBirth: '1985-05-20' })).id;
    // 17 on 2026-01-10, 18 on 2026-07-01.
    minor = (await createSeafarer(context, tenant, { dateOfBirth: '2008-07-01', rank: 'deck-cadet' })).id;
  });
  afterAll(async () => {
    await context.close();
  });

  async function record(seafarerId: string, body: Record<string, unknown>) {
    return context.app.inject({
      method: 'POST',
      url: `/v1/crew/seafarers/${seafarerId}/certificates`,
      headers: await context.as('fleet-manager', tenant),
      payload: body,
    });
  }

  it('records a certificate with its status on today’s date', async () => {
    const response = await record(adult, certificate({ expiresOn: '2026-04-15' }));
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ seafarerId: adult, type: 'medical-fitness', status: 'expiring' });
  });

  it.each([
    [
      'expiry before issue',
      'adult' as const,
      { issuedOn: '2025-06-01', expiresOn: '2025-05-01' },
      '/expiresOn',
    ],
    [
      'a medical valid longer than 2 years',
      'adult' as const,
      { issuedOn: '2025-06-01', expiresOn: '2027-06-02' },
      '/expiresOn',
    ],
    [
      'a medical valid longer than 1 year for a seafarer under 18',
      'minor' as const,
      { issuedOn: '2026-01-10', expiresOn: '2027-01-11' },
      '/expiresOn',
    ],
    [
      'a Certificate of Competency longer than 5 years',
      'adult' as const,
      { type: 'coc-chief-mate', issuedOn: '2024-01-01', expiresOn: '2029-01-02' },
      '/expiresOn',
    ],
    [
      'an issue date in the future',
      'adult' as const,
      { issuedOn: '2026-03-02', expiresOn: '2027-03-01' },
      '/issuedOn',
    ],
    ['a passport without expiry', 'adult' as const, { type: 'passport', expiresOn: null }, '/expiresOn'],
  ])('refuses %s with 400 naming the field', async (_name, holder, overrides, pointer) => {
    const response = await record(holder === 'adult' ? adult : minor, certificate(overrides));
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json<{ errors: { pointer: string }[] }>().errors.map((error) => error.pointer)).toEqual([
      pointer,
    ]);
  });

  it('accepts the longest validity each rule allows', async () => {
    expect(
      (await record(minor, certificate({ issuedOn: '2026-01-10', expiresOn: '2027-01-10' }))).statusCode,
    ).toBe(201);
    expect(
      (
        await record(
          adult,
          certificate({ type: 'coc-chief-mate', issuedOn: '2024-01-01', expiresOn: '2029-01-01' }),
        )
      ).statusCode,
    ).toBe(201);
  });

  it('lists what expires within N days, leaving out certificates a renewal replaced', async () => {
    const owner = randomUUID();
    const headers = await context.as('fleet-manager', owner);
    const soon = await createSeafarer(context, owner, { familyName: 'Soon' });
    const renewed = await createSeafarer(context, owner, { familyName: 'Renewed' });
    const url = (id: string) => `/v1/crew/seafarers/${id}/certificates`;
    await post(context, url(soon.id), headers, certificate({ expiresOn: '2026-03-20' }));
    await post(
      context,
      url(soon.id),
      headers,
      certificate({ type: 'passport', issuedOn: '2020-01-01', expiresOn: '2026-02-20' }),
    );
    await post(
      context,
      url(renewed.id),
      headers,
      certificate({ issuedOn: '2024-03-01', expiresOn: '2026-02-28' }),
    );
    await post(
      context,
      url(renewed.id),
      headers,
      certificate({ issuedOn: '2026-02-20', expiresOn: '2028-02-19' }),
    );
    await post(
      context,
      url(soon.id),
      headers,
      certificate({ type: 'coc-master', issuedOn: '2022-01-01', expiresOn: '2026-06-01' }),
    );

    const response = await context.app.inject({
      url: '/v1/crew/certificates/expiring?withinDays=30',
      headers: await context.as('viewer', owner),
    });
    expect(response.statusCode).toBe(200);
    const list = response.json<{
      asOf: string;
      items: { certificate: { type: string; status: string }; seafarer: { id: string }; daysLeft: number }[];
    }>();
    expect(list.asOf).toBe(TODAY);
    expect(
      list.items.map((item) => [
        item.seafarer.id,
        item.certificate.type,
        item.certificate.status,
        item.daysLeft,
      ]),
    ).toEqual([
      [soon.id, 'passport', 'expired', -9],
      [soon.id, 'medical-fitness', 'expiring', 19],
    ]);
  });

  it('lists what expires for the seafarers assigned to one vessel', async () => {
    const owner = randomUUID();
    const headers = await context.as('fleet-manager', owner);
    const vessel = await context.fixture.addVessel(owner);
    const [aboard, ashore] = await Promise.all([
      createSeafarer(context, owner, { familyName: 'Aboard' }),
      createSeafarer(context, owner, { familyName: 'Ashore' }),
    ]);
    for (const seafarer of [aboard, ashore]) {
      await post(
        context,
        `/v1/crew/seafarers/${seafarer.id}/certificates`,
        headers,
        certificate({ expiresOn: '2026-03-15' }),
      );
    }
    await post(context, '/v1/crew/assignments', headers, {
      seafarerId: aboard.id,
      vesselId: vessel.id,
      rank: 'able-seafarer',
      plannedSignOn: '2026-02-01',
      plannedSignOff: '2026-08-01',
    });
    const response = await context.app.inject({
      url: `/v1/crew/certificates/expiring?withinDays=30&vesselId=${vessel.id}`,
      headers,
    });
    expect(response.statusCode).toBe(200);
    expect(
      response.json<{ items: { seafarer: { id: string } }[] }>().items.map((item) => item.seafarer.id),
    ).toEqual([aboard.id]);
  });

  it('corrects and deletes a certificate', async () => {
    const headers = await context.as('fleet-manager', tenant);
    const created = await post<{ id: string }>(
      context,
      `/v1/crew/seafarers/${adult}/certificates`,
      headers,
      certificate(),
    );
    const url = `/v1/crew/seafarers/${adult}/certificates/${created.id}`;
    const corrected = await context.app.inject({
      method: 'PUT',
      url,
      headers,
      payload: certificate({ number: 'MED-CORRECTED' }),
    });
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json()).toMatchObject({ id: created.id, number: 'MED-CORRECTED' });
    const wrong = await context.app.inject({
      method: 'PUT',
      url,
      headers,
      payload: certificate({ expiresOn: '2025-01-01' }),
    });
    expect(wrong.statusCode).toBe(400);
    expect((await context.app.inject({ method: 'DELETE', url, headers })).statusCode).toBe(204);
    expect((await context.app.inject({ method: 'DELETE', url, headers })).statusCode).toBe(404);
  });
});
