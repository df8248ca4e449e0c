import { type ReactNode, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

/**
 * A windowed list of fixed-height rows: only the rows in view (plus a margin) are in the DOM, so ten
 * thousand rows cost what thirty do. `followEnd` keeps the view at the bottom while new rows arrive, as long
 * as the reader has not scrolled up.
 */
export function VirtualList<T>({
  items,
  rowHeight,
  height,
  renderRow,
  getKey,
  followEnd = false,
  overscan = 8,
  label,
}: {
  items: readonly T[];
  rowHeight: number;
  height: number;
  renderRow: (item: T, index: number) => ReactNode;
  getKey: (item: T, index: number) => string | number;
  followEnd?: boolean;
  overscan?: number;
  label: string;
}) {
  const scroller = useRef<HTMLElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const atEnd = useRef(true);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    atEnd.current = el.scrollTop + el.clientHeight >= el.scrollHeight - rowHeight * 2;
  }, [rowHeight]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (followEnd && el && atEnd.current && items.length > 0) {
      el.scrollTop = el.scrollHeight;
      setScrollTop(el.scrollTop);
    }
  }, [items.length, followEnd]);

  // A shrinking list (a filter) must not leave the view past its end.
  useEffect(() => {
    const el = scroller.current;
    if (el && el.scrollTop > items.length * rowHeight) {
      el.scrollTop = 0;
      setScrollTop(0);
    }
  }, [items.length, rowHeight]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const item = items[i] as T;
    rows.push(
      <li key={getKey(item, i)} className="vrow" style={{ top: i * rowHeight, height: rowHeight }}>
        {renderRow(item, i)}
      </li>,
    );
  }
  // A scrollable region reachable by keyboard; only the rows in view are rendered as list items.
  return (
    <section
      ref={scroller}
      className="vlist"
      style={{ height }}
      onScroll={onScroll}
      aria-label={`${label} (${items.length})`}
      tabIndex={-1}
    >
      <ul className="vlist-inner" style={{ height: items.length * rowHeight }}>
        {rows}
      </ul>
    </section>
  );
}
