import { formatDateTime } from '@/lib/format';
import { stepLabel, type StepKind } from '@/lib/orders/step-words';
import {
  DECLINE_NOTIFIED,
  outboxReasonText,
  outboxStatusLabel,
} from '@/lib/scalepoint/outbound/words';
import type { Clock } from '@/lib/scalepoint/deadlines/rules';
import { clockLabel, DEADLINE_WORDS } from '@/lib/scalepoint/deadlines/words';
import { RetrySendButton, type RetryOp } from './retry-send-button';

export type StepRow = {
  id: string;
  kind: StepKind;
  at: Date;
  note: string | null;
  reason: string | null;
  recordedAt: Date;
  recordedBy: string | null;
};

/** What Kladde sent — or will send, or could not send — to Scalepoint for one step (its outbox row). */
export type StepSending = {
  id: string;
  stepId: string;
  status: keyof typeof outboxStatusLabel;
  reason: string | null;
  lastStatus: number | null;
  sentAt: Date | null;
  waiting: boolean;
};

const sendingClass: Record<StepSending['status'], string> = {
  sent: 'ok',
  pending: 'warn',
  failed: 'bad',
  not_sent: 'neutral',
};

/**
 * Forløb on the order page (docs/drafts.md): the recorded steps oldest first — Godkendt, Afvist, each
 * milestone — with their Tidspunkt, who recorded them and their Bemærkning or Begrundelse; below
 * them `children`, the buttons of the steps that can be recorded now. On a Scalepoint case each step
 * with an outbox row says how it stands with Scalepoint (issue 22): Sendt til Scalepoint with the
 * time, Afventer afsendelse, Fejlet with the reason and Send igen, or Sendes ikke til Scalepoint
 * with the reason; a Gendannet after an Afvist that reached Scalepoint says Scalepoint knows.
 */
export function OrderSteps({
  steps,
  clocks = [],
  sending = [],
  retry,
  children,
}: {
  steps: StepRow[];
  /** The case's deadlines (docs/deadlines.md); none for a case without clocks. */
  clocks?: readonly Clock[];
  /** The order's outbox rows (none for a case that is not from Scalepoint). */
  sending?: readonly StepSending[];
  /** Send igen on a failed step. */
  retry?: RetryOp;
  children?: React.ReactNode;
}) {
  const byStep = new Map(sending.map((s) => [s.stepId, s]));
  return (
    <section className="card" aria-labelledby="steps-heading">
      <h2 id="steps-heading">Forløb</h2>
      {clocks.length > 0 && <Deadlines clocks={clocks} />}
      {steps.length === 0 ? (
        <p className="muted">Intet registreret endnu.</p>
      ) : (
        <ol className="steps">
          {steps.map((s, i) => {
            const at = formatDateTime(s.at);
            const recorded = formatDateTime(s.recordedAt);
            const out = byStep.get(s.id);
            const declineNotified =
              s.kind === 'restored' && !out && declineWasSent(steps.slice(0, i), byStep);
            return (
              <li key={s.id} className="step">
                <span className="step-head">
                  <strong>{stepLabel[s.kind]}</strong> <span>{at}</span>
                </span>
                <span className="muted">
                  {recorded !== at && <>registreret {recorded} </>}
                  {s.recordedBy && <>af {s.recordedBy}</>}
                </span>
                {(s.note || s.reason) && (
                  <dl className="step-facts">
                    {s.note && (
                      <div>
                        <dt>Bemærkning</dt>
                        <dd className="prewrap wrap">{s.note}</dd>
                      </div>
                    )}
                    {s.reason && (
                      <div>
                        <dt>Begrundelse</dt>
                        <dd className="prewrap wrap">{s.reason}</dd>
                      </div>
                    )}
                  </dl>
                )}
                {out && <Sending out={out} retry={retry} />}
                {declineNotified && (
                  <span className="step-sending" data-testid="step-sending">
                    <span className="muted">{DECLINE_NOTIFIED}</span>
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {children}
    </section>
  );
}

/**
 * The case's deadlines at the top of Forløb: each open one with its Frist (and Overskredet once
 * passed), each stopped one with Overholdt or Overskredet — words, not colour alone.
 */
function Deadlines({ clocks }: { clocks: readonly Clock[] }) {
  return (
    <section aria-labelledby="deadlines-heading" className="deadlines">
      <h3 id="deadlines-heading">{DEADLINE_WORDS.section}</h3>
      <ul className="clocks">
        {clocks.map((c) => (
          <li key={c.kind} className="clock" data-testid={`clock-${c.kind}`}>
            <strong>{clockLabel[c.kind]}</strong>{' '}
            <span>
              {DEADLINE_WORDS.dueBy} {formatDateTime(c.dueAt)}
            </span>{' '}
            {c.state === 'open' ? (
              c.overdue && <span className="badge bad">{DEADLINE_WORDS.overdue}</span>
            ) : (
              <>
                <span className={`badge ${c.state === 'met' ? 'ok' : 'bad'}`}>
                  {c.state === 'met' ? DEADLINE_WORDS.met : DEADLINE_WORDS.missed}
                </span>{' '}
                <span className="muted">
                  {DEADLINE_WORDS.stopped} {formatDateTime(c.stoppedAt)}
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Whether the last Afvist before a Gendannet reached Scalepoint. */
function declineWasSent(earlier: readonly StepRow[], byStep: Map<string, StepSending>): boolean {
  const declined = earlier.findLast((s) => s.kind === 'rejected');
  return !!declined && byStep.get(declined.id)?.status === 'sent';
}

// A row whose connection is deleted has nothing to go through: Send igen cannot help it.
function Sending({ out, retry }: { out: StepSending; retry?: RetryOp }) {
  const reason = out.reason ? outboxReasonText(out.reason, out.lastStatus ?? undefined) : null;
  return (
    <span className="step-sending" data-testid="step-sending">
      <span className={`badge ${sendingClass[out.status]}`} style={{ marginLeft: 0 }}>
        {outboxStatusLabel[out.status]}
      </span>{' '}
      {out.status === 'sent' && out.sentAt && <span>{formatDateTime(out.sentAt)}</span>}
      {out.status === 'pending' && out.waiting && (
        <span className="muted">venter på en tidligere hændelse</span>
      )}
      {out.status !== 'sent' && reason && !(out.status === 'pending' && out.waiting) && (
        <span className={out.status === 'failed' ? undefined : 'muted'}>{reason}</span>
      )}
      {out.status === 'failed' && out.reason !== 'connection_deleted' && retry && (
        <RetrySendButton outboxId={out.id} retry={retry} />
      )}
    </span>
  );
}
