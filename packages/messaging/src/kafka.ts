import { rootCertificates } from 'node:tls';
import { Kafka, logLevel as KafkaJsLevel, type KafkaConfig, type LogEntry, type logCreator } from 'kafkajs';
import type { KafkaConnectionOptions, KafkaSslOption } from './connection.js';
import { silentLogger, type Logger } from './logger.js';

export type KafkaLogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface CreateKafkaOptions extends KafkaConnectionOptions {
  clientId: string;
  brokers: string[];
  /** Receives kafkajs' own log lines; without one, kafkajs logs nothing. */
  logger?: Logger;
  /** The lowest kafkajs level forwarded to `logger`. Default 'info'. */
  logLevel?: KafkaLogLevel;
}

const kafkaJsLevels: Record<KafkaLogLevel, KafkaJsLevel> = {
  error: KafkaJsLevel.ERROR,
  warn: KafkaJsLevel.WARN,
  info: KafkaJsLevel.INFO,
  debug: KafkaJsLevel.DEBUG,
};

function forwardTo(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      // kafkajs stamps its own timestamp and logger name; the target logger has its own.
      const { message, timestamp: _timestamp, logger: _name, ...fields } = log as Record<string, unknown>;
      const text = String(message);
      const context = { ...fields, component: 'kafkajs', namespace };
      switch (level) {
        case KafkaJsLevel.ERROR:
          return logger.error(context, text);
        case KafkaJsLevel.WARN:
          return logger.warn(context, text);
        case KafkaJsLevel.INFO:
          return logger.info(context, text);
        default:
          return logger.debug(context, text);
      }
    };
}

/** Node.js replaces its CA list with `ca` when given one; the system's roots are kept beside it here. */
function tlsOptions(ssl: KafkaSslOption): KafkaConfig['ssl'] {
  return typeof ssl === 'boolean' ? ssl : { ca: [...rootCertificates, ssl.ca] };
}

/**
 * A kafkajs client. Without `ssl` and `sasl` it speaks PLAINTEXT; `kafkaConnectionOptions` derives
 * both from the environment (KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SASL_*).
 */
export function createKafka({
  clientId,
  brokers,
  logger,
  logLevel = 'info',
  ssl,
  sasl,
}: CreateKafkaOptions): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logger ? kafkaJsLevels[logLevel] : KafkaJsLevel.NOTHING,
    logCreator: forwardTo(logger ?? silentLogger),
    ...(ssl !== undefined && { ssl: tlsOptions(ssl) }),
    ...(sasl && { sasl }),
  });
}
