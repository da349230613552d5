import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'local-infra',
    include: ['test/**/*.test.ts'],
  },
});
