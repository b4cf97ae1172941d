/** A GET search form: works before hydration and keeps the view in the URL. */
export function SearchForm({
  action,
  q,
  sort,
  dir,
  placeholder,
  hidden = {},
}: {
  action: string;
  q: string;
  sort: string;
  dir: string;
  placeholder?: string;
  hidden?: Record<string, string>;
}) {
  return (
    <form action={action} method="get" role="search" className="searchform">
      <label htmlFor="q">Søg</label>
      <input id="q" name="q" type="search" defaultValue={q} placeholder={placeholder} />
      <input type="hidden" name="sort" value={sort} />
      <input type="hidden" name="dir" value={dir} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className="button">
        Søg
      </button>
    </form>
  );
}
