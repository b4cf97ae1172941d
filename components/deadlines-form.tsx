'use client';

import type { FormState } from '@/app/_server/action';
import { FormMessage } from '@/components/support/form-message';
import { FormField } from '@/components/ui/form-field';
import { useCheckedForm } from '@/components/ui/use-checked-form';
import { DEADLINE_LIMITS } from '@/lib/scalepoint/deadlines/rules';
import { deadlinesSchema } from '@/lib/scalepoint/deadlines/schema';
import { DEADLINE_WORDS } from '@/lib/scalepoint/deadlines/words';

type Hours = 'contactHours' | 'inspectionHours';
type Props = {
  saved: Record<Hours, number>;
  action: (previous: FormState | null, form: FormData) => Promise<FormState>;
};

/** The text fields' look (app/globals.css) at the width of a few digits. */
const numberInput: React.CSSProperties = {
  font: 'inherit',
  padding: '0.5rem 0.6rem',
  border: '1px solid #c4cbd4',
  borderRadius: 6,
  background: '#fff',
  color: 'var(--ink)',
  width: '6.5rem',
};

/**
 * Frister on the admin's Scalepoint page (docs/deadlines.md), checked with the action's own schema
 * (docs/forms.md): posted before hydration as well; once hydrated the browser refuses a value out
 * of its limits itself, with the same Danish words at the field as the server's.
 */
export function DeadlinesForm({ saved, action }: Props) {
  const {
    form,
    defaultValues: shown,
    answer,
    pending,
    submit,
    onSubmit,
    errorOf,
  } = useCheckedForm(deadlinesSchema, action, (echoed) => ({
    contactHours: echoed?.contactHours ?? String(saved.contactHours),
    inspectionHours: echoed?.inspectionHours ?? String(saved.inspectionHours),
  }));
  const hours = (key: Hours) => {
    const id = `deadline-${key}`;
    const { min, max } = DEADLINE_LIMITS[key];
    return (
      <FormField
        id={id}
        label={DEADLINE_WORDS[key]}
        error={errorOf(key)}
        hint={`Fra ${min} til ${max} timer.`}
      >
        {(aria) => (
          <div style={{ display: 'flex', alignItems: 'center', gap: '0.5rem' }}>
            <input
              {...aria}
              aria-describedby={[`${id}-unit`, aria['aria-describedby']].filter(Boolean).join(' ')}
              type="number"
              inputMode="numeric"
              min={min}
              max={max}
              step={1}
              style={numberInput}
              {...form.register(key)}
              defaultValue={String(shown[key])}
            />
            <span id={`${id}-unit`}>{DEADLINE_WORDS.hoursUnit}</span>
          </div>
        )}
      </FormField>
    );
  };
  return (
    <form
      action={submit}
      onSubmit={onSubmit}
      noValidate
      className="form"
      aria-label={DEADLINE_WORDS.section}
    >
      {/* Each field keeps to its own height: an error under one does not push the other's input down. */}
      <div className="fieldpair" style={{ alignItems: 'start' }}>
        {hours('contactHours')}
        {hours('inspectionHours')}
      </div>
      <div className="buttons">
        <button type="submit" className="button primary" disabled={pending}>
          {DEADLINE_WORDS.save}
        </button>
        <FormMessage state={answer} />
      </div>
    </form>
  );
}
