/**
 * What a server action answers a form (docs/forms.md): done, refused (a message for the form,
 * each reason at its field), or asking the user to confirm first. `ok` tells done from not done;
 * `needsConfirmation` tells a question from a refusal.
 */
// Each shape names the others' fields as absent, so a form reads `result.fieldErrors` without
// narrowing first, and a refusal can never carry data.
export type ActionDone<T = undefined> = {
  ok: true;
  message?: string;
  data?: T;
  fieldErrors?: undefined;
  needsConfirmation?: undefined;
};
export type ActionRefused = {
  ok: false;
  message: string;
  fieldErrors?: Record<string, string>;
  data?: undefined;
  needsConfirmation?: undefined;
};
/** Nothing changed yet: the user must confirm (the action is sent again with `confirmed`). */
export type ActionNeedsConfirmation = {
  ok: false;
  needsConfirmation: true;
  message: string;
  data?: undefined;
  fieldErrors?: undefined;
};

export type ActionResult<T = undefined> = ActionDone<T> | ActionRefused | ActionNeedsConfirmation;

/** The refusals every form can get, each worded once. */
export const REFUSAL = {
  /** The input did not pass its schema, or a field's value is not allowed. */
  invalid: 'Intet er ændret. Ret fejlene herunder.',
  /** One field is wrong (its reason is at the field); said where the form has a single field. */
  unchanged: 'Intet er ændret.',
  databaseUnavailable: 'Databasen svarer ikke lige nu. Prøv igen om lidt.',
} as const;

/** The answer a form shows itself when the browser's check of its fields fails: nothing was sent. */
export const REFUSED_IN_BROWSER: ActionRefused = { ok: false, message: REFUSAL.invalid };

/** The answer of a form whose input was refused: nothing changed, each reason at its field. */
export function refused(
  fieldErrors: Record<string, string>,
  message: string = REFUSAL.invalid,
): ActionRefused {
  return { ok: false, message, fieldErrors };
}

export function fieldErrorsOf(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const key = i.path.map(String).join('.') || '_form';
    out[key] ??= i.message;
  }
  return out;
}
