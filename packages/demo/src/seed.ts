/**
 * Demo data through the platform's public APIs: tenants, their vessels and device keys (fleet), crews
 * with certificates and safe manning (crew), equipment and jobs (maintenance). Idempotent across
 * restarts: what was created is kept in a state file (device keys are shown only once), and a second
 * run reuses it while the tenants still exist.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DemoVesselSpec {
  index: number;
  name: string;
  imo: string;
  mmsi: string;
  flag: string;
  shipType: string;
  dwt: number;
  gt: number;
  yearBuilt: number;
  /** Which demo tenant (index into tenants) owns it. */
  tenant: number;
}

export interface SeededVessel {
  index: number;
  id: string;
  tenantId: string;
  imo: string;
  mmsi: string;
  name: string;
  deviceKey: string;
}

export interface DemoState {
  version: 1;
  tenants: { id: string; name: string }[];
  vessels: SeededVessel[];
  /** Which later steps finished: an interrupted run resumes with the first that did not. */
  maintenanceSeeded?: boolean;
  crewSeeded?: boolean;
}

export interface SeedOptions {
  urls: { fleet: string; crew: string; maintenance: string };
  /** A bearer token for the role; tenant roles get the tenant. */
  token: (role: string, tenantId?: string) => Promise<string>;
  tenantNames: string[];
  vessels: DemoVesselSpec[];
  /** Vessels per tenant that get a full crew (crew data is the slow part). */
  crewedVesselsPerTenant: number;
  statePath: string;
  /** Today (UTC date), for certificate and job dates. */
  today: string;
  log?: (line: string) => void;
  concurrency?: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** JSON over HTTP with retries for what heals by itself: 5xx, 429, and 404 while a registry view catches up. */
async function call<T>(
  method: string,
  url: string,
  token: string,
  body?: unknown,
  { retryNotFound = false }: { retryNotFound?: boolean } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.ok) return (text ? JSON.parse(text) : undefined) as T;
    const transient =
      response.status >= 500 || response.status === 429 || (retryNotFound && response.status === 404);
    if (!transient || attempt >= 20)
      throw new HttpError(response.status, `${method} ${url}: ${response.status} ${text}`);
    const retryAfter = Number(response.headers.get('retry-after'));
    await sleep(
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : Math.min(2_000, 100 * attempt),
    );
  }
}

/** Runs fn over items with at most `limit` at a time, in order of start. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await fn(item);
      }
    }),
  );
}

async function readState(statePath: string): Promise<DemoState | null> {
  try {
    const state = JSON.parse(await readFile(statePath, 'utf8')) as DemoState;
    return state.version === 1 ? state : null;
  } catch {
    return null;
  }
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function addYears(date: string, years: number): string {
  return `${Number(date.slice(0, 4)) + years}${date.slice(4)}`.replace(/-02-29$/, '-02-28');
}

/** The ranks of a demo crew, the certificates each needs, and how many of each rank. */
const CREW: { rank: string; count: number; certificates: string[] }[] = [
  { rank: 'master', count: 1, certificates: ['coc-master', 'gmdss-general-operator'] },
  { rank: 'chief-officer', count: 1, certificates: ['coc-chief-mate'] },
  { rank: 'second-officer', count: 1, certificates: ['coc-officer-in-charge-of-navigational-watch'] },
  { rank: 'chief-engineer', count: 1, certificates: ['coc-chief-engineer'] },
  { rank: 'second-engineer', count: 1, certificates: ['coc-second-engineer'] },
  { rank: 'able-seafarer', count: 3, certificates: ['able-seafarer-deck'] },
  { rank: 'oiler', count: 2, certificates: ['rating-engineering-watch'] },
  { rank: 'cook', count: 1, certificates: ['ship-cook'] },
];
const GIVEN = [
  'Maria',
  'Jose',
  'Ivan',
  'Anna',
  'Rahul',
  'Chen',
  'Olena',
  'Mateo',
  'Aye',
  'Juan',
  'Kofi',
  'Liam',
];
const FAMILY = [
  'Santos',
  'Reyes',
  'Petrov',
  'Kowalski',
  'Sharma',
  'Wang',
  'Bondarenko',
  'Cruz',
  'Tan',
  'Mensah',
];
const NATIONALITIES = ['PH', 'PH', 'IN', 'UA', 'PL', 'CN', 'MM', 'RO', 'GH', 'HR'];

