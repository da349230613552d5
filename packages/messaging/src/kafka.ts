import { Kafka, logLevel as KafkaJsLevel, type LogEntry, type logCreator } from 'kafkajs';
import { silentLogger, type Logger } from './logger.js';

export type KafkaLogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface CreateKafkaOptions {
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

export function createKafka({ clientId, brokers, logger, logLevel = 'info' }: CreateKafkaOptions): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logger ? kafkaJsLevels[logLevel] : KafkaJsLevel.NOTHING,
    logCreator: forwardTo(logger ?? silentLogger),
  });
}
