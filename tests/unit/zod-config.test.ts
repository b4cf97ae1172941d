import { describe, expect, it } from 'vitest';

// instrumentation-client.ts turns on zod's jitless mode without importing zod (docs/forms.md):
// pins the workaround in lib/platform/zod-config.ts.
describe("zod's config as instrumentation-client.ts sets it", () => {
  it('is the object zod reads, set before zod loads, and zod keeps it', async () => {
    const zodGlobal = globalThis as { __zod_globalConfig?: Record<string, unknown> };
    delete zodGlobal.__zod_globalConfig;
    await import('@/instrumentation-client');
    const { config } = await import('zod/v4/core');
    const { z } = await import('zod');
    expect(config().jitless).toBe(true);
    expect(z.config().jitless).toBe(true);
    expect(config()).toBe(zodGlobal.__zod_globalConfig);
  });
});
