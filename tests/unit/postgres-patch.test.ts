import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assertPostgresPatched,
  POSTGRES_PATCH,
  postgresPatchGaps,
} from '@/lib/platform/postgres-patch';

// lib/platform/postgres-patch.ts: the driver is patched (docs/resilience.md).
describe('patches/postgres+3.4.9.patch', () => {
  it('the installed postgres.js carries every line of the patch', () => {
    expect(postgresPatchGaps()).toEqual([]);
    expect(() => assertPostgresPatched()).not.toThrow();
  });

  it('names what is missing in an unpatched or other postgres.js', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kladde-postgres-patch-'));
    try {
      fs.mkdirSync(path.join(root, 'patches'));
      fs.copyFileSync(POSTGRES_PATCH, path.join(root, POSTGRES_PATCH));
      const installed = path.join(root, 'node_modules', 'postgres');
      fs.mkdirSync(path.join(installed, 'src'), { recursive: true });
      fs.writeFileSync(path.join(installed, 'package.json'), '{"version":"3.4.10"}');
      // The ES module build as shipped, without the patch's lines; the CommonJS build missing.
      const patched = fs.readFileSync('node_modules/postgres/src/index.js', 'utf8');
      fs.writeFileSync(
        path.join(installed, 'src', 'index.js'),
        patched.replace(/\n.*porsager\/postgres#1199.*\n.*c\.queue === closed.*\n/, '\n'),
      );
      const gaps = postgresPatchGaps(root);
      expect(gaps).toContain(
        'postgres 3.4.10 is installed, patches/postgres+3.4.9.patch is for 3.4.9',
      );
      expect(gaps).toContain('src/index.js: missing "c.queue === closed || onopen(c)"');
      expect(gaps.some((g) => g.startsWith('cjs/src/connection.js: missing'))).toBe(true);
      expect(gaps.some((g) => g.startsWith('src/connection.js: missing'))).toBe(true);
      expect(() => assertPostgresPatched(root)).toThrow(/postgres\.js is not patched/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
