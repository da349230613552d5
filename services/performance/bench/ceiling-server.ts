// The first ceiling: a bare Fastify route that parses the same body and answers 202, nothing else.
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024 });
app.post('/v1/performance/telemetry', async (request, reply) => {
  const body = request.body as { points?: unknown[] };
  return reply.code(202).send({ accepted: body.points?.length ?? 0 });
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
const address = app.server.address();
if (address && typeof address !== 'string') process.stdout.write(`PORT ${address.port}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
