import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Three workers on two cores: many tests wait on emulators, spawned CLIs and state transitions, so a
    // third keeps the cores busy (measured: 228 s against 297 s with two, on 2 idle cores).
    pool: 'forks',
    poolOptions: { forks: { maxForks: 3, minForks: 1 } },
    // Tests run alike on a laptop and in CI: Ink reads CI at import time and would render only final
    // frames; tests that are about CI behaviour set it on the processes they start.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1', CI: 'false' },
  },
});
