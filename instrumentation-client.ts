// Runs in the browser before the app. zod 4 probes `new Function('')` to decide whether to
// compile its parsers; under our CSP (no 'unsafe-eval', docs/security.md) that probe is blocked
// and reported as a violation even though zod recovers. jitless skips the probe.
//
// Set without importing zod, which keeps zod out of every page's first load (docs/forms.md,
// "Client bundles"): a workaround through zod's private config, in lib/platform/zod-config.ts;
// tests/unit/zod-config.test.ts fails if zod stops reading it.
import { setZodJitless } from './lib/platform/zod-config';

setZodJitless();
