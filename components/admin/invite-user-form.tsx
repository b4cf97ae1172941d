'use client';

import { useEffect } from 'react';
import type { FormState } from '@/app/_server/action';
import { FormMessage } from '@/components/support/form-message';
import { InvitationLink } from '@/components/invitation-link';
import { FormField } from '@/components/ui/form-field';
import { useCheckedForm } from '@/components/ui/use-checked-form';
import { companyRoles, inviteUserSchema, roleLabel } from '@/lib/people/schemas';

type Props = { action: (previous: FormState | null, form: FormData) => Promise<FormState> };

const blank = { name: '', email: '', role: 'member' as const };

/**
 * Inviter bruger (docs/people.md): Navn, E-mail, Rolle, checked with the action's own schema. The new
 * user shows as Inviteret in the table (the action revalidates the page); when the mail did not
 * go out, the link is shown here once.
 */
export function InviteUserForm({ action }: Props) {
  const {
    form,
    defaultValues: shown,
    state,
    answer,
    pending,
    submit,
    onSubmit,
    errorOf,
  } = useCheckedForm(inviteUserSchema, action, (echoed) => ({
    name: echoed?.name ?? blank.name,
    email: echoed?.email ?? blank.email,
    role: echoed?.role === 'admin' ? 'admin' : blank.role,
  }));
  const { register, reset } = form;
  // An invitation made: the form is ready for the next one.
  useEffect(() => {
    if (state?.ok) reset(blank);
  }, [state, reset]);
  const link = state?.ok ? (state.data as { link?: string } | undefined)?.link : undefined;

  return (
    <form
      action={submit}
      onSubmit={onSubmit}
      noValidate
      className="form"
      aria-label="Inviter bruger"
    >
      <FormField id="invite-name" label="Navn" error={errorOf('name')}>
        {(aria) => (
          <input
            {...aria}
            type="text"
            autoComplete="off"
            {...register('name')}
            defaultValue={shown.name}
          />
        )}
      </FormField>
      <FormField id="invite-email" label="E-mail" error={errorOf('email')}>
        {(aria) => (
          <input
            {...aria}
            type="email"
            autoComplete="off"
            inputMode="email"
            {...register('email')}
            defaultValue={shown.email}
          />
        )}
      </FormField>
      <FormField
        id="invite-role"
        label="Rolle"
        error={errorOf('role')}
        hint="En administrator kan også ændre brugere, ordretyper, firmaoplysninger og moduler."
      >
        {(aria) => (
          <select {...aria} {...register('role')} defaultValue={shown.role}>
            {companyRoles.map((r) => (
              <option key={r} value={r}>
                {roleLabel[r]}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          Send invitation
        </button>
        <FormMessage state={answer} />
      </div>
      <InvitationLink link={link} />
    </form>
  );
}
