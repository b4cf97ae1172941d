'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/action-result';

type Props = {
  canSend: boolean;
  preview: { to: string; cc?: string; subject: string; text: string };
  send: () => Promise<ActionResult>;
};

export function SendMailPanel({ canSend, preview, send }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult | null>(null);
  return (
    <div className="form">
      <details>
        <summary>Se mailen, før den sendes</summary>
        <p className="hint">Til: {preview.to}{preview.cc ? ` · Kopi og svar til: ${preview.cc}` : ''}</p>
        <p className="hint">Emne: {preview.subject}</p>
        <pre className="mail">{preview.text}</pre>
      </details>
      <div className="buttons">
        <button
          type="button"
          className="button primary"
          disabled={!canSend || pending}
          aria-describedby="send-mail-hint"
          onClick={() =>
            startTransition(async () => {
              const r = await send();
              setResult(r);
              router.refresh();
            })
          }
        >
          Send mail til Scalepoint
        </button>
        <span role="status" className={result ? (result.ok ? 'alert ok' : 'alert error') : undefined}>{result?.message}</span>
      </div>
      <p id="send-mail-hint" className="hint">
        {canSend
          ? 'Mailen beder Scalepoint om at sende jeres forsikringssager til Kladde.'
          : 'Slå modulet til, vælg en standard ordretype og tryk Gem, før du sender mailen.'}
      </p>
    </div>
  );
}
