/**
 * `npm run lint` keeps the house rules (docs/architecture.md, "Rules the linter keeps"): a scratch
 * copy of the repository gets one defect of each kind, and the real `npm run lint` must fail and
 * name every one of them — and nothing else, so a copy that fails for another reason fails here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');

/** What is planted: file → content, and what the lint output must say about it. */
const planted = {
  'lib/planted-format.ts': {
    content: 'export const unformatted = {a:1,\n      b:2}\n',
    expect: /\[warn\] lib\/planted-format\.ts/,
  },
  'lib/planted-clock.ts': {
    content: 'export function stampNow(): string {\n  return new Date().toISOString();\n}\n',
    expect: /planted-clock\.ts[\s\S]*?kladde\/injected-clock/,
  },
  'lib/planted-zone.ts': {
    content: "export { AppShell } from '@/components/app-shell';\n",
    expect:
      /planted-zone\.ts[\s\S]*?lib\/ and db\/ are below the pages[\s\S]*?no-restricted-imports/,
  },
  'app/planted-stand-in.ts': {
    content: "export { startResendStandIn } from '@/tools/stand-ins/resend';\n",
    expect:
      /planted-stand-in\.ts[\s\S]*?Product code imports no stand-in[\s\S]*?no-restricted-imports/,
  },
  'components/planted-client.tsx': {
    // Not a direct server import: credentials.ts reaches bcrypt through ./password.
    content:
      "'use client';\n\nimport { checkCredentials } from '@/lib/auth/credentials';\n\nexport const check = checkCredentials;\n",
    expect:
      /planted-client\.tsx[\s\S]*?lib\/auth\/credentials\.ts → [\s\S]*?kladde\/client-imports-no-server/,
  },
  'lib/planted-citation.ts': {
    // Assembled, so the citation check does not find these in this file itself.
    content: `// See ${'docs'}/intake.md, "A heading nobody wrote", ${'docs'}/gone.md and ${'migration'} 0999.\nexport const cited = 1;\n`,
    expect:
      /planted-citation\.ts:1: docs\/intake\.md has no heading[\s\S]*planted-citation\.ts:1: docs\/gone\.md does not exist[\s\S]*planted-citation\.ts:1: migration\s0999/,
  },
} as const;

let copy = '';
let lint: { status: number | null; output: string };

beforeAll(() => {
  copy = mkdtempSync(path.join(tmpdir(), 'kladde-lint-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: repo,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    try {
      cpSync(path.join(repo, file), path.join(copy, file));
    } catch {
      // a file deleted in the work tree but not yet in git
    }
  }
  symlinkSync(path.join(repo, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  for (const [file, { content }] of Object.entries(planted))
    writeFileSync(path.join(copy, file), content);
  const run = spawnSync('npm', ['run', 'lint'], {
    cwd: copy,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  // Without colours: CI's terminal settings must not change what the assertions read.
  const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
  lint = { status: run.status, output: plain(`${run.stdout}\n${run.stderr}`) };
}, 180_000);

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('npm run lint over a scratch copy with planted defects', () => {
  it('fails', () => {
    expect(lint.status).not.toBe(0);
    expect(lint.output).toMatch(/lint failed: eslint, prettier, doc citations/);
  });

  for (const [file, { expect: said }] of Object.entries(planted)) {
    it(`names ${file}`, () => {
      expect(lint.output).toMatch(said);
    });
  }

  it('names nothing but what was planted', () => {
    const eslintFiles = [...lint.output.matchAll(/^(\/\S+\.(?:ts|tsx|mjs))$/gm)].map((m) =>
      path.relative(copy, m[1]!),
    );
    const prettierFiles = [...lint.output.matchAll(/^\[warn\] (\S+\.\w+)$/gm)].map((m) => m[1]!);
    const citingFiles = [...lint.output.matchAll(/^(\S+\.\w+):\d+: /gm)].map((m) => m[1]!);
    expect(new Set(eslintFiles)).toEqual(
      new Set(Object.keys(planted).filter((f) => !/format|citation/.test(f))),
    );
    expect(prettierFiles).toEqual(['lib/planted-format.ts']);
    expect(new Set(citingFiles)).toEqual(new Set(['lib/planted-citation.ts']));
  });
});
