import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeafarer, post, startCrewApp, type CrewTestContext, type TestVessel } from './helpers.js';

/** Rest periods of one day (2026-03-0<day>), as [start, end] in hours, e.g. [[0, 6], [12, 18]]. */
function day(date: string, periods: [number, number][]) {
  const at = (hours: number) => new Date(Date.parse(`${date}T00:00:00Z`) + hours * 3_600_000).toISOString();
  return periods.map(([start, end]) => ({ start: at(start), end: at(end) }));
}

describe('hours of rest', () => {
  let context: CrewTestContext;
  const tenant = randomUUID();
  let vessel: TestVessel;
  let headers: { authorization: string };

  beforeAll(async () => {
    context = await startCrewApp({ today: '2026-03-10' });
    vessel = await context.fixture.addVessel(tenant);
    headers = await context.as('fleet-manager', tenant);
  });
  afterAll(async () => {
    await context.close();
  });

  const record = async (seafarerId: string, periods: { start: string; end: string }[]) =>
    context.app.inject({
      method: 'POST',
      url: `/v1/crew/seafarers/${seafarerId}/rest-periods`,
      headers,
      payload: { vesselId: vessel.id, periods },
    });

  it('records rest and evaluates it under the vessel’s regime, naming the rule and window', async () => {
    const seafarer = await createSeafarer(context, tenant);
    // Day 1 and 2 compliant (8 + 4 h); day 3 only 9.5 h of rest (6 + 3.5).
    const periods = [
      ...day('2026-03-01', [
        [0, 8],
        [12, 16],
      ]),
      ...day('2026-03-02', [
        [0, 8],
        [12, 16],
      ]),
      ...day('2026-03-03', [
        [0, 6],
        [12, 15.5],
      ]),
      ...day('2026-03-04', [
        [0, 8],
        [12, 16],
      ]),
    ];
    const stored = await record(seafarer.id, periods);
    expect(stored.statusCode).toBe(201);
    expect(stored.json<{ items: unknown[] }>().items).toHaveLength(8);

    const evaluation = await context.app.inject({
      url: `/v1/crew/seafarers/${seafarer.id}/hours-of-rest?vesselId=${vessel.id}&from=2026-03-01T00:00:00Z&to=2026-03-05T00:00:00Z`,
      headers: await context.as('viewer', tenant),
    });
    expect(evaluation.statusCode).toBe(200);
    const body = evaluation.json<{
      regime: string;
      compliant: boolean;
      violations: { rule: string; windowStart: string; windowEnd: string; actualHours: number }[];
    }>();
    expect(body.regime).toBe('minimum-rest');
    expect(body.compliant).toBe(false);
    const daily = body.violations.filter((violation) => violation.rule === 'rest-under-10h-in-24h');
    expect(daily).toEqual([
      expect.objectContaining({
        windowStart: '2026-03-02T16:00:00.000Z',
        windowEnd: '2026-03-03T16:00:00.000Z',
        actualHours: 9.5,
      }),
    ]);

    // Under the maximum-work regime the same day is 14.5 h of work.
    const settings = await context.app.inject({
      method: 'PUT',
      url: `/v1/crew/vessels/${vessel.id}/crew-settings`,
      headers,
      payload: { restRegime: 'maximum-work' },
    });
    expect(settings.statusCode).toBe(200);
    const underWork = await context.app.inject({
      url: `/v1/crew/seafarers/${seafarer.id}/hours-of-rest?vesselId=${vessel.id}&from=2026-03-01T00:00:00Z&to=2026-03-05T00:00:00Z`,
      headers,
    });
    expect(
      underWork.json<{ violations: { rule: string; actualHours: number }[] }>().violations,
    ).toContainEqual(expect.objectContaining({ rule: 'work-over-14h-in-24h', actualHours: 14.5 }));
    await context.app.inject({
      method: 'PUT',
      url: `/v1/crew/vessels/${vessel.id}/crew-settings`,
      headers,
      payload: { restRegime: 'minimum-rest' },
    });

    const report = await context.app.inject({
      url: `/v1/crew/vessels/${vessel.id}/hours-of-rest?from=2026-03-01T00:00:00Z&to=2026-03-05T00:00:00Z`,
      headers,
    });
    expect(report.statusCode).toBe(200);
    const seafarers = report.json<{ seafarers: { seafarerId: string; compliant: boolean }[] }>().seafarers;
    expect(seafarers).toContainEqual(expect.objectContaining({ seafarerId: seafarer.id, compliant: false }));
  });

  it('stores all periods of a request or none: overlaps with stored rest are 409, within the request 400', async () => {
    const seafarer = await createSeafarer(context, tenant);
    expect((await record(seafarer.id, day('2026-03-05', [[0, 8]]))).statusCode).toBe(201);
    const overlapping = await record(
      seafarer.id,
      day('2026-03-05', [
        [12, 18],
        [7, 9],
      ]),
    );
    expect(overlapping.statusCode).toBe(409);
    const withinRequest = await record(
      seafarer.id,
      day('2026-03-06', [
        [0, 8],
        [7, 9],
      ]),
    );
    expect(withinRequest.statusCode).toBe(400);
    const backwards = await record(seafarer.id, [
      { start: '2026-03-06T10:00:00Z', end: '2026-03-06T09:00:00Z' },
    ]);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json<{ errors: { pointer: string }[] }>().errors[0]?.pointer).toBe('/periods/0/end');
    const farAhead = await record(seafarer.id, day('2026-03-12', [[0, 8]]));
    expect(farAhead.statusCode).toBe(400);

    const list = await context.app.inject({
      url: `/v1/crew/seafarers/${seafarer.id}/rest-periods?from=2026-03-01T00:00:00Z&to=2026-03-10T00:00:00Z`,
      headers,
    });
    expect(list.json<{ items: { start: string; end: string }[] }>().items).toEqual([
      expect.objectContaining({ start: '2026-03-05T00:00:00.000Z', end: '2026-03-05T08:00:00.000Z' }),
    ]);
  });

  it('deletes a record to correct it', async () => {
    const seafarer = await createSeafarer(context, tenant);
    const stored = await post<{ items: { id: string }[] }>(
      context,
      `/v1/crew/seafarers/${seafarer.id}/rest-periods`,
      headers,
      { vesselId: vessel.id, periods: day('2026-03-07', [[0, 8]]) },
    );
    const url = `/v1/crew/seafarers/${seafarer.id}/rest-periods/${stored.items[0]?.id}`;
    expect((await context.app.inject({ method: 'DELETE', url, headers })).statusCode).toBe(204);
    expect((await record(seafarer.id, day('2026-03-07', [[1, 9]]))).statusCode).toBe(201);
  });

  it.each([
    ['to before from', 'from=2026-03-05T00:00:00Z&to=2026-03-01T00:00:00Z'],
    ['a range over 31 days', 'from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z'],
    ['a missing vesselId', 'from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&vesselId='],
  ])('refuses an evaluation with %s', async (_name, query) => {
    const seafarer = await createSeafarer(context, tenant);
    const response = await context.app.inject({
      url: `/v1/crew/seafarers/${seafarer.id}/hours-of-rest?${query.includes('vesselId') ? query : `${query}&vesselId=${vessel.id}`}`,
      headers,
    });
    expect(response.statusCode).toBe(400);
  });
});
