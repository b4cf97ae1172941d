'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { startTransition, useActionState, useState } from 'react';
import { useForm, useWatch, type FieldPath } from 'react-hook-form';
import type { ActionResult } from '@/lib/action-result';
import type { CustomerOption } from '@/lib/customers/lookup';
import { draftEditSchema, type DraftEdit, type DraftEditInput } from '@/lib/orders/draft-schema';
import { CustomerPicker } from './customer-picker';

type Props = {
  initial: DraftEditInput;
  customer: { id: string; name: string; customerNumber: string };
  orderTypes: { id: string; name: string }[];
  save: (input: unknown) => Promise<ActionResult>;
  find: (input: { q: string }) => Promise<ActionResult<CustomerOption[]>>;
  onDone: (message: string) => void;
  onCancel: () => void;
};

/** Rediger: the draft's fields, validated in the browser and again by the action with the same schema. */
export function DraftEditor({
  initial,
  customer,
  orderTypes,
  save,
  find,
  onDone,
  onCancel,
}: Props) {
  const [picked, setPicked] = useState(customer);
  const { register, handleSubmit, setValue, setError, control, formState } = useForm<
    DraftEditInput,
    unknown,
    DraftEdit
  >({
    resolver: zodResolver(draftEditSchema),
    defaultValues: initial,
  });
  const [state, dispatch, pending] = useActionState(
    async (_: ActionResult | null, values: DraftEdit) => {
      const r = await save(values);
      for (const [field, message] of Object.entries(r.fieldErrors ?? {}))
        setError(field as FieldPath<DraftEditInput>, { message });
      if (r.ok) onDone(r.message ?? 'Ændringerne er gemt.');
      return r;
    },
    null,
  );
  const mode = useWatch({ control, name: 'customerMode' });
  const errors = formState.errors;

  const onSubmit = handleSubmit((values) => startTransition(() => dispatch(values)));
  const err = (id: string, message?: string) =>
    message ? (
      <p id={`${id}-error`} className="field-error" role="alert">
        {message}
      </p>
    ) : null;
  const text = (
    id: string,
    name: FieldPath<DraftEditInput>,
    label: string,
    message?: string,
    extra: React.InputHTMLAttributes<HTMLInputElement> = {},
  ) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        {...register(name)}
        aria-invalid={!!message}
        aria-describedby={message ? `${id}-error` : undefined}
        {...extra}
      />
      {err(id, message)}
    </div>
  );

  return (
    <form
      method="post"
      onSubmit={onSubmit}
      noValidate
      className="form"
      aria-label="Rediger ordrekladde"
    >
      <input type="hidden" {...register('orderId')} />
      {text('heading', 'heading', 'Ordreoverskrift', errors.heading?.message, { autoFocus: true })}
      {text(
        'requisitionNumber',
        'requisitionNumber',
        'Rekv.nr.',
        errors.requisitionNumber?.message,
      )}
      <div className="field">
        <label htmlFor="orderTypeId">Ordretype</label>
        <select
          id="orderTypeId"
          {...register('orderTypeId')}
          aria-invalid={!!errors.orderTypeId}
          aria-describedby={errors.orderTypeId ? 'orderTypeId-error' : undefined}
        >
          {orderTypes.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        {err('orderTypeId', errors.orderTypeId?.message)}
      </div>
      <div className="field">
        <label htmlFor="workDescription">Arbejdsbeskrivelse</label>
        <textarea
          id="workDescription"
          rows={5}
          {...register('workDescription')}
          aria-invalid={!!errors.workDescription}
          aria-describedby={errors.workDescription ? 'workDescription-error' : undefined}
        />
        {err('workDescription', errors.workDescription?.message)}
      </div>

      <fieldset className="fieldset">
        <legend>Installationsadresse</legend>
        <p className="hint">
          Udfyld kun, hvis arbejdet skal udføres et andet sted end på kundens adresse.
        </p>
        <div className="grid2">
          {text(
            'inst-street',
            'installation.street',
            'Vejnavn',
            errors.installation?.street?.message,
          )}
          {text(
            'inst-house',
            'installation.houseNumber',
            'Husnr.',
            errors.installation?.houseNumber?.message,
          )}
          {text('inst-floor', 'installation.floor', 'Etage', errors.installation?.floor?.message)}
          {text(
            'inst-postal',
            'installation.postalCode',
            'Postnr.',
            errors.installation?.postalCode?.message,
            { inputMode: 'numeric' },
          )}
          {text('inst-city', 'installation.city', 'By', errors.installation?.city?.message)}
        </div>
      </fieldset>

      <div className="fieldset">
        {mode === 'existing' ? (
          <>
            <CustomerPicker
              picked={picked}
              find={find}
              errorId="customerId-error"
              error={errors.customerId?.message}
              onPick={(c) => {
                setPicked(c);
                setValue('customerId', c.id, { shouldDirty: true });
              }}
            />
            <button
              type="button"
              className="button"
              onClick={() => setValue('customerMode', 'new')}
            >
              Opret ny kunde
            </button>
          </>
        ) : (
          <>
            <p className="hint">
              Den nye kunde får virksomhedens næste kundenummer, medmindre du skriver et ledigt
              nummer.
            </p>
            <div className="grid2">
              {text('nc-name', 'newCustomer.name', 'Navn', errors.newCustomer?.name?.message)}
              {text(
                'nc-number',
                'newCustomer.customerNumber',
                'Kundenr.',
                errors.newCustomer?.customerNumber?.message,
                { placeholder: 'Næste ledige' },
              )}
              {text(
                'nc-phone',
                'newCustomer.phone',
                'Telefon',
                errors.newCustomer?.phone?.message,
                { type: 'tel' },
              )}
              {text('nc-email', 'newCustomer.email', 'E-mail', errors.newCustomer?.email?.message, {
                type: 'email',
              })}
            </div>
            <div className="check">
              <input
                id="nc-address"
                type="checkbox"
                {...register('newCustomer.addressFromInstallation')}
              />
              <label htmlFor="nc-address">Brug installationsadressen som kundens adresse</label>
            </div>
            <button
              type="button"
              className="button"
              onClick={() => setValue('customerMode', 'existing')}
            >
              Vælg eksisterende kunde
            </button>
          </>
        )}
      </div>

      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Gem ændringer
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Annuller
        </button>
        <span role="status" className={state && !state.ok ? 'alert error' : undefined}>
          {state && !state.ok ? state.message : ''}
        </span>
      </div>
    </form>
  );
}
