import { describe, expect, it } from 'vitest';
import { normalisePhone } from '@/lib/scalepoint/intake/phone';

describe('normalisePhone', () => {
  it.each([
    // Danish numbers in every usual spelling → the 8 digits
    ['+45 20 12 34 56', '20123456'],
    ['+4520123456', '20123456'],
    ['0045 20123456', '20123456'],
    ['0045 20 12 34 56', '20123456'],
    ['20 12 34 56', '20123456'],
    ['20123456', '20123456'],
    ['20-12-34-56', '20123456'],
    ['20.12.34.56', '20123456'],
    ['  20 12 34 56  ', '20123456'],
    ['(+45) 20123456', '20123456'],
    ['( +45 ) 20 12 34 56', '20123456'],
    ['+45 (20) 12-34-56', '20123456'],
    ['Tlf. 20 12 34 56', '20123456'],
    ['\t+45\u00a020\u00a012\u00a034\u00a056', '20123456'],
    ['70 11 20 20', '70112020'],
    // foreign numbers keep their '+' and country code
    ['+46 70 123 45 67', '+46701234567'],
    ['0046 70 123 45 67', '+46701234567'],
    ['+49 (0)30 1234567', '+490301234567'], // the (0) trunk prefix is not interpreted
    // '+45' / '0045' not followed by exactly 8 digits stays as it is
    ['+45 2012345', '+452012345'],
    ['+45 201234567', '+45201234567'],
    ['0045 2012345', '+452012345'],
    // a '+' that is not first is dropped
    ['20+12 34 56', '20123456'],
    ['tlf +45 20123456', '4520123456'],
    ['45 20 12 34 56', '4520123456'],
    // short numbers are kept (e.g. 112, 1813)
    ['1813', '1813'],
    // exactly 20 characters is fine, 21 is too long
    ['+1234567890123456789', '+1234567890123456789'],
    ['12345678901234567890', '12345678901234567890'],
    ['123456789012345678901', null],
    ['+12345678901234567890', null],
    ['20123456 / 31223344 / 40506070', null],
    // nothing usable
    ['', null],
    ['   ', null],
    ['+', null],
    ['+45', '+45'],
    ['ukendt', null],
    ['-', null],
    [null, null],
    [undefined, null],
  ] as const)('%j → %j', (raw, expected) => {
    expect(normalisePhone(raw)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const raw of [
      '+45 20 12 34 56',
      '+46 70 123 45 67',
      '0046 70 123 45 67',
      '1813',
      '+45 2012345',
    ]) {
      const once = normalisePhone(raw);
      expect(normalisePhone(once)).toBe(once);
    }
  });
});
