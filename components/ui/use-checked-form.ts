'use client';

import { REFUSED_IN_BROWSER } from '@/lib/action-result';
import { zodResolver } from '@hookform/resolvers/zod';
import { startTransition, useActionState, useState } from 'react';
import { useForm, type DefaultValues, type FieldValues, type Path } from 'react-hook-form';
import type { z } from 'zod';
import type { FormState } from '@/app/_server/action';

type FormActionFn = (previous: FormState | null, form: FormData) => Promise<FormState>;

/**
 * A form checked in the browser with the action's own zod schema, then posted to the action
 * (docs/forms.md, like ScalepointSettingsForm): `action={submit}` posts before hydration, and once
 * hydrated `onSubmit` runs react-hook-form's check and posts the form itself only when it passes
 * (which also keeps React from resetting the fields). Field errors: the browser's first, else the
 * server's. `answer` is what the form's status line says. react-hook-form sets the fields through
 * refs once hydrated, so render `defaultValues` in the markup too (a post before hydration sends them).
 */
export function useCheckedForm<Input extends FieldValues, Output>(
  schema: z.ZodType<Output, Input>,
  action: FormActionFn,
  /** The fields' values: from the fields a refused post handed back (`echo`), else the saved ones. */
  defaultsFrom: (echoed: Readonly<Record<string, string>> | undefined) => DefaultValues<Input>,
) {
  const [state, submit, pending] = useActionState(action, null);
  const echoed = state && !state.ok ? state.values : undefined;
  const defaultValues = defaultsFrom(echoed);
  // The browser's own check refused the last submit: nothing was sent.
  const [refused, setRefused] = useState(false);
  const form = useForm<Input, unknown, Output>({ resolver: zodResolver(schema), defaultValues });
  const serverErrors = refused ? {} : (state?.fieldErrors ?? {});
  const errorOf = (name: Path<Input>): string | undefined => {
    const own = form.formState.errors[name]?.message;
    return typeof own === 'string' ? own : serverErrors[name];
  };

  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    const element = event.currentTarget;
    event.preventDefault();
    void form.handleSubmit(
      () => {
        setRefused(false);
        startTransition(() => submit(new FormData(element)));
      },
      () => setRefused(true),
    )(event);
  };

  return {
    form,
    defaultValues,
    state,
    answer: refused ? REFUSED_IN_BROWSER : state,
    pending,
    submit,
    onSubmit,
    errorOf,
  };
}
