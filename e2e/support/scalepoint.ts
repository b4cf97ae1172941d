import { randomBytes } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { exampleClaimWith } from '@/lib/scalepoint/contract/example-claim';
import { nowInSeconds, signedRequestHeaders } from '@/tools/stand-ins/scalepoint/sign-request';
import { parseSigningSecret } from '@/lib/scalepoint/intake/signature';
import { E2E } from './settings';

export function newCaseNumber() {
  return `SP-E2E-${randomBytes(4).toString('hex').toUpperCase()}`;
}

/** The contract's example claim for a new case, with a damage address other than the policyholder's (so it shows as Installationsadresse). */
export function claimFor(caseNumber: string) {
  return {
    ...exampleClaimWith(caseNumber),
    caseUrl: `https://www.scalepoint.com/dk/case/${caseNumber.toLowerCase()}`,
    damageAddress: { street: 'Havnegade', houseNumber: '3', postalCode: '8000', city: 'Aarhus C' },
  };
}

/** Sends a claim the way Scalepoint does: raw bytes, Standard Webhooks signature. */
export async function sendClaim(
  request: APIRequestContext,
  account: { accountId: string; secret: string },
  claim: unknown,
) {
  const rawBody = Buffer.from(JSON.stringify(claim));
  const headers = signedRequestHeaders({
    accountId: account.accountId,
    key: parseSigningSecret(account.secret)!,
    webhookId: `msg_${randomBytes(8).toString('hex')}`,
    timestamp: nowInSeconds(),
    rawBody,
  });
  const res = await request.post('/api/scalepoint/claims', { data: rawBody, headers });
  return { status: res.status(), body: (await res.json()) as Record<string, unknown> };
}

const standIn = `http://127.0.0.1:${E2E.resendPort}/_test/emails`;
export const resendStandIn = {
  clear: () => fetch(standIn, { method: 'DELETE' }),
  mails: async () =>
    (await (await fetch(standIn)).json()) as {
      body: { to: string | string[]; cc?: string | string[]; subject: string; text: string };
    }[],
};
