import type { FormState } from '@/app/_server/action';

/** A form's answer, announced politely; scoped to its form so tests and screen readers find the right one. */
export function FormMessage({ state }: { state: FormState | null }) {
  return (
    <span
      role="status"
      className={state?.message ? (state.ok ? 'alert ok' : 'alert error') : undefined}
    >
      {state?.message}
    </span>
  );
}