export async function seedDemo(options: SeedOptions): Promise<DemoState> {
  const log = options.log ?? (() => {});
  const limit = options.concurrency ?? 8;
  const operator = await options.token('platform-admin');

  let state = await readState(options.statePath);
  if (state && state.vessels.length >= options.vessels.length) {
    const firstTenant = state.tenants[0]?.id;
    const alive = await fetch(`${options.urls.fleet}/v1/fleet/tenants/${firstTenant}`, {
      headers: { authorization: `Bearer ${operator}` },
    }).then((response) => response.ok);
    if (!alive) state = null;
  } else {
    state = null;
  }
  if (state) {
    log(
      `demo data from ${options.statePath}: ${state.tenants.length} tenants, ${state.vessels.length} vessels`,
    );
  } else {
    state = await seedFleet(options, operator, limit, log);
  }
  const save = (current: DemoState) =>
    writeFile(options.statePath, JSON.stringify(current, null, 2), { mode: 0o600 });

  if (!state.maintenanceSeeded) {
    await eachLimited(state.vessels, limit, (vessel) => seedMaintenance(options, vessel));
    state.maintenanceSeeded = true;
    await save(state);
    log('maintenance: main engine with its running-hours counter and jobs on every vessel (some overdue)');
  }
  if (!state.crewSeeded) {
    const seeded = state;
    const crewed = seeded.tenants.flatMap((tenant) =>
      seeded.vessels
        .filter((vessel) => vessel.tenantId === tenant.id)
        .slice(0, options.crewedVesselsPerTenant),
    );
    let person = 0;
    await eachLimited(crewed, Math.max(1, Math.floor(limit / 2)), async (vessel) => {
      person = await seedCrew(options, vessel, person);
    });
    state.crewSeeded = true;
    await save(state);
    log(`crew: ${crewed.length} vessels with a full crew, certificates (some expiring) and safe manning`);
  }
  return { ...state, vessels: state.vessels.slice(0, options.vessels.length) };
}

/** Tenants, vessels and device keys; saved at once, as the keys cannot be read back. */
async function seedFleet(
  options: SeedOptions,
  operator: string,
  limit: number,
  log: (line: string) => void,
): Promise<DemoState> {
  const tenants: DemoState['tenants'] = [];
  for (const name of options.tenantNames) {
    const created = await call<{ id: string }>('POST', `${options.urls.fleet}/v1/fleet/tenants`, operator, {
      name,
    }).catch(async (error: unknown) => {
      // Created by an earlier run that did not get as far as saving its state: start that tenant afresh
      // under a new name rather than mixing half-seeded data in.
      if (error instanceof HttpError && error.status === 409) {
        return call<{ id: string }>('POST', `${options.urls.fleet}/v1/fleet/tenants`, operator, {
          name: `${name} ${new Date().toISOString().slice(0, 19)}`,
        });
      }
      throw error;
    });
    tenants.push({ id: created.id, name });
  }
  log(`tenants: ${tenants.map((tenant) => tenant.name).join(', ')}`);

  const vessels: SeededVessel[] = [];
  await eachLimited(options.vessels, limit, async (spec) => {
    const tenant = tenants[spec.tenant % tenants.length] as { id: string };
    const manager = await options.token('fleet-manager', tenant.id);
    const vessel = await call<{ id: string }>('POST', `${options.urls.fleet}/v1/fleet/vessels`, manager, {
      imo: spec.imo,
      mmsi: spec.mmsi,
      name: spec.name,
      flag: spec.flag,
      shipType: spec.shipType,
      dwt: spec.dwt,
      gt: spec.gt,
      yearBuilt: spec.yearBuilt,
    });
    const key = await call<{ key: string }>(
      'POST',
      `${options.urls.fleet}/v1/fleet/vessels/${vessel.id}/device-keys`,
      manager,
      { label: 'simulator gateway' },
    );
    vessels.push({
      index: spec.index,
      id: vessel.id,
      tenantId: tenant.id,
      imo: spec.imo,
      mmsi: spec.mmsi,
      name: spec.name,
      deviceKey: key.key,
    });
  });
  vessels.sort((a, b) => a.index - b.index);
  const state: DemoState = { version: 1, tenants, vessels };
  await writeFile(options.statePath, JSON.stringify(state, null, 2), { mode: 0o600 });
  log(`vessels: ${vessels.length}, each with a device key`);
  return state;
}

