/** The subset of a pino logger this package writes to; a pino instance fits as it is. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const discard = (): void => {};

export const silentLogger: Logger = { debug: discard, info: discard, warn: discard, error: discard };
