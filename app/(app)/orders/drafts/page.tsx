import type { Metadata } from 'next';
import Link from 'next/link';
import { requireCompanyActor } from '@/app/_server/auth';
import { pageRead } from '@/app/_server/read';
import { DraftsTable } from '@/components/drafts-table';
import { SearchForm } from '@/components/ui/search-form';
import { parseListParams } from '@/lib/list-params';
import { toListRow } from '@/lib/orders/list-rows';
import { draftSortKeys, listDrafts } from '@/lib/orders/queries';
import { DEADLINE_WORDS } from '@/lib/scalepoint/deadlines/words';

export const metadata: Metadata = { title: 'Ordrekladder' };

export default async function DraftsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireCompanyActor();
  const raw = await searchParams;
  // ?status=rejected is the Afviste filter, ?status=late Forsinkede (docs/deadlines.md: a Frist
  // passed, the oldest deadline first); anything else is the default list of drafts.
  const rejected = raw.status === 'rejected';
  const late = raw.status === 'late';
  const base = rejected
    ? '/orders/drafts?status=rejected'
    : late
      ? '/orders/drafts?status=late'
      : '/orders/drafts';
  const view = parseListParams(
    raw,
    draftSortKeys,
    late ? { sort: 'deadline', dir: 'asc' } : { sort: 'createdAt', dir: 'desc' },
  );
  const { rows, total } = await pageRead(listDrafts, {
    ...view,
    list: rejected ? 'rejected' : late ? 'drafts_late' : 'drafts',
  });

  return (
    <>
      <div className="pagehead">
        <h1>Ordrekladder</h1>
        <SearchForm
          action="/orders/drafts"
          q={view.q}
          sort={view.sort}
          dir={view.dir}
          placeholder="Overskrift, rekv.nr. eller kunde"
          hidden={rejected ? { status: 'rejected' } : late ? { status: 'late' } : {}}
        />
      </div>
      <nav aria-label="Filter" className="filterlinks">
        <Link href="/orders/drafts" aria-current={rejected || late ? undefined : 'page'}>
          Kladder
        </Link>
        <Link href="/orders/drafts?status=rejected" aria-current={rejected ? 'page' : undefined}>
          Afviste
        </Link>
        <Link href="/orders/drafts?status=late" aria-current={late ? 'page' : undefined}>
          {DEADLINE_WORDS.filter}
        </Link>
      </nav>
      {total === 0 && !view.q && rejected ? (
        <p className="empty">Ingen afviste kladder.</p>
      ) : total === 0 && !view.q && late ? (
        <p className="empty">Ingen forsinkede kladder.</p>
      ) : total === 0 && !view.q ? (
        <div className="empty">
          <h2>Ingen ordrekladder endnu</h2>
          <p>
            Ordrekladder er ordrer, der endnu ikke er godkendt. Når Scalepoint-modulet er slået til,
            bliver hver forsikringssag fra Scalepoint automatisk til en ny ordrekladde her.
            {actor.role === 'admin' && (
              <>
                {' '}
                Slå det til på{' '}
                <Link href="/admin/modules/scalepoint">modulets side under Administration</Link>.
              </>
            )}
          </p>
        </div>
      ) : total === 0 ? (
        <p className="empty">
          Ingen {rejected ? 'afviste kladder' : late ? 'forsinkede kladder' : 'ordrekladder'}{' '}
          matcher »{view.q}«.
        </p>
      ) : (
        <DraftsTable base={base} view={view} total={total} rows={rows.map(toListRow)} />
      )}
    </>
  );
}
