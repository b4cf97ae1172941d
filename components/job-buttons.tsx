'use client';

import { startTransition, useActionState, useRef, useState } from 'react';
import type { ActionResult } from '@/lib/action-result';
import { toDanishLocal } from '@/lib/orders/job-time';
import {
  milestoneButton,
  milestoneTimeHint,
  REOPEN_BUTTON,
  type MilestoneKind,
} from '@/lib/orders/step-words';
import { FormField } from './ui/form-field';
import { ModalDialog } from './ui/modal-dialog';

type Op = (input: unknown) => Promise<ActionResult<unknown>>;
type Notice = { ok: boolean; message?: string };

/** How far ahead a Tidspunkt of something that happened may lie (the server's rule, a hint here). */
const AHEAD_MS = 10 * 60_000;

type Props = {
  orderId: string;
  /** The milestones that can be recorded now (openMilestones), in the job's order. */
  open: readonly MilestoneKind[];
  /** Genåbn: an admin's, on an Afsluttet order. */
  canReopen: boolean;
  /** When the case arrived (ISO): no Tidspunkt lies before it. */
  arrivedAt: string;
  actions: { record: Op; reopen: Op };
};

/**
 * The buttons of Forløb (docs/drafts.md): each open milestone opens its dialog with Tidspunkt and
 * Bemærkning; Genåbn brings an Afsluttet order back to I gang. The server decides; revalidation
 * brings the new step and status, and the status line says what happened.
 */
export function JobButtons({ orderId, open, canReopen, arrivedAt, actions }: Props) {
  const [current, setCurrent] = useState<MilestoneKind | null>(null);
  const [showing, setShowing] = useState(false);
  // Each opening gets a fresh form (its own answer, Tidspunkt filled in with that moment's now).
  const [opening, setOpening] = useState({ count: 0, now: '', max: '' });
  const [notice, setNotice] = useState<Notice | null>(null);
  const noticeRef = useRef<HTMLSpanElement>(null);

  const openDialog = (kind: MilestoneKind) => {
    const now = new Date();
    setOpening((o) => ({
      count: o.count + 1,
      now: toDanishLocal(now),
      max: toDanishLocal(new Date(now.getTime() + AHEAD_MS)),
    }));
    setCurrent(kind);
    setShowing(true);
    setNotice(null);
  };

  // The button that opened the dialog may be gone once the step is recorded: then the answer
  // takes the focus instead of the page's body.
  const onClosed = () => {
    setShowing(false);
    setTimeout(() => {
      if (document.activeElement === document.body || !document.activeElement)
        noticeRef.current?.focus();
    }, 0);
  };

  const [, reopen, reopening] = useActionState(async () => {
    const r = await actions.reopen({ orderId });
    setNotice({ ok: r.ok, message: r.message });
    return r;
  }, null);

  return (
    <div className="job">
      {(open.length > 0 || canReopen) && (
        <div className="buttons job-buttons">
          {open.map((kind) => (
            <button key={kind} type="button" className="button" onClick={() => openDialog(kind)}>
              {milestoneButton[kind]}
            </button>
          ))}
          {canReopen && (
            <form action={reopen}>
              <button type="submit" className="button" disabled={reopening}>
                {REOPEN_BUTTON}
              </button>
            </form>
          )}
        </div>
      )}
      <span
        ref={noticeRef}
        tabIndex={-1}
        role="status"
        className={notice ? (notice.ok ? 'alert ok' : 'alert error') : undefined}
      >
        {notice?.message}
      </span>

      <ModalDialog
        open={showing}
        onClose={onClosed}
        title={current ? milestoneButton[current] : ''}
      >
        {current && (
          <MilestoneForm
            key={opening.count}
            orderId={orderId}
            kind={current}
            now={opening.now}
            max={opening.max}
            min={toDanishLocal(new Date(arrivedAt))}
            record={actions.record}
            onDone={(message) => {
              setNotice({ ok: true, message });
              setShowing(false);
            }}
            onCancel={() => setShowing(false)}
          />
        )}
      </ModalDialog>
    </div>
  );
}

/**
 * One milestone's form. Besigtigelse aftalt's Tidspunkt is the appointment: empty, required, and it
 * may lie ahead; the others' is when it happened, filled in with now. Read as Danish time by the
 * server; its refusals are shown at their fields. A second click while the first is on its way
 * sends nothing.
 */
function MilestoneForm({
  orderId,
  kind,
  now,
  min,
  max,
  record,
  onDone,
  onCancel,
}: {
  orderId: string;
  kind: MilestoneKind;
  now: string;
  min: string;
  max: string;
  record: Op;
  onDone: (message?: string) => void;
  onCancel: () => void;
}) {
  const appointment = kind === 'inspection_scheduled';
  const sending = useRef(false);
  const [answer, submit, pending] = useActionState(
    async (_: ActionResult<unknown> | null, form: FormData) => {
      try {
        const r = await record({
          orderId,
          kind,
          at: String(form.get('at') ?? ''),
          note: String(form.get('note') ?? ''),
        });
        if (r.ok) onDone(r.message);
        return r;
      } finally {
        sending.current = false;
      }
    },
    null,
  );
  const errors = answer?.fieldErrors ?? {};
  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (sending.current) return;
    sending.current = true;
    const data = new FormData(event.currentTarget);
    startTransition(() => submit(data));
  };

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      <FormField
        id="milestone-at"
        label="Tidspunkt"
        error={errors.at}
        hint={milestoneTimeHint[kind]}
      >
        {(aria) => (
          <input
            {...aria}
            type="datetime-local"
            name="at"
            defaultValue={appointment ? '' : now}
            min={min}
            max={appointment ? undefined : max}
            aria-required={appointment ? 'true' : undefined}
          />
        )}
      </FormField>
      <FormField id="milestone-note" label="Bemærkning" error={errors.note} hint="Valgfri.">
        {(aria) => <textarea {...aria} name="note" rows={3} />}
      </FormField>
      {answer && !answer.ok && !answer.fieldErrors && (
        <p className="alert error" role="alert">
          {answer.message}
        </p>
      )}
      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Gem
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Annuller
        </button>
      </div>
    </form>
  );
}
