import { describe, expect, it } from 'vitest';
import { auditVerdict } from '@/scripts/npm-audit';

// scripts/npm-audit.ts, .ci/run's audit step (docs/security.md, "The supply chain").

const metadata = (counts: Partial<Record<string, number>>) => ({
  vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0, ...counts },
  dependencies: { prod: 120, dev: 0, optional: 0, peer: 0, peerOptional: 0, total: 120 },
});

/** npm audit --json (npm 11) with a high advisory in a direct and one reached through it. */
const withHigh = {
  auditReportVersion: 2,
  vulnerabilities: {
    'next-auth': {
      name: 'next-auth',
      severity: 'high',
      isDirect: true,
      via: [
        {
          source: 1104567,
          name: 'next-auth',
          dependency: 'next-auth',
          title: 'Open redirect in next-auth',
          url: 'https://github.com/advisories/GHSA-xxxx-yyyy-zzzz',
          severity: 'high',
          cwe: ['CWE-601'],
          cvss: { score: 7.4, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:N/A:N' },
          range: '<4.24.16',
        },
      ],
      effects: [],
      range: '<4.24.16',
      nodes: ['node_modules/next-auth'],
      fixAvailable: true,
    },
    cookie: {
      name: 'cookie',
      severity: 'moderate',
      isDirect: false,
      via: ['next-auth'],
      effects: [],
      range: '<0.7.0',
      nodes: ['node_modules/cookie'],
      fixAvailable: true,
    },
  },
  metadata: metadata({ high: 1, moderate: 1, total: 2 }),
};

describe('npm audit in .ci/run', () => {
  it('fails on an advisory of level high or above, naming the package', () => {
    const verdict = auditVerdict(JSON.stringify(withHigh));
    expect(verdict.exitCode).toBe(1);
    expect(verdict.lines).toContain(
      'npm audit: high: next-auth (Open redirect in next-auth https://github.com/advisories/GHSA-xxxx-yyyy-zzzz)',
    );
    expect(verdict.lines.at(-1)).toMatch(/1 production package has an advisory .*: next-auth$/);
    const critical = structuredClone(withHigh);
    critical.vulnerabilities.cookie.severity = 'critical';
    const both = auditVerdict(JSON.stringify(critical));
    expect(both.exitCode).toBe(1);
    expect(both.lines).toContain('npm audit: critical: cookie (through next-auth)');
    expect(both.lines.at(-1)).toMatch(/: next-auth, cookie$/);
  });

  it('passes a clean answer', () => {
    const verdict = auditVerdict(
      JSON.stringify({ auditReportVersion: 2, vulnerabilities: {}, metadata: metadata({}) }),
    );
    expect(verdict).toEqual({
      exitCode: 0,
      lines: ['npm audit: no known advisories in production dependencies'],
    });
  });

  it('passes moderate and low advisories, counting them', () => {
    const moderate = structuredClone(withHigh);
    moderate.vulnerabilities['next-auth'].severity = 'moderate';
    const verdict = auditVerdict(JSON.stringify(moderate));
    expect(verdict).toEqual({
      exitCode: 0,
      lines: ['npm audit: below high, not failing: 2 moderate'],
    });
  });

  it('warns in one line and passes when the audit service gives no answer (here: 405)', () => {
    // What this machine's registry answers, as npm 11 prints it (exit code 1).
    const refused = {
      message:
        '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      method: 'POST',
      uri: 'https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      headers: { allow: ['GET,HEAD'], 'content-length': ['0'] },
      statusCode: 405,
      body: '',
      error: { summary: '', detail: '' },
    };
    const verdict = auditVerdict(JSON.stringify(refused, null, 2));
    expect(verdict).toEqual({
      exitCode: 0,
      lines: [
        'npm audit: warning: the audit service gave no answer (405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk); dependencies not checked',
      ],
    });
    // Unreachable: npm's error object alone; or no JSON at all.
    for (const answer of [
      JSON.stringify({ error: { code: 'ENOTFOUND', summary: 'request to registry failed' } }),
      '',
      'npm error audit endpoint returned an error',
    ]) {
      const v = auditVerdict(answer);
      expect(v.exitCode).toBe(0);
      expect(v.lines).toHaveLength(1);
      expect(v.lines[0]).toMatch(/^npm audit: warning: .*not checked$/);
    }
  });
});
