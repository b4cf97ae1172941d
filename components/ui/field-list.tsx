/** A read-only record as a description list: each label names its value for screen readers too. */
export function FieldList({ fields }: { fields: { label: string; value: React.ReactNode }[] }) {
  return (
    <dl className="fieldlist">
      {fields.map((f) => (
        <div key={f.label} className="fieldrow">
          <dt>{f.label}</dt>
          <dd>
            {f.value === null || f.value === undefined || f.value === '' ? (
              <span className="muted">—</span>
            ) : (
              f.value
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
