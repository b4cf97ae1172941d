'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import type { ActionResult } from '@/lib/action-result';
import { credentialsSchema, type CredentialsInput } from '@/lib/scalepoint/credentials-schema';

type Props = { companyId: string; companyName: string; status: string; accountId: string; hasSecret: boolean; save: (input: unknown) => Promise<ActionResult> };

export function CredentialsForm({ companyId, companyName, status, accountId, hasSecret, save }: Props) {
  const id = useId();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult | null>(null);
  const { register, handleSubmit, setError, reset, formState } = useForm<CredentialsInput>({
    resolver: zodResolver(credentialsSchema),
    defaultValues: { companyId, accountId, secret: '' },
  });
  const errors = formState.errors;

  const onSubmit = handleSubmit(
    (values) =>
      startTransition(async () => {
        const r = await save(values);
        setResult(r);
        for (const [field, message] of Object.entries(r.fieldErrors ?? {})) setError(field as keyof CredentialsInput, { message });
        if (r.ok) {
          // The secret leaves the browser's memory as soon as it is stored.
          reset({ companyId, accountId: values.accountId, secret: '' });
          router.refresh();
        }
      }),
    () => setResult({ ok: false, message: 'Intet er ændret. Ret fejlene herunder.' }),
  );

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="form" aria-label={`Scalepoint-adgang for ${companyName}`}>
      <h2>{companyName}</h2>
      <p className="muted">Status: {status}</p>
      <input type="hidden" {...register('companyId')} />
      <div className="field">
        <label htmlFor={`${id}-account`}>Scalepoint konto-id</label>
        <input id={`${id}-account`} type="text" autoComplete="off" {...register('accountId')} aria-invalid={!!errors.accountId} />
        {errors.accountId && <p className="field-error" role="alert">{errors.accountId.message}</p>}
      </div>
      <div className="field">
        <label htmlFor={`${id}-secret`}>Signeringsnøgle</label>
        <input
          id={`${id}-secret`}
          type="password"
          autoComplete="off"
          placeholder={hasSecret ? 'Gemt – skriv en ny for at skifte' : 'whsec_…'}
          {...register('secret')}
          aria-invalid={!!errors.secret}
          aria-describedby={`${id}-secret-hint`}
        />
        <p id={`${id}-secret-hint`} className="hint">whsec_ efterfulgt af base64. Nøglen vises aldrig igen.</p>
        {errors.secret && <p className="field-error" role="alert">{errors.secret.message}</p>}
      </div>
      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>Gem adgang</button>
        <span role="status" className={result ? (result.ok ? 'alert ok' : 'alert error') : undefined}>{result?.message}</span>
      </div>
    </form>
  );
}
