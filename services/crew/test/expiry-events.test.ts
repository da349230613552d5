import { createProducer, decodeEnvelope, ensureTopics, type MessageProducer } from '@fleetwatch/messaging';
import { createOutboxRelay, type OutboxRelay } from '@fleetwatch/outbox';
import type { Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CERTIFICATE_EXPIRY_TOPIC, CertificateExpiryData, OUTBOX_SCHEMA } from '../src/events.js';
import { scanCertificateExpiry } from '../src/expiry-scan.js';
import { createSeafarer, post, startCrewApp, type CrewTestContext } from './helpers.js';

/** Certificate expiry events: the scan puts them in the outbox once each; the relay takes them to Kafka. */
describe('certificate expiry events', () => {
  let context: CrewTestContext;
  let producer: MessageProducer;
  let relay: OutboxRelay;
  let reader: Consumer;
  const tenant = randomUUID();
  const received: { key: string | null; type: string; data: CertificateExpiryData }[] = [];

  beforeAll(async () => {
    // The app's today is after every scan date below, so all the certificates can be recorded up front.
    context = await startCrewApp({ today: '2026-03-12' });
    await ensureTopics(context.kafka, [{ topic: CERTIFICATE_EXPIRY_TOPIC, numPartitions: 1 }]);
    producer = createProducer(context.kafka);
    await producer.connect();
    relay = createOutboxRelay({ pool: context.pool, schema: OUTBOX_SCHEMA, producer, pollIntervalMs: 200 });
    await relay.start();
    reader = context.kafka.consumer({ groupId: `crew-expiry-reader-${randomUUID()}`, maxWaitTimeInMs: 500 });
    await reader.connect();
    await reader.subscribe({ topics: [CERTIFICATE_EXPIRY_TOPIC], fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const envelope = decodeEnvelope(message.value, CertificateExpiryData);
        if (envelope.tenant === tenant) {
          received.push({ key: message.key?.toString() ?? null, type: envelope.type, data: envelope.data });
        }
      },
    });
  });
  afterAll(async () => {
    await reader.disconnect();
    await relay.stop();
    await producer.disconnect();
    await context.close();
  });

  async function receivedAtLeast(count: number) {
    const deadline = Date.now() + 20_000;
    while (received.length < count) {
      if (Date.now() > deadline) throw new Error(`${received.length} of ${count} events within 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return received.map(({ key, type, data }) => ({
      key,
      type,
      number: data.certificateNumber,
      kind: data.kind,
    }));
  }

  it('announces each certificate once as it comes within the warning period and again when it expires', async () => {
    const headers = await context.as('fleet-manager', tenant);
    const seafarer = await createSeafarer(context, tenant);
    const certificate = (number: string, issuedOn: string, expiresOn: string) =>
      post(context, `/v1/crew/seafarers/${seafarer.id}/certificates`, headers, {
        type: number.startsWith('MED') ? 'medical-fitness' : 'passport',
        number,
        issuingAuthority: 'Authority',
        issuedOn,
        expiresOn,
      });
    await certificate('MED-OLD', '2024-03-10', '2026-03-09');
    await certificate('PASS-FAR', '2020-01-01', '2029-12-31');

    const warningDays = 30;
    // Scans cover every tenant; other test files' certificates are in the same database.
    const scan = async (today: string) =>
      (await scanCertificateExpiry(context.pool, { today, warningDays })).filter(
        (event) => event.tenantId === tenant,
      ).length;
    expect(await scan('2026-02-01')).toBe(0);
    expect(await scan('2026-02-10')).toBe(1);
    expect(await scan('2026-02-11')).toBe(0);
    expect(await scan('2026-03-10')).toBe(1);
    expect(await scan('2026-03-11')).toBe(0);

    // A renewal replaces the expired one: nothing more about MED-OLD, and the new one is quiet until due.
    await certificate('MED-NEW', '2026-03-10', '2028-03-09');
    expect(await scan('2026-03-12')).toBe(0);

    expect(await receivedAtLeast(2)).toEqual([
      { key: seafarer.id, type: 'crew.certificate-expiring', number: 'MED-OLD', kind: 'expiring' },
      { key: seafarer.id, type: 'crew.certificate-expired', number: 'MED-OLD', kind: 'expired' },
    ]);
  });

  it('concurrent scans (several replicas) announce a certificate once', async () => {
    const seafarer = await createSeafarer(context, tenant);
    await post(
      context,
      `/v1/crew/seafarers/${seafarer.id}/certificates`,
      await context.as('fleet-manager', tenant),
      {
        type: 'medical-fitness',
        number: 'MED-RACE',
        issuingAuthority: 'Authority',
        issuedOn: '2025-01-01',
        expiresOn: '2026-12-31',
      },
    );
    const scans = await Promise.all(
      Array.from({ length: 4 }, () =>
        scanCertificateExpiry(context.pool, { today: '2026-12-15', warningDays: 30 }),
      ),
    );
    const announced = scans.flat().filter((event) => event.seafarerId === seafarer.id);
    expect(announced.map((event) => [event.certificateNumber, event.kind])).toEqual([
      ['MED-RACE', 'expiring'],
    ]);
  });
});
