'use client';

import { startTransition, useActionState, useCallback, useEffect, useRef, useState } from 'react';
import type { OrderStatus } from '@/db/schema/orders';
import type { ActionResult } from '@/lib/action-result';
import type { CustomerOption } from '@/lib/customers/lookup';
import type { DraftEditInput } from '@/lib/orders/draft-schema';
import { MARK_MISSING_POLICYHOLDER, MARK_SCALEPOINT_CLOSED } from '@/lib/orders/status';
import type { ApproveResult } from '@/lib/orders/draft-actions';
import { DraftEditor } from './draft-editor';
import { ModalDialog } from './ui/modal-dialog';

type Op<T = undefined> = (input: unknown) => Promise<ActionResult<T>>;

type Props = {
  orderId: string;
  status: OrderStatus;
  marks: {
    missingPolicyholder: boolean;
    scalepointClosed: boolean;
    scalepointCloseReason: string | null;
  };
  editor: {
    initial: DraftEditInput;
    customer: { id: string; name: string; customerNumber: string };
    orderTypes: { id: string; name: string }[];
  };
  actions: {
    save: Op;
    approve: Op<ApproveResult>;
    reject: Op;
    restore: Op;
    find: (input: { q: string }) => Promise<ActionResult<CustomerOption[]>>;
  };
  children: React.ReactNode;
};

/**
 * The actions of a draft's page (docs/drafts.md): Rediger, Godkend (with a confirmation when the
 * draft is marked), Afvis (with a reason), and Gendan for a rejected draft. The server decides;
 * revalidation brings the page's new state.
 */
export function DraftWorkbench({ orderId, status, marks, editor, actions, children }: Props) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; message?: string } | null>(null);
  const marked = marks.missingPolicyholder || marks.scalepointClosed;
  // Back from the editor, focus returns to Rediger (the editor took it to its first field).
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  useEffect(() => {
    if (wasEditing.current && !editing) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  // Each action settles its own dialog and notice when the server has answered.
  const [, approve, approving] = useActionState(
    async (_: ActionResult<ApproveResult> | null, confirmed: boolean) => {
      const r = await actions.approve({ orderId, confirmed });
      // A mark may have arrived since the page was drawn: the server asks, we ask the user.
      if (r.needsConfirmation) {
        setConfirming(true);
      } else {
        setConfirming(false);
        setNotice({ ok: r.ok, message: r.message });
      }
      return r;
    },
    null,
  );
  const [rejected, reject, rejectPending] = useActionState(
    async (_: ActionResult | null, form: FormData) => {
      const r = await actions.reject({ orderId, reason: String(form.get('reason') ?? '') });
      if (r.ok) {
        setRejecting(false);
        setNotice({ ok: true, message: r.message });
      }
      return r;
    },
    null,
  );
  const [, restore, restoring] = useActionState(async () => {
    const r = await actions.restore({ orderId });
    setNotice({ ok: r.ok, message: r.message });
    return r;
  }, null);

  const onSaved = useCallback((message: string) => {
    setEditing(false);
    setNotice({ ok: true, message });
  }, []);
  const onCancel = useCallback(() => setEditing(false), []);

  const markText = [
    marks.missingPolicyholder && MARK_MISSING_POLICYHOLDER,
    marks.scalepointClosed && MARK_SCALEPOINT_CLOSED,
  ]
    .filter(Boolean)
    .join(' og ');

  return (
    <>
      <div className="buttons" style={{ marginBottom: '1rem' }}>
        {status === 'draft' && !editing && (
          <>
            <button
              ref={editButton}
              type="button"
              className="button"
              onClick={() => setEditing(true)}
            >
              Rediger
            </button>
            <button
              type="button"
              className="button primary"
              disabled={approving}
              onClick={() => (marked ? setConfirming(true) : startTransition(() => approve(false)))}
            >
              Godkend
            </button>
            <button type="button" className="button" onClick={() => setRejecting(true)}>
              Afvis
            </button>
          </>
        )}
        {status === 'rejected' && (
          <form action={restore}>
            <button type="submit" className="button primary" disabled={restoring}>
              Gendan
            </button>
          </form>
        )}
        <span
          role="status"
          className={notice ? (notice.ok ? 'alert ok' : 'alert error') : undefined}
        >
          {notice?.message}
        </span>
      </div>

      {editing ? (
        <section className="card" aria-labelledby="edit-heading">
          <h2 id="edit-heading">Rediger ordrekladde</h2>
          <DraftEditor
            {...editor}
            save={actions.save}
            find={actions.find}
            onDone={onSaved}
            onCancel={onCancel}
          />
        </section>
      ) : (
        children
      )}

      <ModalDialog open={confirming} onClose={() => setConfirming(false)} title="Godkend kladden?">
        <p>
          Kladden er markeret: {markText || 'se markeringen ved overskriften'}.
          {marks.scalepointCloseReason
            ? ` Begrundelse fra Scalepoint: ${marks.scalepointCloseReason}`
            : ''}
        </p>
        <p>Vil du godkende den alligevel?</p>
        <div className="buttons">
          <button
            type="button"
            className="button primary"
            autoFocus
            disabled={approving}
            onClick={() => startTransition(() => approve(true))}
          >
            Godkend alligevel
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            Annuller
          </button>
        </div>
      </ModalDialog>

      <ModalDialog open={rejecting} onClose={() => setRejecting(false)} title="Afvis kladden">
        <form action={reject} className="form" noValidate>
          <div className="field">
            <label htmlFor="reject-reason">Begrundelse</label>
            <textarea
              id="reject-reason"
              name="reason"
              rows={3}
              aria-required="true"
              aria-invalid={!!rejected?.fieldErrors?.reason}
              aria-describedby={rejected?.fieldErrors?.reason ? 'reject-reason-error' : undefined}
            />
            {rejected?.fieldErrors?.reason && (
              <p id="reject-reason-error" className="field-error" role="alert">
                {rejected.fieldErrors.reason}
              </p>
            )}
          </div>
          <div className="buttons">
            <button type="submit" className="button primary" disabled={rejectPending}>
              Afvis kladde
            </button>
            <button type="button" className="button" onClick={() => setRejecting(false)}>
              Annuller
            </button>
          </div>
        </form>
      </ModalDialog>
    </>
  );
}
