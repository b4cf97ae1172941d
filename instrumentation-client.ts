import { config } from 'zod/v4/core';

// Runs in the browser before the app. zod 4 probes `new Function('')` to decide whether to
// compile its parsers; under our CSP (no 'unsafe-eval', docs/security.md) that probe is blocked
// and reported as a violation even though zod recovers. jitless skips the probe.
// Only zod's core config is imported: `z` from 'zod' would put all of zod (~30 kB gzip) into
// every page's first load (docs/forms.md, "Client bundles").
config({ jitless: true });
