'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { ActionResult } from '@/lib/action-result';
import { scalepointSettingsSchema, type ScalepointSettings, type ScalepointSettingsInput } from '@/lib/scalepoint/settings-schema';

type Props = {
  initial: ScalepointSettingsInput;
  orderTypes: { id: string; name: string }[];
  save: (input: unknown) => Promise<ActionResult>;
};

export function ScalepointSettingsForm({ initial, orderTypes, save }: Props) {
  const router = useRouter();
  const [result, setResult] = useState<ActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const { register, handleSubmit, control, setError, formState } = useForm<ScalepointSettingsInput, unknown, ScalepointSettings>({
    resolver: zodResolver(scalepointSettingsSchema),
    defaultValues: initial,
  });
  const mode = useWatch({ control, name: 'customerMode' });
  const errors = formState.errors;

  const onSubmit = handleSubmit(
    (values) =>
      startTransition(async () => {
        // Send what the admin chose; the action validates with the same schema again.
        const r = await save({ ...values, orderTypeId: values.orderTypeId ?? '' });
        setResult(r);
        for (const [field, message] of Object.entries(r.fieldErrors ?? {})) {
          setError(field as keyof ScalepointSettingsInput, { message });
        }
        if (r.ok) router.refresh();
      }),
    () => setResult({ ok: false, message: 'Intet er ændret. Ret fejlene herunder.' }),
  );

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="form" aria-label="Scalepoint-indstillinger">
      <div className="check">
        <input id="enabled" type="checkbox" {...register('enabled')} aria-describedby="enabled-hint" />
        <div>
          <label htmlFor="enabled">Slå modul til</label>
          <p id="enabled-hint" className="hint">Når modulet er slået til, bliver hver forsikringssag fra Scalepoint til en ny ordrekladde.</p>
        </div>
      </div>

      <div className="field">
        <label htmlFor="orderTypeId">Standard ordretype</label>
        <select id="orderTypeId" {...register('orderTypeId')} aria-invalid={!!errors.orderTypeId} aria-describedby="orderTypeId-hint orderTypeId-error">
          <option value="">Vælg ordretype</option>
          {orderTypes.map((t) => (
            <option key={t.id} value={t.id}>{t.name}</option>
          ))}
        </select>
        <p id="orderTypeId-hint" className="hint">Ordrekladder fra Scalepoint bliver oprettet med denne ordretype.</p>
        {errors.orderTypeId && <p id="orderTypeId-error" className="field-error" role="alert">{errors.orderTypeId.message}</p>}
      </div>

      <fieldset className="fieldset">
        <legend>Kunde</legend>
        <p className="hint">Vælg om kunden på ordren skal være forsikringstager eller forsikringsselskab.</p>
        <div className="check">
          <input id="mode-policyholder" type="radio" value="policyholder" {...register('customerMode')} aria-describedby="mode-policyholder-hint" />
          <div>
            <label htmlFor="mode-policyholder">Forsikringstager</label>
            <p id="mode-policyholder-hint" className="hint">Kunden oprettes ud fra forsikringstagerens oplysninger.</p>
          </div>
        </div>
        {mode === 'policyholder' && (
          <div className="check" style={{ marginLeft: '1.75rem' }}>
            <input id="phoneAsCustomerNumber" type="checkbox" {...register('phoneAsCustomerNumber')} aria-describedby="phone-hint" />
            <div>
              <label htmlFor="phoneAsCustomerNumber">Brug forsikringstagers telefonnummer som kundenummer</label>
              <p id="phone-hint" className="hint">
                Uden hak oprettes der altid en ny kunde. Med hak søges der efter en kunde, hvis kundenummer er forsikringstagers
                telefonnummer; findes den ikke, oprettes en ny kunde med telefonnummeret som kundenummer.
              </p>
            </div>
          </div>
        )}
        <div className="check">
          <input id="mode-insurer" type="radio" value="insurer" {...register('customerMode')} aria-describedby="mode-insurer-hint" />
          <div>
            <label htmlFor="mode-insurer">Forsikringsselskab</label>
            <p id="mode-insurer-hint" className="hint">
              Der søges efter en kunde, hvis navn matcher forsikringsselskabets navn. Findes der ikke et match, oprettes en ny
              kunde ud fra de medsendte oplysninger.
            </p>
          </div>
        </div>
        {errors.customerMode && <p className="field-error" role="alert">{errors.customerMode.message}</p>}
      </fieldset>

      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>Gem</button>
        <span role="status" className={result ? (result.ok ? 'alert ok' : 'alert error') : undefined}>
          {result?.message}
        </span>
      </div>
    </form>
  );
}
