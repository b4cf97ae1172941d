'use client';

import { useActionState, useId } from 'react';
import type { FormState } from '@/app/_server/action';
import { environmentLabel } from '@/lib/scalepoint/events/words';
import type { ConnectionCard } from './connection-card';
import { FormMessage } from './form-message';

type Props = {
  companyId: string;
  /** Absent: the form for a new connection. */
  connection?: ConnectionCard;
  action: (previous: FormState | null, form: FormData) => Promise<FormState>;
};

/**
 * One Events API connection (docs/events-api.md): its fields and its buttons, each button a
 * different `intent` of the same form action, so the card has one answer area.
 */
export function ConnectionForm({ companyId, connection, action }: Props) {
  const id = useId();
  const [state, submit, pending] = useActionState(action, null);
  const errors = state?.fieldErrors ?? {};
  const value = (key: 'clientId' | 'tenant' | 'environment') =>
    state?.values?.[key] ?? connection?.[key] ?? '';
  const label = connection
    ? `Forbindelse ${connection.tenant} (${environmentLabel[connection.environment]})`
    : 'Ny forbindelse';
  const field = (key: 'clientId' | 'tenant', text: string, hint?: string) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{text}</label>
      <input
        id={`${id}-${key}`}
        name={key}
        type="text"
        autoComplete="off"
        spellCheck={false}
        defaultValue={value(key)}
        aria-invalid={!!errors[key]}
        aria-describedby={
          [hint ? `${id}-${key}-hint` : '', errors[key] ? `${id}-${key}-error` : '']
            .filter(Boolean)
            .join(' ') || undefined
        }
      />
      {hint && (
        <p id={`${id}-${key}-hint`} className="hint">
          {hint}
        </p>
      )}
      {errors[key] && (
        <p id={`${id}-${key}-error`} className="field-error" role="alert">
          {errors[key]}
        </p>
      )}
    </div>
  );

  return (
    <form action={submit} noValidate className="form card" aria-label={label}>
      <h3>{label}</h3>
      <input type="hidden" name="companyId" value={companyId} />
      {connection && <input type="hidden" name="id" value={connection.id} />}
      {field('clientId', 'Klient-id')}
      {field(
        'tenant',
        'Tenant',
        'Forsikringsselskabets navn i Scalepoints adresser, fx tryg: små bogstaver, tal og bindestreg.',
      )}
      <div className="field">
        <label htmlFor={`${id}-environment`}>Miljø</label>
        <select
          id={`${id}-environment`}
          name="environment"
          defaultValue={value('environment') || 'sandbox'}
          aria-invalid={!!errors.environment}
        >
          <option value="sandbox">{environmentLabel.sandbox}</option>
          <option value="production">{environmentLabel.production}</option>
        </select>
        {errors.environment && (
          <p className="field-error" role="alert">
            {errors.environment}
          </p>
        )}
      </div>
      {connection && (
        <dl className="facts">
          <dt>Certifikat</dt>
          <dd>
            {connection.fingerprint ? (
              <>
                SHA-1 {connection.fingerprint}, udløber {connection.validTo}
              </>
            ) : (
              'Kan ikke læses'
            )}
            {' · '}
            <a href={connection.certificateHref} download>
              Hent certifikat
            </a>
          </dd>
          {connection.previousValidUntil && (
            <>
              <dt>Forrige certifikat</dt>
              <dd>Prøves stadig til {connection.previousValidUntil}</dd>
            </>
          )}
          <dt>Seneste hentning</dt>
          <dd>{connection.lastSuccessAt ?? 'Ikke endnu'}</dd>
          {connection.lastError && (
            <>
              <dt>Seneste fejl</dt>
              <dd>{connection.lastError}</dd>
            </>
          )}
          <dt>Sendt til Scalepoint</dt>
          <dd data-testid="connection-outbound">
            Seneste afsendelse: {connection.outbound.lastSentAt ?? 'ingen endnu'}
            {connection.outbound.lastFailure && (
              <> · Seneste fejl: {connection.outbound.lastFailure}</>
            )}
            {' · '}
            {connection.outbound.pending === 1
              ? '1 hændelse afventer afsendelse'
              : `${connection.outbound.pending} hændelser afventer afsendelse`}
          </dd>
        </dl>
      )}
      <div className="buttons">
        <button
          type="submit"
          name="intent"
          value="save"
          className="button primary"
          disabled={pending}
        >
          Gem forbindelse
        </button>
        {connection && (
          <>
            <button type="submit" name="intent" value="test" className="button" disabled={pending}>
              Test forbindelse
            </button>
            <button type="submit" name="intent" value="renew" className="button" disabled={pending}>
              Nyt certifikat
            </button>
            {connection.previousValidUntil && (
              <button
                type="submit"
                name="intent"
                value="revoke"
                className="button"
                disabled={pending}
              >
                Tilbagekald forrige certifikat
              </button>
            )}
            <button
              type="submit"
              name="intent"
              value="delete"
              className="button danger"
              disabled={pending}
              onClick={(e) => {
                // The connection's cursor goes with it: ask before a slip of the mouse deletes it.
                if (
                  !window.confirm(
                    `Slet forbindelsen til ${connection.tenant}? Kladde holder op med at hente hændelser fra den.`,
                  )
                )
                  e.preventDefault();
              }}
            >
              Slet forbindelse
            </button>
          </>
        )}
        <FormMessage state={state} />
      </div>
    </form>
  );
}
