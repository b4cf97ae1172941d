'use client';

import { useActionState, useState } from 'react';
import type { FormState } from '@/app/_server/action';
import { ModalDialog } from '@/components/ui/modal-dialog';
import { FormMessage } from './form-message';

type Props = {
  company: { id: string; name: string; deactivated: boolean };
  action: (previous: FormState | null, form: FormData) => Promise<FormState>;
};

/**
 * Deaktiver virksomhed (asked again in a dialog: its people are signed out, nothing is polled or
 * sent for it, its data stays) and Genaktiver virksomhed (docs/people.md). The action revalidates
 * the page, which then shows the other button.
 */
export function CompanyStatusPanel({ company, action }: Props) {
  const [state, submit, pending] = useActionState(action, null);
  const [confirming, setConfirming] = useState(false);
  // Confirmed: the dialog closes and the answer shows beside the button (the dialog needs script anyway).
  const confirm = (form: FormData) => {
    setConfirming(false);
    submit(form);
  };

  return (
    <div className="form">
      {company.deactivated ? (
        <form action={submit} aria-label="Genaktiver virksomhed">
          <input type="hidden" name="companyId" value={company.id} />
          <input type="hidden" name="intent" value="reactivate" />
          <p>
            Virksomheden er deaktiveret: dens brugere kan ikke logge ind, og intet hentes eller
            sendes for den. Dens data er gemt.
          </p>
          <div className="buttons">
            <button type="submit" className="button primary" disabled={pending}>
              Genaktiver virksomhed
            </button>
          </div>
        </form>
      ) : (
        <div className="buttons">
          <button type="button" className="button" onClick={() => setConfirming(true)}>
            Deaktiver virksomhed
          </button>
        </div>
      )}
      <div className="buttons">
        <FormMessage state={state} />
      </div>

      <ModalDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Deaktiver ${company.name}?`}
      >
        <form action={confirm} className="form">
          <input type="hidden" name="companyId" value={company.id} />
          <input type="hidden" name="intent" value="deactivate" />
          <p>
            Virksomhedens brugere bliver logget ud med det samme og kan ikke logge ind, og der
            hentes og sendes intet fra Scalepoint for den, før den genaktiveres.
          </p>
          <p>Virksomhedens data (ordrer, kunder, brugere og indstillinger) bliver gemt.</p>
          <div className="buttons">
            <button type="submit" className="button primary" disabled={pending}>
              Deaktiver virksomhed
            </button>
            <button type="button" className="button" autoFocus onClick={() => setConfirming(false)}>
              Annuller
            </button>
          </div>
        </form>
      </ModalDialog>
    </div>
  );
}
