import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Dialog } from './Dialog';
import { describeError } from './errors';
import { reasonOf } from './problemReason';
import { serverMessage, translateServerMessage } from './serverMessage';
import type { OpmlImportResult } from './types';

export type OpmlOutcome =
  | { kind: 'imported'; result: OpmlImportResult }
  /** `saysNothingImported`: the message already tells that nothing came in. */
  | { kind: 'failed'; message: string; saysNothingImported: boolean };

/** Why an import failed, as the dialog says it: the file's fault in the page's language when the server names it. */
export function opmlFailure(t: TFunction, error: unknown): OpmlOutcome {
  const reason = reasonOf(error);
  const said = reason === undefined ? undefined : translateServerMessage(t, reason.code, reason.params);
  if (said !== undefined) {
    return {
      kind: 'failed',
      message: t('reader:opml.nothingImportedBecause', { reason: said }),
      saysNothingImported: true,
    };
  }
  const { message } = describeError(error);
  // A server newer than this page: its English detail may already say so.
  return { kind: 'failed', message, saysNothingImported: /nothing was imported/i.test(message) };
}

/** What an OPML import did: how many feeds came in and why any were left out, or why none did. */
export function OpmlResultDialog({ outcome, onClose }: { outcome: OpmlOutcome; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog
      title={outcome.kind === 'imported' ? t('reader:opml.importedTitle') : t('reader:opml.failedTitle')}
      onClose={onClose}
    >
      {outcome.kind === 'failed' ? (
        <div role="alert" className="alert">
          <p>{outcome.message}</p>
          {!outcome.saysNothingImported && <p>{t('reader:opml.nothingImported')}</p>}
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
          {t('common:done')}
        </button>
      </div>
    </Dialog>
  );
}

function ImportSummary({ result }: { result: OpmlImportResult }) {
  const { t } = useTranslation();
  const values = {
    feeds: t('reader:count.feeds', { count: result.imported }),
    folders: t('reader:count.folders', { count: result.folders }),
    skipped: result.skipped.length,
  };
  const withFolders = result.folders > 0;
  const summary =
    result.skipped.length > 0
      ? withFolders
        ? t('reader:opml.summaryFoldersSkipped', values)
        : t('reader:opml.summarySkipped', values)
      : withFolders
        ? t('reader:opml.summaryFolders', values)
        : t('reader:opml.summary', values);
  return (
    <>
      <p className="opml-summary" role="status">
        {summary}
      </p>
      {result.skipped.length > 0 && (
        <ul className="skipped-list">
          {result.skipped.map((skipped, index) => (
            <li key={`${String(index)}-${skipped.url}`}>
              <span className="skipped-url">{skipped.url}</span>
              <span className="skipped-reason">
                {serverMessage(t, skipped.reasonCode, skipped.reasonParams, skipped.reason)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