async function seedMaintenance(options: SeedOptions, vessel: SeededVessel): Promise<void> {
  const manager = await options.token('fleet-manager', vessel.tenantId);
  const base = `${options.urls.maintenance}/v1/maintenance`;
  const engine = await call<{ id: string }>(
    'POST',
    `${base}/vessels/${vessel.id}/components`,
    manager,
    {
      code: '601',
      name: 'Main engine',
      maker: 'MAN Energy Solutions',
      model: '6S60ME-C8.5',
      criticality: 'critical',
      hasCounter: true,
      telemetryEngine: 'main',
      initialRunningHours: 0,
    },
    { retryNotFound: true },
  ).catch((error: unknown) => {
    // Created by an earlier, interrupted run.
    if (error instanceof HttpError && error.status === 409) return null;
    throw error;
  });
  if (!engine) return;
  const purifier = await call<{ id: string }>('POST', `${base}/vessels/${vessel.id}/components`, manager, {
    code: '712',
    name: 'HFO purifier',
    criticality: 'medium',
  });
  const jobs: [string, Record<string, unknown>][] = [
    [
      engine.id,
      {
        title: 'Overhaul fuel valves',
        responsibleRank: 'second-engineer',
        hoursInterval: 8_000,
        toleranceHours: 200,
        calendarInterval: { unit: 'months', value: 24 },
        lastDoneOn: addDays(options.today, -200),
        lastDoneHours: 0,
      },
    ],
    [
      engine.id,
      {
        title: 'Crankcase inspection',
        responsibleRank: 'chief-engineer',
        calendarInterval: { unit: 'months', value: 6 },
        toleranceDays: 14,
        lastDoneOn: addDays(options.today, -150),
      },
    ],
    // Overdue on purpose on one vessel in three, so the due lists show red.
    [
      purifier.id,
      {
        title: 'Clean bowl and disc stack',
        responsibleRank: 'oiler',
        calendarInterval: { unit: 'days', value: 30 },
        toleranceDays: 3,
        lastDoneOn: addDays(options.today, vessel.index % 3 === 0 ? -45 : -10),
      },
    ],
  ];
  for (const [componentId, job] of jobs) {
    await call('POST', `${base}/components/${componentId}/jobs`, manager, job);
  }
}

async function seedCrew(options: SeedOptions, vessel: SeededVessel, firstPerson: number): Promise<number> {
  const manager = await options.token('fleet-manager', vessel.tenantId);
  const base = `${options.urls.crew}/v1/crew`;
  const aboard = await call<{ crew: unknown[] }>(
    'GET',
    `${base}/vessels/${vessel.id}/crew`,
    manager,
    undefined,
    {
      retryNotFound: true,
    },
  );
  // Crewed by an earlier, interrupted run.
  if (aboard.crew.length > 0) return firstPerson;
  await call(
    'PUT',
    `${base}/vessels/${vessel.id}/safe-manning`,
    manager,
    {
      requirements: CREW.map(({ rank, count, certificates }) => ({
        rank,
        minimum: count,
        requiredCertificates: [...certificates, 'medical-fitness'],
      })),
    },
    { retryNotFound: true },
  );
  let person = firstPerson;
  for (const { rank, count, certificates } of CREW) {
    for (let n = 0; n < count; n++, person++) {
      const seafarer = await call<{ id: string }>('POST', `${base}/seafarers`, manager, {
        givenName: GIVEN[person % GIVEN.length],
        familyName: FAMILY[(person * 7) % FAMILY.length],
        nationality: NATIONALITIES[person % NATIONALITIES.length],
        dateOfBirth: `${1970 + (person % 30)}-0${1 + (person % 9)}-1${person % 10}`,
        rank,
      });
      // Every seventh medical expires within the month: the expiring lists have something to show.
      const medicalIssued =
        person % 7 === 0 ? addDays(addYears(options.today, -2), 20) : addDays(options.today, -100);
      const documents = [
        ...certificates.map((type) => ({
          type,
          issuedOn: addDays(options.today, -400),
          expiresOn: addDays(addYears(options.today, -1), 1_500),
        })),
        {
          type: 'medical-fitness',
          issuedOn: medicalIssued,
          expiresOn: addDays(addYears(medicalIssued, 2), -1),
        },
      ];
      for (const document of documents) {
        await call('POST', `${base}/seafarers/${seafarer.id}/certificates`, manager, {
          ...document,
          number: `${document.type.toUpperCase()}-${person}`,
          issuingAuthority: 'Flag administration',
        });
      }
      await call('POST', `${base}/assignments`, manager, {
        seafarerId: seafarer.id,
        vesselId: vessel.id,
        rank,
        plannedSignOn: addDays(options.today, -30 - (person % 60)),
        plannedSignOff: addDays(options.today, 90 + (person % 60)),
      });
    }
  }
  return person;
}
