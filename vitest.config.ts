import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Apps Script renders JS dates in the script's zone (Asia/Tokyo); so does the runtime.
    env: { TZ: 'Asia/Tokyo' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
