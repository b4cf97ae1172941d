import type { Metadata } from 'next';
import { getDb } from '@/db';
import { requireCompanyActor } from '@/app/_server/auth';
import { CustomersTable } from '@/components/customers-table';
import { SearchForm } from '@/components/ui/search-form';
import { customerSortKeys, listCustomers } from '@/lib/customers/queries';
import { parseListParams } from '@/lib/list-params';
import { formatAddress } from '@/lib/address';

export const metadata: Metadata = { title: 'Kunder' };

export default async function CustomersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireCompanyActor();
  const view = parseListParams(await searchParams, customerSortKeys, {
    sort: 'customerNumber',
    dir: 'asc',
  });
  const { rows, total } = await listCustomers(await getDb(), actor.companyId, view);
  return (
    <>
      <div className="pagehead">
        <h1>Kunder</h1>
        <SearchForm
          action="/customers"
          q={view.q}
          sort={view.sort}
          dir={view.dir}
          placeholder="Navn, kundenr., telefon eller adresse"
        />
      </div>
      {total === 0 ? (
        <p className="empty">
          {view.q
            ? `Ingen kunder matcher »${view.q}«.`
            : 'Ingen kunder endnu. Kunder oprettes bl.a. automatisk fra Scalepoint-sager.'}
        </p>
      ) : (
        <CustomersTable
          view={view}
          total={total}
          rows={rows.map((r) => ({
            id: r.id,
            customerNumber: r.customerNumber,
            name: r.name,
            phone: r.phone ?? r.mobile ?? '',
            address: formatAddress(r),
          }))}
        />
      )}
    </>
  );
}
