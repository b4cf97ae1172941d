import { randomBytes } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { parseSigningSecret, sign } from '@/lib/scalepoint/signature';
import { E2E } from './settings';

export function newCaseNumber() {
  return `SP-E2E-${randomBytes(4).toString('hex').toUpperCase()}`;
}

export function claimFor(caseNumber: string) {
  return {
    caseNumber,
    caseUrl: `https://www.scalepoint.com/dk/case/${caseNumber.toLowerCase()}`,
    damage: { description: 'Vandskade i køkken efter sprunget rør.', cause: 'Vandskade', date: '2026-11-24' },
    insurer: { name: 'Tryg Forsikring A/S', cvr: '24260666', address: { street: 'Klausdalsbrovej', houseNumber: '601', postalCode: '2750', city: 'Ballerup' } },
    policyholder: {
      name: 'Jens Hansen', phone: '+45 20 12 34 56', email: 'jens@example.dk',
      address: { street: 'Vestergade', houseNumber: '12', floor: '2. th.', postalCode: '8000', city: 'Aarhus C' },
    },
    damageAddress: { street: 'Havnegade', houseNumber: '3', postalCode: '8000', city: 'Aarhus C' },
    contacts: [{ name: 'Mette Jensen', role: 'Lejer', phone: '31 22 33 44', email: 'mette@example.dk' }],
  };
}

/** Sends a claim the way Scalepoint does: raw bytes, Standard Webhooks signature. */
export async function sendClaim(request: APIRequestContext, account: { accountId: string; secret: string }, claim: unknown) {
  const raw = Buffer.from(JSON.stringify(claim));
  const id = `msg_${randomBytes(8).toString('hex')}`;
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await request.post('/api/scalepoint/claims', {
    data: raw,
    headers: {
      'content-type': 'application/json',
      'scalepoint-account-id': account.accountId,
      'webhook-id': id,
      'webhook-timestamp': ts,
      'webhook-signature': sign(parseSigningSecret(account.secret)!, id, ts, raw),
    },
  });
  return { status: res.status(), body: (await res.json()) as Record<string, unknown> };
}

const standIn = `http://127.0.0.1:${E2E.resendPort}/_test/emails`;
export const resendStandIn = {
  clear: () => fetch(standIn, { method: 'DELETE' }),
  mails: async () => (await (await fetch(standIn)).json()) as { body: { to: string | string[]; cc?: string | string[]; subject: string; text: string } }[],
};
