import { describe, expect, it } from 'vitest';
import { contextIsVessel, vesselIdFromContext } from '../src/index.js';

describe('vesselIdFromContext', () => {
  it.each([
    ['vessels.urn:mrn:imo:mmsi:234567890', { kind: 'mmsi', value: '234567890' }],
    ['vessels.urn:mrn:imo:mmsi:701234567', { kind: 'mmsi', value: '701234567' }],
    ['vessels.urn:mrn:imo:imo-number:9074729', { kind: 'imo', value: '9074729' }],
    ['vessels.urn:mrn:imo:imo-number:9176187', { kind: 'imo', value: '9176187' }],
    ['vessels.self', { kind: 'self' }],
    // Syntax only: comparing with the registered vessel's numbers catches these.
    ['vessels.urn:mrn:imo:imo-number:9074728', { kind: 'imo', value: '9074728' }],
    ['vessels.urn:mrn:imo:mmsi:999999999', { kind: 'mmsi', value: '999999999' }],
  ])('reads %s', (context, identity) => {
    expect(vesselIdFromContext(context)).toEqual(identity);
  });

  it.each([
    ['a six-digit IMO number', 'vessels.urn:mrn:imo:imo-number:907472'],
    ['an IMO number with its IMO prefix', 'vessels.urn:mrn:imo:imo-number:IMO9074729'],
    ['an eight-digit MMSI', 'vessels.urn:mrn:imo:mmsi:23456789'],
    ['a ten-digit MMSI', 'vessels.urn:mrn:imo:mmsi:2345678901'],
    ['a Signal K UUID', 'vessels.urn:mrn:signalk:uuid:c0d79334-4e25-4245-8892-54e8ccc8021d'],
    ['an aid to navigation', 'atons.urn:mrn:imo:mmsi:992351234'],
    ['an aircraft', 'aircraft.urn:mrn:imo:mmsi:111232506'],
    ['an upper-case URN', 'vessels.URN:MRN:IMO:MMSI:234567890'],
    ['trailing text', 'vessels.urn:mrn:imo:mmsi:234567890.navigation'],
    ['no vessels prefix', 'urn:mrn:imo:mmsi:234567890'],
    ['an empty string', ''],
  ])('returns undefined for %s', (_name, context) => {
    expect(vesselIdFromContext(context)).toBeUndefined();
  });
});

describe('contextIsVessel', () => {
  const vessel = { mmsi: '234567890', imo: '9074729' };

  it.each([
    ['accepts no context (the sender)', undefined, vessel, true],
    ['accepts vessels.self', 'vessels.self', vessel, true],
    ['accepts its MMSI', 'vessels.urn:mrn:imo:mmsi:234567890', vessel, true],
    ['accepts its IMO number', 'vessels.urn:mrn:imo:imo-number:9074729', vessel, true],
    ['refuses another MMSI', 'vessels.urn:mrn:imo:mmsi:234567891', vessel, false],
    ['refuses another IMO number', 'vessels.urn:mrn:imo:imo-number:9176187', vessel, false],
    [
      'refuses an MMSI when the vessel has none',
      'vessels.urn:mrn:imo:mmsi:234567890',
      { imo: '9074729', mmsi: null },
      false,
    ],
    [
      'refuses an unrecognised context',
      'vessels.urn:mrn:signalk:uuid:c0d79334-4e25-4245-8892-54e8ccc8021d',
      vessel,
      false,
    ],
  ])('%s', (_name, context, identity, expected) => {
    expect(contextIsVessel(context, identity)).toBe(expected);
  });
});
