import type { Static } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Compliance as ComplianceSchema } from '../src/routes/schemas.js';
import { createSeafarer, post, startCrewApp, type CrewTestContext, type TestVessel } from './helpers.js';

/**
 * A seeded vessel: safe manning for master, chief engineer and three ABs; aboard on 2026-03-01 a
 * qualified master, a chief engineer whose medical has expired, two ABs of whom one lacks the AB
 * certificate, and a cook (no requirement for cooks).
 */
type Compliance = Static<typeof ComplianceSchema>;

describe('safe manning compliance', () => {
  let context: CrewTestContext;
  const tenant = randomUUID();
  let vessel: TestVessel;
  let headers: { authorization: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    context = await startCrewApp({ today: '2026-03-01' });
    vessel = await context.fixture.addVessel(tenant);
    headers = await context.as('fleet-manager', tenant);
    const safeManning = await context.app.inject({
      method: 'PUT',
      url: `/v1/crew/vessels/${vessel.id}/safe-manning`,
      headers,
      payload: {
        requirements: [
          { rank: 'master', minimum: 1, requiredCertificates: ['coc-master', 'medical-fitness'] },
          {
            rank: 'chief-engineer',
            minimum: 1,
            requiredCertificates: ['coc-chief-engineer', 'medical-fitness'],
          },
          {
            rank: 'able-seafarer',
            minimum: 3,
            requiredCertificates: ['able-seafarer-deck', 'medical-fitness'],
          },
        ],
      },
    });
    expect(safeManning.statusCode).toBe(200);

    const crew: [string, string, [string, string, string][]][] = [
      [
        'master',
        'master',
        [
          ['coc-master', '2023-01-01', '2028-01-01'],
          ['medical-fitness', '2025-06-01', '2027-05-31'],
        ],
      ],
      [
        'chief',
        'chief-engineer',
        [
          ['coc-chief-engineer', '2022-05-01', '2027-05-01'],
          ['medical-fitness', '2024-01-10', '2026-01-09'],
        ],
      ],
      [
        'ab1',
        'able-seafarer',
        [
          ['able-seafarer-deck', '2020-01-01', '2025-12-31'],
          ['able-seafarer-deck', '2025-12-01', '2030-11-30'],
          ['medical-fitness', '2025-06-01', '2027-05-31'],
        ],
      ],
      ['ab2', 'able-seafarer', [['medical-fitness', '2025-06-01', '2027-05-31']]],
      ['cook', 'cook', []],
    ];
    for (const [name, rank, certificates] of crew) {
      const seafarer = await createSeafarer(context, tenant, { familyName: name, rank });
      ids[name] = seafarer.id;
      for (const [type, issuedOn, expiresOn] of certificates) {
        await post(context, `/v1/crew/seafarers/${seafarer.id}/certificates`, headers, {
          type,
          number: `${type}-${name}`,
          issuingAuthority: 'Flag administration',
          issuedOn,
          expiresOn,
        });
      }
      await post(context, '/v1/crew/assignments', headers, {
        seafarerId: seafarer.id,
        vesselId: vessel.id,
        rank,
        plannedSignOn: '2026-02-01',
        plannedSignOff: '2026-08-01',
      });
    }
  });
  afterAll(async () => {
    await context.close();
  });

  it('names the short ranks and the crew members without a valid required certificate', async () => {
    const response = await context.app.inject({
      url: `/v1/crew/vessels/${vessel.id}/compliance?date=2026-03-01`,
      headers: await context.as('viewer', tenant),
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<Compliance>();
    expect(body).toMatchObject({ vesselId: vessel.id, date: '2026-03-01', compliant: false });
    expect(body.ranks).toEqual([
      { rank: 'master', minimum: 1, aboard: 1, qualified: 1 },
      { rank: 'chief-engineer', minimum: 1, aboard: 1, qualified: 0 },
      { rank: 'able-seafarer', minimum: 3, aboard: 2, qualified: 1 },
    ]);
    // The chief engineer's medical expired before joining on 2026-02-01: no grace at sea.
    expect(body.medicalGrace).toEqual([]);
    expect(body.shortfalls).toEqual([
      { rank: 'chief-engineer', minimum: 1, aboard: 1, short: 1 },
      { rank: 'able-seafarer', minimum: 3, aboard: 2, short: 2 },
    ]);
    expect(body.missingCertificates).toEqual([
      {
        seafarerId: ids.chief,
        name: 'Maria chief',
        rank: 'chief-engineer',
        certificateType: 'medical-fitness',
        reason: 'expired',
        expiredOn: '2026-01-09',
      },
      {
        seafarerId: ids.ab2,
        name: 'Maria ab2',
        rank: 'able-seafarer',
        certificateType: 'able-seafarer-deck',
        reason: 'missing',
      },
    ]);
  });

  it('evaluates another date with the crew and certificates of that date', async () => {
    // On 2026-01-05 nobody had signed on yet.
    const response = await context.app.inject({
      url: `/v1/crew/vessels/${vessel.id}/compliance?date=2026-01-05`,
      headers: await context.as('viewer', tenant),
    });
    expect(response.json<Compliance>().shortfalls).toEqual([
      { rank: 'master', minimum: 1, aboard: 0, short: 1 },
      { rank: 'chief-engineer', minimum: 1, aboard: 0, short: 1 },
      { rank: 'able-seafarer', minimum: 3, aboard: 0, short: 3 },
    ]);
  });

  it('refuses a safe manning that lists a rank twice', async () => {
    const response = await context.app.inject({
      method: 'PUT',
      url: `/v1/crew/vessels/${vessel.id}/safe-manning`,
      headers,
      payload: {
        requirements: [
          { rank: 'cook', minimum: 1, requiredCertificates: [] },
          { rank: 'cook', minimum: 2, requiredCertificates: [] },
        ],
      },
    });
    expect(response.statusCode).toBe(400);
    const stored = await context.app.inject({ url: `/v1/crew/vessels/${vessel.id}/safe-manning`, headers });
    expect(stored.json<{ requirements: unknown[] }>().requirements).toHaveLength(3);
  });
});
