'use client';

import { startTransition, useActionState, useState } from 'react';
import type { FormState } from '@/app/_server/action';
import { FormMessage } from '@/components/support/form-message';
import { ModalDialog } from '@/components/ui/modal-dialog';

type OrderType = { id: string; name: string; active: boolean; isScalepointDefault: boolean };
type Action = (previous: FormState | null, form: FormData) => Promise<FormState>;

type Props = {
  types: OrderType[];
  rename: Action;
  /** Deaktiver / Genaktiver: posts `orderTypeId` and `op` (deactivate | reactivate). */
  setActive: Action;
};

/**
 * The company's order types (docs/people.md) with Omdøb (a dialog: Omdøb til, Gem; Escape closes it and
 * focus returns to the button) and Deaktiver / Genaktiver (one small form per row, one answer line
 * for the list, like DeliveriesLog). The server decides; revalidation redraws the rows.
 */
export function OrderTypesList({ types, rename, setActive }: Props) {
  const [toggled, toggle, toggling] = useActionState(setActive, null);
  const [renaming, setRenaming] = useState<OrderType | null>(null);
  // A rename's answer, shown in the list's answer line until the next Deaktiver / Genaktiver.
  const [renamed, setRenamed] = useState<FormState | null>(null);
  const [renameState, submitRename, renamePending] = useActionState(
    async (previous: FormState | null, form: FormData) => {
      const r = await rename(previous, form);
      if (r.ok) {
        setRenaming(null);
        setRenamed(r);
      }
      return r;
    },
    null,
  );
  // A refusal is read from the action's state, which changes together with `renamePending`, so the
  // error never shows while the submit is still pending (the next Enter is a new submit). Opening the
  // dialog remembers the state then, so an older refusal is not shown again.
  const [stateAtOpen, setStateAtOpen] = useState<FormState | null>(null);
  const renameError =
    renameState && renameState !== stateAtOpen && !renameState.ok
      ? (renameState.fieldErrors?.name ?? renameState.message)
      : undefined;

  const open = (type: OrderType) => {
    setStateAtOpen(renameState);
    setRenaming(type);
  };

  return (
    <>
      <FormMessage state={renamed ?? toggled} />
      {types.length === 0 ? (
        <p className="muted">Ingen ordretyper endnu.</p>
      ) : (
        <div className="tablewrap" style={{ marginTop: '0.75rem' }}>
          <table className="datatable" aria-label="Ordretyper">
            <thead>
              <tr>
                <th scope="col">Navn</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Handlinger</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {types.map((t) => (
                <tr key={t.id}>
                  <td>
                    {t.name}
                    {t.isScalepointDefault && <span className="badge">Scalepoint-standard</span>}
                  </td>
                  <td>
                    {t.active ? (
                      'Aktiv'
                    ) : (
                      <span className="badge neutral" style={{ marginLeft: 0 }}>
                        Deaktiveret
                      </span>
                    )}
                  </td>
                  <td>
                    <div className="buttons rowactions">
                      <button type="button" className="button" onClick={() => open(t)}>
                        Omdøb
                      </button>
                      <form action={toggle} onSubmit={() => setRenamed(null)}>
                        <input type="hidden" name="orderTypeId" value={t.id} />
                        <input
                          type="hidden"
                          name="op"
                          value={t.active ? 'deactivate' : 'reactivate'}
                        />
                        <button
                          type="submit"
                          className={t.active ? 'button danger' : 'button'}
                          disabled={toggling}
                        >
                          {t.active ? 'Deaktiver' : 'Genaktiver'}
                        </button>
                      </form>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <ModalDialog open={!!renaming} onClose={() => setRenaming(null)} title="Omdøb ordretype">
        {renaming && (
          <form
            key={renaming.id}
            noValidate
            className="form"
            // Posted by us, not as the form's action: React would reset a refused name to the old one.
            onSubmit={(e) => {
              e.preventDefault();
              // One rename at a time (a double Enter); Gem stays enabled so Enter always reaches here.
              if (renamePending) return;
              const data = new FormData(e.currentTarget);
              startTransition(() => submitRename(data));
            }}
          >
            <input type="hidden" name="orderTypeId" value={renaming.id} />
            <div className="field">
              <label htmlFor="rename-name">Omdøb til</label>
              <input
                id="rename-name"
                name="name"
                type="text"
                autoComplete="off"
                defaultValue={renaming.name}
                // Opened, the old name is selected: typing replaces it.
                onFocus={(e) => e.currentTarget.select()}
                aria-invalid={!!renameError}
                aria-describedby={
                  renameError ? 'rename-name-hint rename-name-error' : 'rename-name-hint'
                }
              />
              <p id="rename-name-hint" className="hint">
                Nu: {renaming.name}. Det nye navn kommer på alle ordrer med typen.
              </p>
              {renameError && (
                <p id="rename-name-error" className="field-error" role="alert">
                  {renameError}
                </p>
              )}
            </div>
            <div className="buttons">
              <button type="submit" className="button primary" aria-busy={renamePending}>
                Gem
              </button>
              <button type="button" className="button" onClick={() => setRenaming(null)}>
                Annuller
              </button>
            </div>
          </form>
        )}
      </ModalDialog>
    </>
  );
}
