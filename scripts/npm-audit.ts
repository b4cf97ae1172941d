/**
 * `.ci/run`'s audit step (docs/security.md, "The supply chain"): runs
 * `npm audit --omit=dev --audit-level=high --json` and reads its answer.
 *
 * - an advisory of level high or critical against a production dependency fails the run, naming
 *   each such package, its level and its advisories;
 * - moderate, low and info are counted on one line and do not fail;
 * - an answer without a `vulnerabilities` object — the audit service unreachable or refusing (this
 *   machine's registry answers the bulk endpoint 405), or no JSON at all — prints one warning line
 *   and does not fail: the run cannot tell, and says so.
 *
 *   npx tsx scripts/npm-audit.ts
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const LEVELS = ['info', 'low', 'moderate', 'high', 'critical'] as const;
type Level = (typeof LEVELS)[number];
/** The lowest level that fails the run (as `--audit-level=high`). */
const FAILING: Level = 'high';

export type AuditVerdict = {
  /** The process's exit code: 1 when a high or critical advisory is found, 0 otherwise. */
  exitCode: 0 | 1;
  /** What to print, one line each; a warning when the answer could not be read. */
  lines: string[];
};

type Vulnerability = {
  name?: unknown;
  severity?: unknown;
  via?: unknown;
};

const rank = (level: unknown): number => LEVELS.indexOf(level as Level);

/** An advisory's title and address, or the package it comes through (npm lists either). */
function viaText(via: unknown): string[] {
  if (!Array.isArray(via)) return [];
  return via.map((v: unknown) => {
    if (typeof v === 'string') return `through ${v}`;
    const a = (v ?? {}) as { title?: unknown; url?: unknown };
    return [a.title, a.url].filter((x) => typeof x === 'string' && x).join(' ') || 'an advisory';
  });
}

/** Reads `npm audit --json`'s standard output (auditReportVersion 2, npm 7 and later). */
export function auditVerdict(stdout: string): AuditVerdict {
  let answer: unknown;
  try {
    answer = JSON.parse(stdout);
  } catch {
    answer = undefined;
  }
  const vulnerabilities = (answer as { vulnerabilities?: unknown } | undefined)?.vulnerabilities;
  if (!vulnerabilities || typeof vulnerabilities !== 'object' || Array.isArray(vulnerabilities)) {
    const why =
      (answer as { message?: unknown } | undefined)?.message ??
      (answer as { error?: { summary?: unknown } } | undefined)?.error?.summary;
    const reason = typeof why === 'string' && why.trim() ? why.trim() : 'no audit report';
    return {
      exitCode: 0,
      lines: [
        `npm audit: warning: the audit service gave no answer (${reason.split('\n')[0]}); dependencies not checked`,
      ],
    };
  }
  const found = Object.entries(vulnerabilities as Record<string, Vulnerability>).map(
    ([key, v]) => ({
      name: typeof v?.name === 'string' ? v.name : key,
      severity: typeof v?.severity === 'string' ? v.severity : 'unknown',
      via: viaText(v?.via),
    }),
  );
  // An unknown level fails too: better a false alarm than a missed one.
  const failing = found.filter((v) => rank(v.severity) < 0 || rank(v.severity) >= rank(FAILING));
  const below = found.filter((v) => !failing.includes(v));
  const lines: string[] = [];
  for (const v of failing)
    lines.push(
      `npm audit: ${v.severity}: ${v.name}${v.via.length ? ` (${v.via.join('; ')})` : ''}`,
    );
  if (below.length) {
    const counts = LEVELS.map(
      (level) => [level, below.filter((v) => v.severity === level).length] as const,
    )
      .filter(([, n]) => n > 0)
      .map(([level, n]) => `${n} ${level}`);
    lines.push(`npm audit: below ${FAILING}, not failing: ${counts.join(', ')}`);
  }
  if (failing.length) {
    lines.push(
      `npm audit: ${failing.length} production ${failing.length === 1 ? 'package has' : 'packages have'} an advisory of level ${FAILING} or above: ${failing.map((v) => v.name).join(', ')}`,
    );
    return { exitCode: 1, lines };
  }
  if (!below.length) lines.push('npm audit: no known advisories in production dependencies');
  return { exitCode: 0, lines };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // npm audit exits non-zero both for findings and for a refused request: its JSON tells which.
  const run = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const verdict = auditVerdict(run.stdout ?? '');
  for (const line of verdict.lines)
    (verdict.exitCode || line.includes('warning') ? console.error : console.log)(line);
  process.exit(verdict.exitCode);
}
