import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import type { BaseConfig } from './config.js';

/**
 * Listens, and on SIGTERM/SIGINT (or an uncaught error) closes gracefully: stop accepting, let in-flight
 * requests finish, run the app's closeables (consumers commit and stop, producers flush, pools end),
 * then exit 0. Past SHUTDOWN_TIMEOUT_MS the process exits 1 instead of hanging.
 */
export async function runService(
  app: FastifyInstance,
  config: Pick<BaseConfig, 'HOST' | 'PORT' | 'SHUTDOWN_TIMEOUT_MS'>,
): Promise<void> {
  closeWithGrace(
    {
      delay: config.SHUTDOWN_TIMEOUT_MS,
      logger: { error: (message: unknown) => app.log.error(message) },
    },
    async ({ signal, err }) => {
      if (err) app.log.error({ err }, 'closing after an uncaught error');
      else app.log.info({ signal }, 'shutting down');
      await app.close();
      app.log.info('shutdown complete');
    },
  );
  await app.listen({ host: config.HOST, port: config.PORT });
}
