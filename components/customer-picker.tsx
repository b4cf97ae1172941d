'use client';

import { useEffect, useId, useRef, useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/action-result';
import type { CustomerOption } from '@/lib/customers/lookup';

type Picked = { id: string; name: string; customerNumber: string };

/**
 * The Kunde field of a draft: a combobox that searches the company's customers as you type
 * (at most ten matches from the server) and picks one with a click or Enter.
 */
export function CustomerPicker({
  picked,
  onPick,
  find,
  error,
  errorId,
}: {
  picked: Picked | null;
  onPick: (c: Picked) => void;
  find: (input: { q: string }) => Promise<ActionResult<CustomerOption[]>>;
  error?: string;
  errorId: string;
}) {
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<CustomerOption[]>([]);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const [, startTransition] = useTransition();
  const latest = useRef('');
  const listId = useId();

  useEffect(() => {
    const term = q.trim();
    latest.current = term;
    if (!term) return;
    const timer = setTimeout(() => {
      startTransition(async () => {
        const r = await find({ q: term });
        // Only the answer to what is typed now counts.
        if (latest.current !== term) return;
        setOptions(r.data ?? []);
        setActive(0);
        setOpen(true);
      });
    }, 200);
    return () => clearTimeout(timer);
  }, [q, find]);

  const choose = (c: CustomerOption) => {
    onPick({ id: c.id, name: c.name, customerNumber: c.customerNumber });
    setQ('');
    setOptions([]);
    setOpen(false);
  };
  const shown = open && q.trim() !== '';

  return (
    <div className="field picker">
      <label htmlFor="customer-search">Kunde</label>
      <p className="hint" id="customer-current">
        {picked ? (
          <>
            Valgt: <strong>{picked.name}</strong> (kundenr. {picked.customerNumber})
          </>
        ) : (
          'Ingen kunde valgt.'
        )}{' '}
        Skriv navn, kundenr., telefon eller adresse for at vælge en anden.
      </p>
      <input
        id="customer-search"
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={shown}
        aria-controls={listId}
        aria-activedescendant={shown && options[active] ? `${listId}-${active}` : undefined}
        aria-describedby={`customer-current ${errorId}`}
        aria-invalid={!!error}
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          if (!e.target.value.trim()) setOpen(false);
        }}
        onKeyDown={(e) => {
          if (!shown) return;
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, options.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            const c = options[active];
            if (c) choose(c);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            setOpen(false);
          }
        }}
      />
      <ul id={listId} role="listbox" aria-label="Kunder" className="picker-options" hidden={!shown}>
        {shown && options.length === 0 && (
          <li role="option" aria-selected="false" aria-disabled="true" className="muted">
            Ingen kunder matcher.
          </li>
        )}
        {shown &&
          options.map((c, i) => (
            <li
              key={c.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(c)}
            >
              {c.name}{' '}
              <span className="muted">
                · {c.customerNumber}
                {c.address ? ` · ${c.address}` : ''}
              </span>
            </li>
          ))}
      </ul>
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
