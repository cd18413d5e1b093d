import { Dialog } from './Dialog';
import { count } from './format';
import type { OpmlImportResult } from './types';

export type OpmlOutcome = { kind: 'imported'; result: OpmlImportResult } | { kind: 'failed'; message: string };

/** What an OPML import did: how many feeds came in and why any were left out, or why none did. */
export function OpmlResultDialog({ outcome, onClose }: { outcome: OpmlOutcome; onClose: () => void }) {
  return (
    <Dialog title={outcome.kind === 'imported' ? 'OPML imported' : 'OPML not imported'} onClose={onClose}>
      {outcome.kind === 'failed' ? (
        <div role="alert" className="alert">
          <p>{outcome.message}</p>
          {!/nothing was imported/i.test(outcome.message) && <p>Nothing was imported.</p>}
        </div>
      ) : (
        <ImportSummary result={outcome.result} />
      )}
      <div className="dialog-actions">
        <span className="toolbar-spacer" />
        <button
          type="button"
          className="button button-primary button-small button-inline"
          data-autofocus
          onClick={onClose}
        >
          Done
        </button>
      </div>
    </Dialog>
  );
}

function ImportSummary({ result }: { result: OpmlImportResult }) {
  const { folders } = result;
  return (
    <>
      <p className="opml-summary" role="status">
        {count(result.imported, 'feed')} imported
        {folders > 0 ? `, ${count(folders, 'folder')}` : ''}
        {result.skipped.length > 0 ? `; ${String(result.skipped.length)} skipped:` : '.'}
      </p>
      {result.skipped.length > 0 && (
        <ul className="skipped-list">
          {result.skipped.map((skipped, index) => (
            <li key={`${String(index)}-${skipped.url}`}>
              <span className="skipped-url">{skipped.url}</span>
              <span className="skipped-reason">{skipped.reason}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
