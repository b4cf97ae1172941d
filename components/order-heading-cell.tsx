import Link from 'next/link';
import { OrderMarks, type Marks } from './order-marks';

export type HeadingCell = { id: string; heading: string; fromScalepoint: boolean; marks: Marks };

/** The Ordreoverskrift cell of both lists: the link to the order, with its badges. */
export function OrderHeadingCell({ row }: { row: HeadingCell }) {
  return (
    <>
      <Link href={`/orders/${row.id}`} className="rowlink">
        {row.heading}
      </Link>
      {row.fromScalepoint && <span className="badge">Scalepoint</span>}
      <OrderMarks marks={row.marks} />
    </>
  );
}
