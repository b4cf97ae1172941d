/**
 * `npm run lint`: every rule the linter keeps (docs/architecture.md, "Rules the linter keeps"),
 * all of them run even when one fails, so a single run lists everything to fix:
 *
 * 1. ESLint (Next's rules, the import zones, tools/eslint/kladde-plugin.mjs);
 * 2. Prettier: the tree is formatted (`npm run format` fixes it);
 * 3. doc citations: every docs/ path, heading and migration cited in code exists.
 *
 * Runs in the directory it is started from, so a test can run it over a scratch copy.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = process.cwd();
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const steps = [
  ['eslint', [bin('eslint'), '.']],
  ['prettier', [bin('prettier'), '--check', '.']],
  ['doc citations', [process.execPath, path.join(root, 'tools/lint/doc-citations.mjs'), root]],
];

const failed = [];
for (const [name, [command, ...args]] of steps) {
  console.log(`\n— ${name}`);
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) failed.push(name);
}
if (failed.length) {
  console.error(`\nlint failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log('\nlint: all rules hold.');
