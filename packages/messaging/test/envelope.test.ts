import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { EnvelopeError, createEnvelope, decodeEnvelope, encodeEnvelope } from '../src/index.js';

const valid = {
  id: '4d1c5a8e-3b0f-4f5e-9a61-2f7c1e9d8b10',
  type: 'fleet.vessel.updated',
  version: 1,
  occurredAt: '2025-03-01T12:00:00.000Z',
  data: { mmsi: '244660000' },
};

const bytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

function decodeError(value: Buffer | null, schema?: Parameters<typeof decodeEnvelope>[1]): EnvelopeError {
  try {
    if (schema === undefined) decodeEnvelope(value);
    else decodeEnvelope(value, schema);
  } catch (error) {
    if (error instanceof EnvelopeError) return error;
    throw error;
  }
  throw new Error('decodeEnvelope accepted the value');
}

describe('createEnvelope', () => {
  it('fills in a UUID and the current time', () => {
    const envelope = createEnvelope({ type: 'fleet.vessel.updated', version: 2, data: { speed: 12 } });
    const { id, occurredAt, ...rest } = envelope;
    expect(rest).toEqual({ type: 'fleet.vessel.updated', version: 2, data: { speed: 12 } });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Date.parse(occurredAt)).not.toBeNaN();
    expect(envelope).not.toHaveProperty('tenant');
  });

  it('keeps a given id, time and tenant', () => {
    const envelope = createEnvelope({
      type: 'fleet.vessel.updated',
      version: 1,
      data: null,
      id: valid.id,
      occurredAt: new Date(valid.occurredAt),
      tenant: 'acme',
    });
    expect(envelope).toEqual({ ...valid, data: null, tenant: 'acme' });
  });

  it('rejects a fractional version and a malformed type', () => {
    expect(() => createEnvelope({ type: 'Vessel Updated', version: 1.5, data: {} })).toThrow(
      /\/type: must be dot-separated lowercase words.*\/version: Expected integer/,
    );
  });

  it('rejects an invalid date', () => {
    expect(() =>
      createEnvelope({ type: 'fleet.vessel.updated', version: 1, data: {}, occurredAt: new Date('nope') }),
    ).toThrow(EnvelopeError);
  });
});

describe('encodeEnvelope and decodeEnvelope', () => {
  it('round-trip an envelope', () => {
    const envelope = createEnvelope({
      type: 'fleet.vessel.updated',
      version: 1,
      data: { a: [1, 2] },
      tenant: 't1',
    });
    expect(decodeEnvelope(encodeEnvelope(envelope))).toEqual(envelope);
  });

  it('refuse to encode an invalid envelope', () => {
    expect(() => encodeEnvelope({ ...valid, id: 'not-a-uuid' })).toThrow(
      /\/id: must be a UUID \(got "not-a-uuid"\)/,
    );
  });

  it('drop fields they do not know, so producers can add fields first', () => {
    expect(decodeEnvelope(bytes({ ...valid, source: 'ais' }))).toEqual(valid);
  });

  it('validate data against a TypeBox schema and type it', () => {
    const schema = Type.Object({ mmsi: Type.String() });
    const envelope = decodeEnvelope(bytes(valid), schema);
    const mmsi: string = envelope.data.mmsi;
    expect(mmsi).toBe('244660000');
  });
});

describe('decodeEnvelope errors', () => {
  it('names a value that is not JSON', () => {
    const error = decodeError(Buffer.from('{"id":'));
    expect(error.name).toBe('EnvelopeError');
    expect(error.message).toMatch(/^invalid envelope: \(root\): not JSON/);
  });

  it('names a tombstone', () => {
    expect(decodeError(null).message).toMatch(/no value \(a tombstone\)/);
  });

  it('names JSON that is not an object', () => {
    expect(decodeError(bytes([1, 2])).problems).toEqual(['(root): Expected object (got [1,2])']);
  });

  it('names every missing field', () => {
    expect(decodeError(bytes({})).problems).toEqual([
      '/id: Expected required property',
      '/type: Expected required property',
      '/version: Expected required property',
      '/occurredAt: Expected required property',
      '/data: Expected required property',
    ]);
  });

  it('names wrongly typed fields with the value it got', () => {
    const error = decodeError(bytes({ ...valid, version: '1', occurredAt: '01/03/2025', tenant: 7 }));
    expect(error.problems).toEqual([
      '/version: Expected integer (got "1")',
      '/occurredAt: must be an ISO 8601 timestamp with a time zone (got "01/03/2025")',
      '/tenant: Expected string (got 7)',
    ]);
  });

  it('rejects a version below 1 and an impossible date', () => {
    expect(decodeError(bytes({ ...valid, version: 0 })).problems).toEqual([
      '/version: Expected integer to be greater or equal to 1 (got 0)',
    ]);
    expect(decodeError(bytes({ ...valid, occurredAt: '2025-13-01T00:00:00Z' })).problems).toEqual([
      '/occurredAt: not a real point in time (got "2025-13-01T00:00:00Z")',
    ]);
  });

  it('names the data path that does not match the schema', () => {
    const schema = Type.Object({ mmsi: Type.String(), speed: Type.Number() });
    const error = decodeError(bytes({ ...valid, data: { mmsi: 244660000 } }), schema);
    expect(error.problems).toEqual([
      'data of fleet.vessel.updated v1 does not match its schema',
      '/data/speed: Expected required property',
      '/data/mmsi: Expected string (got 244660000)',
    ]);
  });
});
