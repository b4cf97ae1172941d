/**
 * The house rules as the real ESLint config applies them (docs/architecture.md, "Rules the linter
 * keeps"): what each allows matters as much as what it refuses, so both are listed here. Code is
 * linted as if it stood at the given path; nothing is written.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: repo });

async function rulesHit(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repo, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('kladde/injected-clock', () => {
  it.each([
    ['a parameter default', 'export function f(now = new Date()) { return now; }'],
    [
      'a destructured default',
      'export function f({ now = new Date() }: { now?: Date }) { return now; }',
    ],
    ['an option fallback', 'export function f(o: { now?: Date }) { return o.now ?? new Date(); }'],
    ['a clock default', 'export function f(clock = () => new Date()) { return clock(); }'],
    [
      'a clock fallback',
      'export function f(o: { clock?: () => Date }) { return (o.clock ?? (() => new Date()))(); }',
    ],
    ['seconds as a default', 'export function f(s = Math.floor(Date.now() / 1000)) { return s; }'],
    ['a date from a value', 'export const f = (ms: number) => new Date(ms);'],
  ])('allows %s in lib/', async (_, code) => {
    expect(await rulesHit('lib/example.ts', code)).not.toContain('kladde/injected-clock');
  });

  it.each([
    ['new Date() in a body', 'export function f() { return new Date(); }'],
    ['Date.now() in a body', 'export function f() { return Date.now() + 1; }'],
    ['a reading handed on', 'export const f = (g: (d: Date) => void) => g(new Date());'],
  ])('refuses %s in lib/', async (_, code) => {
    expect(await rulesHit('lib/example.ts', code)).toContain('kladde/injected-clock');
  });

  it('refuses even a default in app/ and server components: their clock comes from lib', async () => {
    const code = 'export function f(now = new Date()) { return now; }';
    expect(await rulesHit('app/example.ts', code)).toContain('kladde/injected-clock');
    expect(await rulesHit('components/example.tsx', code)).toContain('kladde/injected-clock');
  });

  it('allows a client component its form defaults', async () => {
    const code =
      "'use client';\nexport const today = () => new Date().toISOString().slice(0, 10);\n";
    expect(await rulesHit('components/example.tsx', code)).not.toContain('kladde/injected-clock');
  });

  it('leaves scripts and tests alone', async () => {
    const code = 'export const started = Date.now();\n';
    expect(await rulesHit('scripts/example.ts', code)).toEqual([]);
    expect(await rulesHit('tests/unit/example.ts', code)).toEqual([]);
  });
});

describe('kladde/client-imports-no-server', () => {
  const client = (line: string) => `'use client';\n${line}\nexport const x = 1;\n`;

  it.each([
    ['a server-only module', "import { listOrders } from '@/lib/orders/queries';"],
    ['a module that reaches bcrypt', "import { checkCredentials } from '@/lib/auth/credentials';"],
    ['the database', "import { getDb } from '@/db';"],
    ['a Node built-in', "import { randomUUID } from 'node:crypto';"],
  ])('refuses %s', async (_, line) => {
    expect(await rulesHit('components/example.tsx', client(line))).toContain(
      'kladde/client-imports-no-server',
    );
  });

  it.each([
    ['a type from a server module', "import type { FormState } from '@/app/_server/action';"],
    ['types named one by one', "import { type OrderList } from '@/lib/orders/queries';"],
    ['a shared schema', "import { loginSchema } from '@/lib/auth/login-schema';"],
  ])('allows %s', async (_, line) => {
    expect(await rulesHit('components/example.tsx', client(line))).not.toContain(
      'kladde/client-imports-no-server',
    );
  });

  it('does not judge server components', async () => {
    const code =
      "import { listOrders } from '@/lib/orders/queries';\nexport const x = listOrders;\n";
    expect(await rulesHit('components/example.tsx', code)).not.toContain(
      'kladde/client-imports-no-server',
    );
  });
});

describe('the zones', () => {
  it.each([
    ['lib/example.ts', "export { AppShell } from '@/components/app-shell';"],
    ['lib/example.ts', "export { redirect } from 'next/navigation';"],
    ['db/example.ts', "export { log } from '@/lib/log';"],
    ['app/example.ts', "export { startResendStandIn } from '@/tools/stand-ins/resend';"],
    ['components/example.tsx', "export { E2E } from '../e2e/support/settings';"],
    [
      'lib/scalepoint/example.ts',
      "export { signedRequestHeaders } from '../../tools/stand-ins/scalepoint/sign-request';",
    ],
  ])('%s may not import: %s', async (file, code) => {
    expect(await rulesHit(file, code)).toContain('no-restricted-imports');
  });

  it.each([
    ['db/example.ts', "export { env } from '@/lib/env';"],
    ['tests/unit/example.ts', "export { startResendStandIn } from '@/tools/stand-ins/resend';"],
    ['tools/stand-ins/example.ts', "export { EVENTS_SCOPE } from '@/lib/scalepoint/events/token';"],
    ['app/example.ts', "export { listOrders } from '@/lib/orders/queries';"],
  ])('%s may import: %s', async (file, code) => {
    expect(await rulesHit(file, code)).not.toContain('no-restricted-imports');
  });
});
