import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'services/*', 'deploy'],
    globalSetup: ['packages/local-infra/src/vitest-global-setup.ts'],
  },
});
