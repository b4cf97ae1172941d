'use client';

import Link from 'next/link';
import type { ColumnSort } from '@tanstack/react-table';

export type ListView = { q: string; sort: string; dir: 'asc' | 'desc'; page: number; pageSize: number };

/** The href of a list view, dropping defaults so URLs stay short. */
export function viewHref(base: string, view: Partial<ListView>): string {
  const params = new URLSearchParams();
  if (view.q) params.set('q', view.q);
  if (view.sort) params.set('sort', view.sort);
  if (view.dir) params.set('dir', view.dir);
  if (view.page && view.page > 1) params.set('page', String(view.page));
  const s = params.toString();
  return s ? `${base}?${s}` : base;
}

/** Sorting state for react-table from the URL view. */
export function sortingOf(view: ListView): ColumnSort[] {
  return [{ id: view.sort, desc: view.dir === 'desc' }];
}

/** A header that sorts by linking to the next view: works without JS, shareable, reloadable. */
export function SortHeader({ base, view, columnId, sorted, children }: {
  base: string;
  view: ListView;
  columnId: string;
  sorted: false | 'asc' | 'desc';
  children: React.ReactNode;
}) {
  const nextDir = sorted === 'asc' ? 'desc' : 'asc';
  return (
    <Link href={viewHref(base, { q: view.q, sort: columnId, dir: nextDir })} className="sortlink" scroll={false}>
      {children}
      <span aria-hidden="true" className="sortmark">{sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}</span>
    </Link>
  );
}

export function ariaSort(sorted: false | 'asc' | 'desc') {
  return sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none';
}

export function Pager({ base, view, total }: { base: string; view: ListView; total: number }) {
  const pages = Math.max(1, Math.ceil(total / view.pageSize));
  const from = total === 0 ? 0 : (view.page - 1) * view.pageSize + 1;
  const to = Math.min(total, view.page * view.pageSize);
  return (
    <nav aria-label="Sider" className="pager">
      <span>{from}–{to} af {total.toLocaleString('da-DK')}</span>
      <span className="pager-links">
        {view.page > 1 ? <Link href={viewHref(base, { ...view, page: view.page - 1 })} rel="prev">Forrige</Link> : <span className="disabled">Forrige</span>}
        <span>Side {view.page} af {pages}</span>
        {view.page < pages ? <Link href={viewHref(base, { ...view, page: view.page + 1 })} rel="next">Næste</Link> : <span className="disabled">Næste</span>}
      </span>
    </nav>
  );
}
