'use client';

import { useActionState } from 'react';
import type { ActionResult } from '@/lib/action-result';

export type RetryOp = (input: unknown) => Promise<ActionResult<unknown>>;

/**
 * Send igen on a failed step in Forløb: asks the server to send the step's event to Scalepoint
 * again; revalidation brings its new state (Afventer afsendelse, then Sendt til Scalepoint). A
 * refusal is said beside the button.
 */
export function RetrySendButton({ outboxId, retry }: { outboxId: string; retry: RetryOp }) {
  const [answer, submit, pending] = useActionState(
    async () => retry({ outboxId }),
    null as ActionResult<unknown> | null,
  );
  return (
    <form action={submit}>
      <button type="submit" className="button" disabled={pending}>
        Send igen
      </button>{' '}
      <span aria-live="polite" className={answer && !answer.ok ? 'field-error' : 'muted'}>
        {answer?.message}
      </span>
    </form>
  );
}
