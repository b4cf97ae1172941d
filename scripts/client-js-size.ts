/**
 * The JavaScript each page sends the browser, from the last `next build` (docs/forms.md):
 * the shared runtime (`rootMainFiles`) plus the entry chunks of the page's layouts and page
 * (`entryJSFiles` of its client reference manifest). The not-found and global-error boundaries'
 * chunks load only when one is shown, and chunks of a dynamic import load later: neither is
 * counted. e2e/forms.spec.ts checks one page's figure against what a browser really loads.
 * Prints raw and gzip kB per page; `--max <route>=<kB>` exits 1 when a page's gzip size is over.
 *
 *   npm run build && npm run size:client -- --max /support/scalepoint=150
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const NEXT = '.next';
const build = JSON.parse(readFileSync(join(NEXT, 'build-manifest.json'), 'utf8')) as {
  rootMainFiles: string[];
};

function manifests(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return manifests(path);
    return name === 'page_client-reference-manifest.js' ? [path] : [];
  });
}

/** The app route a manifest belongs to: route groups dropped. */
function routeOf(manifest: string): string {
  const dir = relative(join(NEXT, 'server', 'app'), manifest)
    .split(/[\\/]/)
    .slice(0, -1);
  return '/' + dir.filter((part) => !/^\(.*\)$/.test(part)).join('/');
}

/** Boundaries whose chunks a page loads only when it shows them. */
const boundary = /\/(not-found|global-error)$/;

function entryFiles(manifest: string, route: string): string[] {
  const own = route === '/_not-found' || route === '/_global-error';
  const sandbox: { __RSC_MANIFEST?: Record<string, { entryJSFiles?: Record<string, string[]> }> } =
    {};
  new Function('globalThis', readFileSync(manifest, 'utf8'))(sandbox);
  return Object.values(sandbox.__RSC_MANIFEST ?? {}).flatMap((m) =>
    Object.entries(m.entryJSFiles ?? {})
      .filter(([entry]) => own || !boundary.test(entry))
      .flatMap(([, files]) => files),
  );
}

const budgets = new Map<string, number>();
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--max' && args[i + 1]) {
    const [route, kb] = args[++i]!.split('=');
    budgets.set(route!, Number(kb));
  }
}

const kB = (n: number) => (n / 1024).toFixed(1);
let over = false;
const rows = manifests(join(NEXT, 'server', 'app'))
  .map((m) => {
    const route = routeOf(m);
    const files = [...new Set([...build.rootMainFiles, ...entryFiles(m, route)])];
    const bytes = files.map((f) => readFileSync(join(NEXT, f)));
    return {
      route,
      files: files.length,
      raw: bytes.reduce((s, b) => s + b.length, 0),
      gzip: bytes.reduce((s, b) => s + gzipSync(b).length, 0),
    };
  })
  .sort((a, b) => a.route.localeCompare(b.route));

console.log('| page | chunks | raw kB | gzip kB |\n|---|---|---|---|');
for (const r of rows) {
  const budget = budgets.get(r.route);
  const flag = budget !== undefined && r.gzip / 1024 > budget ? ` (over ${budget} kB)` : '';
  if (flag) over = true;
  console.log(`| ${r.route} | ${r.files} | ${kB(r.raw)} | ${kB(r.gzip)}${flag} |`);
}
for (const route of budgets.keys())
  if (!rows.some((r) => r.route === route)) console.error(`No page ${route} in ${NEXT}.`);
process.exit(over ? 1 : 0);
