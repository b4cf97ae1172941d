import Link from 'next/link';

/**
 * A list's filter links in one query parameter (Modtagne sager's `?status=`, Sendt til
 * Scalepoint's `?sendt=`): the current one marked, the page's other parameters kept, the default
 * value written as no parameter at all.
 */
export function FilterLinks<V extends string>({
  label,
  path,
  param,
  fallback,
  options,
  current,
  keep = {},
}: {
  /** The nav's accessible name. */
  label: string;
  path: string;
  param: string;
  /** The value that needs no parameter (Alle). */
  fallback: V;
  options: readonly (readonly [V, string])[];
  current: V;
  keep?: Record<string, string>;
}) {
  const hrefFor = (value: V) => {
    const params = new URLSearchParams(keep);
    params.delete(param);
    if (value !== fallback) params.set(param, value);
    const query = params.toString();
    return query ? `${path}?${query}` : path;
  };
  return (
    <nav aria-label={label} className="buttons" style={{ marginBottom: '0.75rem' }}>
      {options.map(([value, text]) => (
        <Link
          key={value}
          href={hrefFor(value)}
          aria-current={current === value ? 'page' : undefined}
          className={current === value ? 'button primary' : 'button'}
          scroll={false}
        >
          {text}
        </Link>
      ))}
    </nav>
  );
}
