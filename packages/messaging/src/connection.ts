import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';

export type KafkaSaslMechanism = 'scram-sha-256' | 'scram-sha-512' | 'plain';

/** SASL credentials; Amazon MSK's SASL listener (port 9096) takes SCRAM-SHA-512 over TLS. */
export type KafkaSaslOptions = {
  [M in KafkaSaslMechanism]: { mechanism: M; username: string; password: string };
}[KafkaSaslMechanism];

/**
 * TLS to the brokers: `true` trusts the system CAs (enough for MSK, whose certificates chain to
 * Amazon's public roots); `{ ca }` also trusts the PEM certificate(s) in `ca` (a private CA).
 */
export type KafkaSslOption = boolean | { ca: string };

/** What `createKafka` takes besides client id, brokers and logging. */
export interface KafkaConnectionOptions {
  ssl?: KafkaSslOption;
  sasl?: KafkaSaslOptions;
}

const mechanisms: KafkaSaslMechanism[] = ['scram-sha-256', 'scram-sha-512', 'plain'];

/**
 * The environment variables for TLS and SASL, to compose into a service's configuration schema
 * (`...kafkaConnectionConfigSchema.properties`); `kafkaConnectionOptions` turns them into options.
 */
export const kafkaConnectionConfigSchema = Type.Object({
  /** TLS to the brokers (MSK: true). */
  KAFKA_SSL: Type.Boolean({ default: false }),
  /** A PEM file of CA certificates trusted in addition to the system's; needs KAFKA_SSL=true. */
  KAFKA_SSL_CA_FILE: Type.Optional(Type.String({ minLength: 1 })),
  /** Either spelling: `scram-sha-512` or `SCRAM-SHA-512` (as Kafka's and MSK's documentation write it). */
  KAFKA_SASL_MECHANISM: Type.Optional(
    Type.Union(
      mechanisms.flatMap((mechanism) => [Type.Literal(mechanism), Type.Literal(mechanism.toUpperCase())]),
    ),
  ),
  KAFKA_SASL_USERNAME: Type.Optional(Type.String({ minLength: 1 })),
  KAFKA_SASL_PASSWORD: Type.Optional(Type.String({ minLength: 1 })),
});

export type KafkaConnectionConfig = Static<typeof kafkaConnectionConfigSchema>;

/** The configuration names a combination of variables that cannot work; names each one at fault. */
export class KafkaConnectionConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `invalid Kafka connection configuration: ${problems.map(({ variable, message }) => `${variable} ${message}`).join('; ')}`,
    );
    this.name = 'KafkaConnectionConfigError';
  }
}

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

/**
 * TLS and SASL options for `createKafka` from the validated environment. Throws a
 * KafkaConnectionConfigError naming every variable at fault: a SASL mechanism without its username
 * and password, credentials without a mechanism, a CA file without KAFKA_SSL, or a CA file that
 * cannot be read or holds no PEM certificate. Reads the CA file; otherwise pure.
 */
export function kafkaConnectionOptions(config: KafkaConnectionConfig): KafkaConnectionOptions {
  const { KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD } =
    config;
  const problems: { variable: string; message: string }[] = [];

  let ssl: KafkaSslOption | undefined;
  if (KAFKA_SSL_CA_FILE !== undefined && !KAFKA_SSL) {
    problems.push({ variable: 'KAFKA_SSL', message: 'must be true when KAFKA_SSL_CA_FILE is set' });
  } else if (KAFKA_SSL_CA_FILE !== undefined) {
    const ca = readCaFile(KAFKA_SSL_CA_FILE, problems);
    if (ca !== undefined) ssl = { ca };
  } else if (KAFKA_SSL) {
    ssl = true;
  }

  let sasl: KafkaSaslOptions | undefined;
  if (KAFKA_SASL_MECHANISM === undefined) {
    for (const [variable, value] of [
      ['KAFKA_SASL_USERNAME', KAFKA_SASL_USERNAME],
      ['KAFKA_SASL_PASSWORD', KAFKA_SASL_PASSWORD],
    ] as const) {
      if (value !== undefined) {
        problems.push({
          variable: 'KAFKA_SASL_MECHANISM',
          message: `must be set when ${variable} is (${mechanisms.join(', ')})`,
        });
        break;
      }
    }
  } else {
    if (KAFKA_SASL_USERNAME === undefined) {
      problems.push({ variable: 'KAFKA_SASL_USERNAME', message: 'must be set when KAFKA_SASL_MECHANISM is' });
    }
    if (KAFKA_SASL_PASSWORD === undefined) {
      problems.push({ variable: 'KAFKA_SASL_PASSWORD', message: 'must be set when KAFKA_SASL_MECHANISM is' });
    }
    if (KAFKA_SASL_USERNAME !== undefined && KAFKA_SASL_PASSWORD !== undefined) {
      sasl = {
        mechanism: KAFKA_SASL_MECHANISM.toLowerCase() as KafkaSaslMechanism,
        username: KAFKA_SASL_USERNAME,
        password: KAFKA_SASL_PASSWORD,
      };
    }
  }

  if (problems.length > 0) throw new KafkaConnectionConfigError(problems);
  return { ...(ssl !== undefined && { ssl }), ...(sasl && { sasl }) };
}

function readCaFile(file: string, problems: { variable: string; message: string }[]): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    problems.push({ variable: 'KAFKA_SSL_CA_FILE', message: `cannot be read (${file}: ${reason})` });
    return undefined;
  }
  if (!text.includes(PEM_CERTIFICATE)) {
    problems.push({ variable: 'KAFKA_SSL_CA_FILE', message: `holds no PEM certificate (${file})` });
    return undefined;
  }
  return text;
}
