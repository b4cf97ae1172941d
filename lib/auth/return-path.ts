/**
 * The page to go back to after signing in (/login?callbackUrl=…): only a path of this site — it
 * starts with one `/`, holds no backslash or control character, and is not a sign-in or link page
 * itself — else null. A link can therefore never send a person elsewhere after signing in.
 * No server imports: the login form uses it too.
 */
const NOT_BACK_TO = /^\/(login|password\/|invitation\/|api\/)/;

export function returnPath(value: string | null | undefined): string | null {
  if (!value || value.length > 1000) return null;
  if (!value.startsWith('/') || value.startsWith('//')) return null;
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return null;
  if (NOT_BACK_TO.test(value)) return null;
  return value;
}
