'use client';

import { REFUSED_IN_BROWSER } from '@/lib/action-result';
import { zodResolver } from '@hookform/resolvers/zod';
import { startTransition, useActionState, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { FormState } from '@/app/_server/action';
import {
  scalepointSettingsSchema,
  shownSettings,
  type ScalepointSettings,
  type ScalepointSettingsInput,
} from '@/lib/scalepoint/settings/schema';

type Props = {
  initial: ScalepointSettingsInput;
  orderTypes: { id: string; name: string }[];
  action: (previous: FormState | null, form: FormData) => Promise<FormState>;
};

/**
 * The admin's Scalepoint settings (docs/forms.md). The browser checks the fields with the same
 * schema as the action and only then posts the form; before hydration the form posts itself and
 * the action checks alone. The action revalidates the page, so nothing here refreshes it.
 */
export function ScalepointSettingsForm({ initial, orderTypes, action }: Props) {
  const [state, submit, pending] = useActionState(action, null);
  // The browser's own check refused the last submit: nothing was sent.
  const [refused, setRefused] = useState(false);
  // react-hook-form sets its values once hydrated; the defaults in the markup are what a post before that sends.
  const values = shownSettings(initial, state?.values);
  const { register, handleSubmit, control, formState } = useForm<
    ScalepointSettingsInput,
    unknown,
    ScalepointSettings
  >({
    resolver: zodResolver(scalepointSettingsSchema),
    defaultValues: values,
  });
  const mode = useWatch({ control, name: 'customerMode' });
  // After the browser's own refusal its errors are the current ones; the server's are from an older submit.
  const serverErrors = refused ? {} : (state?.fieldErrors ?? {});
  const errors = {
    orderTypeId: formState.errors.orderTypeId?.message ?? serverErrors.orderTypeId,
    customerMode: formState.errors.customerMode?.message ?? serverErrors.customerMode,
  };
  const answer = refused ? REFUSED_IN_BROWSER : state;

  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    const form = event.currentTarget;
    // Posting ourselves (not through the form's action) also keeps React from resetting the fields.
    event.preventDefault();
    void handleSubmit(
      () => {
        setRefused(false);
        startTransition(() => submit(new FormData(form)));
      },
      () => setRefused(true),
    )(event);
  };

  return (
    <form
      action={submit}
      onSubmit={onSubmit}
      noValidate
      className="form"
      aria-label="Scalepoint-indstillinger"
    >
      <div className="check">
        <input
          id="enabled"
          type="checkbox"
          {...register('enabled')}
          defaultChecked={values.enabled}
          aria-describedby="enabled-hint"
        />
        <div>
          <label htmlFor="enabled">Slå modul til</label>
          <p id="enabled-hint" className="hint">
            Når modulet er slået til, bliver hver forsikringssag fra Scalepoint til en ny
            ordrekladde.
          </p>
        </div>
      </div>

      <div className="field">
        <label htmlFor="orderTypeId">Standard ordretype</label>
        <select
          id="orderTypeId"
          {...register('orderTypeId')}
          defaultValue={values.orderTypeId}
          aria-invalid={!!errors.orderTypeId}
          aria-describedby="orderTypeId-hint orderTypeId-error"
        >
          <option value="">Vælg ordretype</option>
          {orderTypes.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        <p id="orderTypeId-hint" className="hint">
          Ordrekladder fra Scalepoint bliver oprettet med denne ordretype.
        </p>
        {errors.orderTypeId && (
          <p id="orderTypeId-error" className="field-error" role="alert">
            {errors.orderTypeId}
          </p>
        )}
      </div>

      <fieldset className="fieldset">
        <legend>Kunde</legend>
        <p className="hint">
          Vælg om kunden på ordren skal være forsikringstager eller forsikringsselskab.
        </p>
        <div className="check">
          <input
            id="mode-policyholder"
            type="radio"
            value="policyholder"
            {...register('customerMode')}
            defaultChecked={values.customerMode === 'policyholder'}
            aria-describedby="mode-policyholder-hint"
          />
          <div>
            <label htmlFor="mode-policyholder">Forsikringstager</label>
            <p id="mode-policyholder-hint" className="hint">
              Kunden oprettes ud fra forsikringstagerens oplysninger.
            </p>
          </div>
        </div>
        {mode === 'policyholder' && (
          <div className="check" style={{ marginLeft: '1.75rem' }}>
            <input
              id="phoneAsCustomerNumber"
              type="checkbox"
              {...register('phoneAsCustomerNumber')}
              defaultChecked={values.phoneAsCustomerNumber}
              aria-describedby="phone-hint"
            />
            <div>
              <label htmlFor="phoneAsCustomerNumber">
                Brug forsikringstagers telefonnummer som kundenummer
              </label>
              <p id="phone-hint" className="hint">
                Uden hak oprettes der altid en ny kunde. Med hak søges der efter en kunde, hvis
                kundenummer er forsikringstagers telefonnummer; findes den ikke, oprettes en ny
                kunde med telefonnummeret som kundenummer.
              </p>
            </div>
          </div>
        )}
        <div className="check">
          <input
            id="mode-insurer"
            type="radio"
            value="insurer"
            {...register('customerMode')}
            defaultChecked={values.customerMode === 'insurer'}
            aria-describedby="mode-insurer-hint"
          />
          <div>
            <label htmlFor="mode-insurer">Forsikringsselskab</label>
            <p id="mode-insurer-hint" className="hint">
              Der søges efter en kunde, hvis navn matcher forsikringsselskabets navn. Findes der
              ikke et match, oprettes en ny kunde ud fra de medsendte oplysninger.
            </p>
          </div>
        </div>
        {errors.customerMode && (
          <p className="field-error" role="alert">
            {errors.customerMode}
          </p>
        )}
      </fieldset>

      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Gem
        </button>
        <span
          role="status"
          className={answer?.message ? (answer.ok ? 'alert ok' : 'alert error') : undefined}
        >
          {answer?.message}
        </span>
      </div>
    </form>
  );
}
