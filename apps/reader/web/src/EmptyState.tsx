import type { ReactNode } from 'react';

/** The quiet placeholder a pane shows until it has content. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children !== undefined && <p className="empty-text">{children}</p>}
    </div>
  );
}
