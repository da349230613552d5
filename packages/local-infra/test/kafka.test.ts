import { describe, expect, it } from 'vitest';
import { startLocalKafka } from '../src/index.js';

// The secured broker itself is exercised end to end in packages/messaging/test/secured-broker.test.ts.
describe('startLocalKafka with security', () => {
  it.each(['a,b', 'pass]word', 'say "hi"', ''])(
    'refuses the SCRAM password %j before starting anything (it would break --add-scram or the JAAS line)',
    async (password) => {
      await expect(
        startLocalKafka({
          dataDir: '/nonexistent/never-created',
          port: 1,
          controllerPort: 2,
          fresh: true,
          security: { scram: { username: 'fleetwatch', password } },
        }),
      ).rejects.toThrow(/may hold only letters, digits/);
    },
  );
});
