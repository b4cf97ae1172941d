import { sql } from 'drizzle-orm';
import { companyAction } from '@/lib/door';
import { customerLookupSchema } from '@/lib/orders/draft-schema';
import { searchPage } from '@/lib/search';
import { formatAddress } from '@/lib/address';

export type CustomerOption = { id: string; customerNumber: string; name: string; address: string };

type Row = {
  id: string;
  customer_number: string;
  name: string;
  street: string | null;
  house_number: string | null;
  floor: string | null;
  postal_code: string | null;
  city: string | null;
};

const MAX_MATCHES = 10;

/**
 * The Kunde picker of a draft (docs/drafts.md): at most ten of the company's customers matching
 * what was typed, through the company-confined search function. Read-only, so no audit row.
 */
export const findCustomers = companyAction(
  { name: 'customers.find', roles: ['admin', 'member'], input: customerLookupSchema },
  async ({ tx, input }) => {
    if (!input.q) return { ok: true, data: [] as CustomerOption[] };
    const found = await searchPage<Row>(
      tx,
      'kladde_customer_search',
      input.q,
      sql`length(customer_number), customer_number`,
      { limit: MAX_MATCHES, offset: 0 },
    );
    return {
      ok: true,
      data: found.rows.map((r): CustomerOption => ({
        id: r.id,
        customerNumber: r.customer_number,
        name: r.name,
        address: formatAddress({
          street: r.street,
          houseNumber: r.house_number,
          floor: r.floor,
          postalCode: r.postal_code,
          city: r.city,
        }),
      })),
    };
  },
);
