/**
 * Log ud as a plain form to next-auth's sign-out endpoint: no client script (next-auth/react
 * alone is ~12 kB gzip on every page), and it works before hydration. next-auth checks the CSRF
 * token against its cookie, clears the session and redirects to /login (docs/forms.md).
 */
export function SignOutForm({
  csrfToken,
  label = 'Log ud',
}: {
  csrfToken: string | null;
  label?: string;
}) {
  return (
    <form method="post" action="/api/auth/signout">
      {csrfToken && <input type="hidden" name="csrfToken" value={csrfToken} />}
      <input type="hidden" name="callbackUrl" value="/login" />
      <button type="submit" className="button ghost">
        {label}
      </button>
    </form>
  );
}
