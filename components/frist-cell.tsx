import { DEADLINE_WORDS } from '@/lib/scalepoint/deadlines/words';

/** A row's Frist as the server formatted it: the earliest open deadline, and whether it has passed. */
export type FristValue = { at: string; overdue: boolean };

/**
 * The Frist cell (docs/deadlines.md): the time as the lists write times, and once passed the word
 * Overskredet as text beside the colour; empty for a case with no open deadline.
 */
export function FristCell({ value }: { value: FristValue }) {
  if (!value.at) return null;
  return (
    <span className={value.overdue ? 'frist overdue' : 'frist'}>
      <time>{value.at}</time>
      {value.overdue && <span className="badge bad">{DEADLINE_WORDS.overdue}</span>}
    </span>
  );
}
