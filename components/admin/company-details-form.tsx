'use client';

import type { FormState } from '@/app/_server/action';
import { FormMessage } from '@/components/support/form-message';
import { FormField } from '@/components/ui/form-field';
import { useCheckedForm } from '@/components/ui/use-checked-form';
import { companyDetailsSchema } from '@/lib/people/schemas';

export type CompanyDetailsValues = {
  name: string;
  street: string;
  houseNumber: string;
  postalCode: string;
  city: string;
  phone: string;
  email: string;
};

type Props = {
  cvr: string;
  saved: CompanyDetailsValues;
  action: (previous: FormState | null, form: FormData) => Promise<FormState>;
};

const keys = ['name', 'street', 'houseNumber', 'postalCode', 'city', 'phone', 'email'] as const;

/**
 * Firmaoplysninger (docs/people.md), checked with the action's own schema (docs/forms.md). The CVR is
 * shown, not posted: only Kladde's support changes it.
 */
export function CompanyDetailsForm({ cvr, saved, action }: Props) {
  const {
    form,
    defaultValues: shown,
    answer,
    pending,
    submit,
    onSubmit,
    errorOf,
  } = useCheckedForm(
    companyDetailsSchema,
    action,
    (echoed) =>
      Object.fromEntries(keys.map((k) => [k, echoed?.[k] ?? saved[k]])) as CompanyDetailsValues,
  );
  const { register } = form;
  const text = (
    key: (typeof keys)[number],
    label: string,
    props: React.InputHTMLAttributes<HTMLInputElement> = {},
  ) => (
    <FormField id={`company-${key}`} label={label} error={errorOf(key)}>
      {(aria) => (
        <input {...aria} type="text" {...props} {...register(key)} defaultValue={shown[key]} />
      )}
    </FormField>
  );
  return (
    <form
      action={submit}
      onSubmit={onSubmit}
      noValidate
      className="form"
      aria-label="Firmaoplysninger"
    >
      {text('name', 'Firmanavn', { autoComplete: 'organization' })}
      <div className="field">
        <label htmlFor="company-cvr">CVR-nr.</label>
        <input
          id="company-cvr"
          type="text"
          value={cvr}
          readOnly
          aria-describedby="company-cvr-hint"
        />
        <p id="company-cvr-hint" className="hint">
          Kun Kladdes support kan ændre CVR-nummeret.
        </p>
      </div>
      <div className="fieldpair">
        {text('street', 'Vejnavn', { autoComplete: 'address-line1' })}
        {text('houseNumber', 'Husnr.')}
      </div>
      <div className="fieldpair">
        {text('postalCode', 'Postnr.', { autoComplete: 'postal-code', inputMode: 'numeric' })}
        {text('city', 'By', { autoComplete: 'address-level2' })}
      </div>
      {text('phone', 'Telefon', { autoComplete: 'tel', inputMode: 'tel' })}
      {text('email', 'E-mail', { autoComplete: 'email', inputMode: 'email' })}
      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Gem
        </button>
        <FormMessage state={answer} />
      </div>
    </form>
  );
}
