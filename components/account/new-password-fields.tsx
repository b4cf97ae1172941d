import type { UseFormRegister } from 'react-hook-form';
import { FormField } from '@/components/ui/form-field';
import { PASSWORD_MIN_LENGTH } from '@/lib/auth/password-schema';

type Fields = { password: string; repeat: string };

/** Ny adgangskode and Gentag adgangskode, as the reset page and Min konto ask for them. */
export function NewPasswordFields<T extends Fields>({
  idPrefix,
  register,
  errorOf,
}: {
  idPrefix: string;
  register: UseFormRegister<T>;
  errorOf: (name: 'password' | 'repeat') => string | undefined;
}) {
  const reg = register as unknown as UseFormRegister<Fields>;
  return (
    <>
      <FormField
        id={`${idPrefix}-password`}
        label="Ny adgangskode"
        error={errorOf('password')}
        hint={`Mindst ${PASSWORD_MIN_LENGTH} tegn. Ikke din e-mail, og ikke en af de mest almindelige adgangskoder.`}
      >
        {(aria) => (
          <input {...aria} type="password" autoComplete="new-password" {...reg('password')} />
        )}
      </FormField>
      <FormField id={`${idPrefix}-repeat`} label="Gentag adgangskode" error={errorOf('repeat')}>
        {(aria) => (
          <input {...aria} type="password" autoComplete="new-password" {...reg('repeat')} />
        )}
      </FormField>
    </>
  );
}
