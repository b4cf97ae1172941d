import { z } from 'zod';

// Runs in the browser before the app. zod 4 probes `new Function('')` to decide whether to
// compile its parsers; under our CSP (no 'unsafe-eval', docs/security.md) that probe is blocked
// and reported as a violation even though zod recovers. jitless skips the probe.
z.config({ jitless: true });
