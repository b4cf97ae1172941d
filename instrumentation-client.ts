// Runs in the browser before the app. zod 4 probes `new Function('')` to decide whether to
// compile its parsers; under our CSP (no 'unsafe-eval', docs/security.md) that probe is blocked
// and reported as a violation even though zod recovers. jitless skips the probe.
//
// zod 4 keeps its config in one object on `globalThis.__zod_globalConfig`, shared by every copy
// and entry point of zod, and made only if absent. Setting it here, rather than calling
// `z.config()`, keeps zod out of every page's first load (docs/forms.md, "Client bundles");
// tests/unit/zod-config.test.ts fails if zod stops reading it.
const zodGlobal = globalThis as { __zod_globalConfig?: Record<string, unknown> };
zodGlobal.__zod_globalConfig = { ...zodGlobal.__zod_globalConfig, jitless: true };

export {};
