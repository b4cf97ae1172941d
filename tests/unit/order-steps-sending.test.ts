import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { OrderSteps, type StepRow, type StepSending } from '@/components/order-steps';
import { formatDateTime } from '@/lib/format';
import { DECLINE_NOTIFIED } from '@/lib/scalepoint/outbound/words';

// Forløb's sending states (issue 22, "Visible"): each reported step says how it stands with
// Scalepoint; a case that is not from Scalepoint says nothing of sending.

const at = new Date('2026-12-01T09:00:00Z');
const stepOf = (id: string, kind: StepRow['kind'], minutes: number): StepRow => ({
  id,
  kind,
  at: new Date(at.getTime() + minutes * 60_000),
  note: null,
  reason: kind === 'rejected' ? 'Ingen tid' : null,
  recordedAt: new Date(at.getTime() + minutes * 60_000),
  recordedBy: 'Anne Admin',
});
const out = (stepId: string, o: Partial<StepSending>): StepSending => ({
  id: `00000000-0000-4000-8000-${stepId.padStart(12, '0')}`,
  stepId,
  status: 'pending',
  reason: null,
  lastStatus: null,
  sentAt: null,
  waiting: false,
  ...o,
});
const retry = async () => ({ ok: true as const });

/** Each step's text, in order. */
function render(steps: StepRow[], sending?: StepSending[]) {
  const html = renderToString(createElement(OrderSteps, { steps, sending, retry }));
  return html
    .split('<li')
    .slice(1)
    .map((li) =>
      li
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
}

describe('Forløb: what went to Scalepoint', () => {
  it('shows Sendt til Scalepoint with the time, Afventer afsendelse, Fejlet with its reason and Send igen', () => {
    const sentAt = new Date('2026-12-01T09:01:00Z');
    const [approved, contacted, started, completed] = render(
      [
        stepOf('1', 'approved', 0),
        stepOf('2', 'customer_contacted', 5),
        stepOf('3', 'work_started', 10),
        stepOf('4', 'work_completed', 15),
      ],
      [
        out('1', { status: 'sent', sentAt }),
        out('2', { status: 'failed', reason: 'rejected', lastStatus: 400 }),
        out('3', { status: 'pending', reason: 'waiting', waiting: true }),
        out('4', { status: 'pending', reason: 'unreachable', lastStatus: 503 }),
      ],
    );
    expect(approved).toContain(`Sendt til Scalepoint ${formatDateTime(sentAt)}`);
    expect(approved).not.toContain('Send igen');
    expect(contacted).toContain('Fejlet Scalepoint afviste hændelsen (400) Send igen');
    expect(started).toContain('Afventer afsendelse venter på en tidligere hændelse');
    expect(started).not.toContain('Send igen');
    expect(completed).toContain('Afventer afsendelse Scalepoint svarer ikke (503)');
  });

  it('shows Sendes ikke til Scalepoint with the reason; a deleted connection has no Send igen', () => {
    const [closed, none, deleted] = render(
      [
        stepOf('1', 'approved', 0),
        stepOf('2', 'work_started', 5),
        stepOf('3', 'work_completed', 9),
      ],
      [
        out('1', { status: 'not_sent', reason: 'case_closed' }),
        out('2', { status: 'not_sent', reason: 'no_connection' }),
        out('3', { status: 'failed', reason: 'connection_deleted' }),
      ],
    );
    expect(closed).toContain('Sendes ikke til Scalepoint sagen er lukket hos Scalepoint');
    expect(none).toContain('Sendes ikke til Scalepoint ingen Events API-forbindelse');
    expect(deleted).toContain('Fejlet forbindelsen er slettet');
    expect(deleted).not.toContain('Send igen');
  });

  it('a Gendannet after an Afvist that reached Scalepoint says Scalepoint has heard of it', () => {
    const steps = [stepOf('1', 'rejected', 0), stepOf('2', 'restored', 5)];
    const sent = render(steps, [out('1', { status: 'sent', sentAt: at })]);
    expect(sent[1]).toContain(DECLINE_NOTIFIED);
    const failed = render(steps, [out('1', { status: 'failed', reason: 'rejected' })]);
    expect(failed[1]).not.toContain(DECLINE_NOTIFIED);
  });

  it('a case that is not from Scalepoint shows nothing of sending', () => {
    const text = render([stepOf('1', 'approved', 0), stepOf('2', 'rejected', 5)]).join(' ');
    for (const word of ['Scalepoint', 'Afventer', 'Fejlet', 'Send igen'])
      expect(text).not.toContain(word);
  });
});
