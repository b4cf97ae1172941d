import { formatDateTime } from '@/lib/format';
import { stepLabel, type StepKind } from '@/lib/orders/step-words';

export type StepRow = {
  id: string;
  kind: StepKind;
  at: Date;
  note: string | null;
  reason: string | null;
  recordedAt: Date;
  recordedBy: string | null;
};

/**
 * Forløb on the order page (docs/drafts.md): the recorded steps oldest first — Godkendt, Afvist, each
 * milestone — with their Tidspunkt, who recorded them and their Bemærkning or Begrundelse; below
 * them `children`, the buttons of the steps that can be recorded now.
 */
export function OrderSteps({ steps, children }: { steps: StepRow[]; children?: React.ReactNode }) {
  return (
    <section className="card" aria-labelledby="steps-heading">
      <h2 id="steps-heading">Forløb</h2>
      {steps.length === 0 ? (
        <p className="muted">Intet registreret endnu.</p>
      ) : (
        <ol className="steps">
          {steps.map((s) => {
            const at = formatDateTime(s.at);
            const recorded = formatDateTime(s.recordedAt);
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
              </li>
            );
          })}
        </ol>
      )}
      {children}
    </section>
  );
}
