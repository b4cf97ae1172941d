/**
 * Citations that cannot drift (docs/architecture.md, "Rules the linter keeps"). Code points into
 * docs/ instead of repeating it; this check fails when a pointer leads nowhere:
 *
 * - a path `docs/<file>.md` (or `docs/<folder>/`) that does not exist;
 * - a heading cited beside it — `docs/intake.md, "Outcomes and answers"` — that the document does
 *   not have (see {@link anchorsOf} for what counts);
 * - a migration cited by number — `migration 0008`, `migrations 0005 and 0008` — or by path with no
 *   file of that number in db/migrations/.
 *
 * Run as `node tools/lint/doc-citations.mjs [root]` (part of `npm run lint`); `root` defaults to
 * the repository this file is in, so a test can run it over a scratch copy.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SOURCE_DIRS = ['app', 'components', 'lib', 'db', 'scripts', 'tests', 'e2e', 'tools', '.ci'];
const SOURCE_FILE = /\.(ts|tsx|mts|mjs|js|sql|sh)$|^run$/;
const SKIP = new Set([
  'node_modules',
  '.next',
  '.data',
  'meta',
  'test-results',
  'playwright-report',
]);

// `docs/x.md` (not a URL's path: nextjs.org/docs/…), optionally followed by a heading in quotes: `, "Heading"` (the quote may be on the
// next comment line) or ` "Heading"` on the same line.
const DOC_CITATION =
  /(?<![\w./:-])docs\/([\w./-]*[\w/])(?:(?:,[ \t]*(?:\r?\n[ \t]*(?:\*|\/\/)?[ \t]*)?|[ \t]+)"([^"\n]+)")?/g;
const MIGRATION_NUMBERS = /\bmigrations?((?:[ \t]+(?:and|or|,)?[ \t]*\d{4}\b)+)/gi;
const MIGRATION_PATH = /\bdb\/migrations\/(\d{4})_[\w-]+\.sql\b/g;

function* sourceFiles(root, dir) {
  const full = path.join(root, dir);
  if (!existsSync(full)) return;
  for (const entry of readdirSync(full, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(root, rel);
    else if (SOURCE_FILE.test(entry.name)) yield rel;
  }
}

function rootSourceFiles(root) {
  return readdirSync(root).filter(
    (name) => /\.(ts|mjs)$/.test(name) && statSync(path.join(root, name)).isFile(),
  );
}

const plain = (heading) => heading.replace(/[`*_]/g, '').trim();

/**
 * What a citation may name in a document: a heading (whole, up to its first colon, or without a
 * trailing parenthesis) or a bold lead-in of a paragraph or list item (`- **Exactly once.** …`).
 */
function anchorsOf(file) {
  const out = new Set();
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced) continue;
    const heading = line.match(/^#{1,6}\s+(.+?)\s*#*\s*$/);
    if (heading) {
      const text = plain(heading[1]);
      out.add(text);
      out.add(text.split(':')[0].trim());
      out.add(text.replace(/\s*\([^()]*\)$/, ''));
    }
    const lead = line.match(/^\s*(?:[-*]\s+)?\*\*([^*]+)\*\*/);
    if (lead) out.add(plain(lead[1]).replace(/[.:]$/, ''));
  }
  return out;
}

function lineOf(source, index) {
  return source.slice(0, index).split('\n').length;
}

/** Every broken citation under `root`, as "file:line: what is wrong". */
export function brokenCitations(root) {
  const migrations = new Set(
    existsSync(path.join(root, 'db/migrations'))
      ? readdirSync(path.join(root, 'db/migrations'))
          .map((f) => f.match(/^(\d{4})_.*\.sql$/)?.[1])
          .filter(Boolean)
      : [],
  );
  const headings = new Map();
  const problems = [];
  const files = [
    ...SOURCE_DIRS.flatMap((d) => [...sourceFiles(root, d)]),
    ...rootSourceFiles(root),
  ];
  for (const file of files) {
    if (file === path.join('tools', 'lint', 'doc-citations.mjs')) continue; // its own examples
    const source = readFileSync(path.join(root, file), 'utf8');
    const at = (index) => `${file}:${lineOf(source, index)}`;
    for (const m of source.matchAll(DOC_CITATION)) {
      const cited = `docs/${m[1]}`;
      const target = path.join(root, cited);
      if (!existsSync(target)) {
        problems.push(`${at(m.index)}: ${cited} does not exist`);
        continue;
      }
      if (!m[2] || !cited.endsWith('.md')) continue;
      if (!headings.has(target)) headings.set(target, anchorsOf(target));
      if (!headings.get(target).has(plain(m[2])))
        problems.push(`${at(m.index)}: ${cited} has no heading or bold lead-in "${m[2]}"`);
    }
    for (const m of source.matchAll(MIGRATION_NUMBERS)) {
      for (const n of m[1].match(/\d{4}/g)) {
        if (!migrations.has(n))
          problems.push(`${at(m.index)}: migration ${n} is not in db/migrations/`);
      }
    }
    for (const m of source.matchAll(MIGRATION_PATH)) {
      if (!existsSync(path.join(root, m[0])))
        problems.push(`${at(m.index)}: ${m[0]} does not exist`);
    }
  }
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '../..'));
  const problems = brokenCitations(root);
  for (const p of problems) console.error(p);
  if (problems.length) {
    console.error(
      `\n${problems.length} citation(s) lead nowhere. Fix the pointer, or the document it points at.`,
    );
    process.exit(1);
  }
  console.log('Doc citations: every docs/ path, heading and migration cited in code exists.');
}
