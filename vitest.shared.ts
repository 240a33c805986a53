import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const r = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/** Shared vitest settings: the workspace path aliases, node environment. */
export const sharedVitestConfig = defineConfig({
  resolve: {
    alias: {
      '@allot/domain': r('./libs/domain/src/index.ts'),
      '@allot/contracts': r('./libs/contracts/src/index.ts'),
      '@allot/testing': r('./libs/testing/src/index.ts'),
      '@allot/local-services': r('./libs/local-services/src/index.ts'),
      '@allot/grpc-client': r('./libs/grpc-client/src/index.ts'),
      '@allot/logging': r('./libs/logging/src/index.ts'),
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
