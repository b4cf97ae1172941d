/**
 * WORKAROUND: zod's jitless mode set by writing zod 4's private config object,
 * `globalThis.__zod_globalConfig`, instead of calling `z.config({ jitless: true })`.
 *
 * What it works around: in the browser zod 4 probes `new Function('')` to decide whether to
 * compile its parsers; under our CSP (no 'unsafe-eval', docs/security.md) that probe is blocked
 * and reported as a violation even though zod recovers (colinhacks/zod#4461, #5414). `jitless`
 * skips the probe, but it must be set before zod builds a schema, and `z.config()` would put zod
 * (even `zod/v4/core`'s `config`, ~15 kB raw) into every page's first load (docs/forms.md,
 * "Client bundles"). zod keeps its config in that one global object, shared by every copy and
 * entry point and made only if absent, so setting it first needs no zod at all. Called from
 * instrumentation-client.ts, which runs in the browser before the app.
 *
 * When it can go: when zod no longer probes `new Function` unless asked to, or offers a switch
 * that needs no zod import (asked for in colinhacks/zod#5789) — check on each zod upgrade; or when
 * zod is in every page's first load anyway (then call `z.config({ jitless: true })` there).
 *
 * Pinned by: tests/unit/zod-config.test.ts, "is the object zod reads, set before zod loads, and
 * zod keeps it" (fails if zod stops reading it or instrumentation-client.ts stops setting it);
 * in the browser by e2e/security-headers.spec.ts, "no CSP violation across sign-in, drafts, …",
 * which fails on the violation the probe would cause.
 */
export function setZodJitless(): void {
  const zodGlobal = globalThis as { __zod_globalConfig?: Record<string, unknown> };
  zodGlobal.__zod_globalConfig = { ...zodGlobal.__zod_globalConfig, jitless: true };
}
