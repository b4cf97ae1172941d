/** Longest normalised phone number accepted (E.164 is at most 15 digits + '+'; some slack). */
export const MAX_PHONE_LENGTH = 20;

/**
 * Normalise a phone number into the form used as a customer number (docs/intake.md, "Customer resolution", the phone tick):
 * - keep only digits, plus a leading '+' when it is the first non-space character (an opening
 *   parenthesis before it is allowed: '(+45) 20123456');
 * - an international '00' prefix is written as '+' ('0046 70…' ≡ '+46 70…'; Danish numbers never start with 0);
 * - '+45' followed by exactly 8 digits becomes the 8 digits (so '+45 20 12 34 56', '0045 20123456',
 *   '20-12-34-56' all give '20123456');
 * - no digits at all, or longer than 20 characters after normalising → null.
 */
export function normalisePhone(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  const lead = /^[\s(]*/.exec(raw)?.[0] ?? '';
  const plus = raw.charAt(lead.length) === '+';
  const digits = raw.replace(/\D/g, '');
  if (digits.length === 0) return null;

  let n: string;
  if (plus) n = `+${digits}`;
  else if (digits.startsWith('00') && digits.length > 2) n = `+${digits.slice(2)}`;
  else n = digits;

  if (/^\+45\d{8}$/.test(n)) n = n.slice(3);
  if (n.length > MAX_PHONE_LENGTH || n === '+') return null;
  return n;
}
