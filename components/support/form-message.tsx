/** A form's answer, announced politely; scoped to its form so tests and screen readers find the right one. */
export function FormMessage({ state }: { state: { ok: boolean; message?: string } | null }) {
  return (
    <span
      role="status"
      className={state?.message ? (state.ok ? 'alert ok' : 'alert error') : undefined}
    >
      {state?.message}
    </span>
  );
}
