import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import { Value } from '@sinclair/typebox/value';
import { afterAll, describe, expect, it } from 'vitest';
import {
  KafkaConnectionConfigError,
  kafkaConnectionConfigSchema,
  kafkaConnectionOptions,
  type KafkaConnectionConfig,
} from '../src/index.js';

// Any PEM certificate will do: kafkaConnectionOptions checks the file's form, TLS checks the rest.
const pem = rootCertificates[0] ?? '';
const dir = mkdtempSync(path.join(tmpdir(), 'kafka-connection-test-'));
const caFile = path.join(dir, 'ca.pem');
writeFileSync(caFile, pem);
const notPem = path.join(dir, 'ca.der');
writeFileSync(notPem, Buffer.from([0x30, 0x82, 0x01, 0x0a]));
const missing = path.join(dir, 'nowhere.pem');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plaintext: KafkaConnectionConfig = { KAFKA_SSL: false };
const scram = {
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'fleetwatch',
  KAFKA_SASL_PASSWORD: 's3cret',
} as const;

describe('kafkaConnectionOptions', () => {
  it.each<[string, KafkaConnectionConfig, ReturnType<typeof kafkaConnectionOptions>]>([
    ['nothing set: PLAINTEXT', plaintext, {}],
    ['KAFKA_SSL: TLS with the system CAs', { KAFKA_SSL: true }, { ssl: true }],
    [
      'KAFKA_SSL and a CA file: the PEM read',
      { KAFKA_SSL: true, KAFKA_SSL_CA_FILE: caFile },
      { ssl: { ca: pem } },
    ],
    [
      'SCRAM-SHA-512 over TLS (MSK)',
      { KAFKA_SSL: true, ...scram },
      { ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'fleetwatch', password: 's3cret' } },
    ],
    [
      'SCRAM without TLS (SASL_PLAINTEXT)',
      { ...plaintext, ...scram },
      { sasl: { mechanism: 'scram-sha-512', username: 'fleetwatch', password: 's3cret' } },
    ],
    [
      'the upper-case spelling of a mechanism',
      { ...plaintext, ...scram, KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256' },
      { sasl: { mechanism: 'scram-sha-256', username: 'fleetwatch', password: 's3cret' } },
    ],
    [
      'PLAIN over TLS with a private CA',
      { KAFKA_SSL: true, KAFKA_SSL_CA_FILE: caFile, ...scram, KAFKA_SASL_MECHANISM: 'plain' },
      { ssl: { ca: pem }, sasl: { mechanism: 'plain', username: 'fleetwatch', password: 's3cret' } },
    ],
  ])('%s', (_, config, expected) => {
    expect(kafkaConnectionOptions(config)).toEqual(expected);
  });

  it.each<[string, KafkaConnectionConfig, { variable: string; message: RegExp }[]]>([
    [
      'a mechanism without username and password',
      { ...plaintext, KAFKA_SASL_MECHANISM: 'scram-sha-512' },
      [
        { variable: 'KAFKA_SASL_USERNAME', message: /must be set when KAFKA_SASL_MECHANISM is/ },
        { variable: 'KAFKA_SASL_PASSWORD', message: /must be set when KAFKA_SASL_MECHANISM is/ },
      ],
    ],
    [
      'a mechanism and a username without password',
      { ...plaintext, ...scram, KAFKA_SASL_PASSWORD: undefined },
      [{ variable: 'KAFKA_SASL_PASSWORD', message: /must be set when KAFKA_SASL_MECHANISM is/ }],
    ],
    [
      'a username without a mechanism',
      { ...plaintext, KAFKA_SASL_USERNAME: 'fleetwatch' },
      [{ variable: 'KAFKA_SASL_MECHANISM', message: /must be set when KAFKA_SASL_USERNAME is/ }],
    ],
    [
      'a password without a mechanism',
      { ...plaintext, KAFKA_SASL_PASSWORD: 's3cret' },
      [{ variable: 'KAFKA_SASL_MECHANISM', message: /must be set when KAFKA_SASL_PASSWORD is/ }],
    ],
    [
      'a CA file without KAFKA_SSL',
      { KAFKA_SSL: false, KAFKA_SSL_CA_FILE: caFile },
      [{ variable: 'KAFKA_SSL', message: /must be true when KAFKA_SSL_CA_FILE is set/ }],
    ],
    [
      'a CA file that does not exist',
      { KAFKA_SSL: true, KAFKA_SSL_CA_FILE: missing },
      [{ variable: 'KAFKA_SSL_CA_FILE', message: /cannot be read \(.*nowhere\.pem: ENOENT\)/ }],
    ],
    [
      'a CA file that is no PEM',
      { KAFKA_SSL: true, KAFKA_SSL_CA_FILE: notPem },
      [{ variable: 'KAFKA_SSL_CA_FILE', message: /holds no PEM certificate/ }],
    ],
    [
      'several problems at once',
      {
        KAFKA_SSL: false,
        KAFKA_SSL_CA_FILE: caFile,
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'x',
      },
      [
        { variable: 'KAFKA_SSL', message: /must be true/ },
        { variable: 'KAFKA_SASL_PASSWORD', message: /must be set/ },
      ],
    ],
  ])('refuses %s, naming the variables', (_, config, expected) => {
    let caught: unknown;
    try {
      kafkaConnectionOptions(config);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KafkaConnectionConfigError);
    const { problems, message } = caught as KafkaConnectionConfigError;
    expect(problems.map(({ variable }) => variable)).toEqual(expected.map(({ variable }) => variable));
    expected.forEach(({ variable, message: pattern }, n) => {
      expect(problems[n]?.message).toMatch(pattern);
      expect(message).toContain(variable);
    });
  });

  it('never puts the password into its message', () => {
    expect(() => kafkaConnectionOptions({ ...plaintext, ...scram, KAFKA_SASL_USERNAME: undefined })).toThrow(
      /^invalid Kafka connection configuration: KAFKA_SASL_USERNAME must be set when KAFKA_SASL_MECHANISM is$/,
    );
  });
});

describe('kafkaConnectionConfigSchema', () => {
  it('defaults KAFKA_SSL to false and leaves the rest unset', () => {
    expect(Value.Default(kafkaConnectionConfigSchema, {})).toEqual({ KAFKA_SSL: false });
  });

  it.each([
    [{ KAFKA_SASL_MECHANISM: 'scram-sha-512' }, true],
    [{ KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512' }, true],
    [{ KAFKA_SASL_MECHANISM: 'gssapi' }, false],
    [{ KAFKA_SASL_USERNAME: '' }, false],
    [{ KAFKA_SSL_CA_FILE: '' }, false],
  ])('%o is valid: %s', (config, valid) => {
    expect(Value.Check(kafkaConnectionConfigSchema, { KAFKA_SSL: false, ...config })).toBe(valid);
  });
});
