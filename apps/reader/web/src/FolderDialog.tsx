import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { Dialog } from './Dialog';
import { describeError, fieldError, type Problem } from './errors';
import { Field } from './Field';
import { FormAlert } from './FormAlert';
import { Icon } from './Icon';
import type { Folder } from './types';

interface FolderDialogProps {
  /** Undefined creates a new folder. */
  folder: Folder | undefined;
  feedCount: number;
  onSaved: (folder: Folder) => void;
  onDeleted: (folderId: string) => void;
  onSessionEnded: (error: unknown) => boolean;
  onClose: () => void;
}

/** Create a folder, or rename or delete one (its feeds stay, outside any folder). */
export function FolderDialog({ folder, feedCount, onSaved, onDeleted, onSessionEnded, onClose }: FolderDialogProps) {
  const { t } = useTranslation();
  const [name, setName] = useState(folder?.name ?? '');
  const [busy, setBusy] = useState<'save' | 'delete' | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [confirming, setConfirming] = useState(false);

  async function run(kind: 'save' | 'delete', work: () => Promise<void>) {
    setBusy(kind);
    setProblem(undefined);
    try {
      await work();
    } catch (error) {
      if (onSessionEnded(error)) return;
      setProblem(describeError(error));
      setBusy(undefined);
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy !== undefined || name.trim() === '') return;
    if (name.trim() === folder?.name) {
      onClose();
      return;
    }
    void run('save', async () => {
      onSaved(
        folder === undefined ? await api.createFolder(name.trim()) : await api.renameFolder(folder.id, name.trim()),
      );
    });
  }

  return (
    <Dialog
      title={folder === undefined ? t('reader:folder.newTitle') : t('reader:folder.settingsTitle')}
      onClose={onClose}
    >
      <form
        id="folder-form"
        className="form"
        onSubmit={onSubmit}
        aria-label={folder === undefined ? t('reader:folder.newTitle') : t('reader:folder.renameLabel')}
      >
        {problem !== undefined && (
          <FormAlert focusKey={problem}>
            <p>{problem.message}</p>
          </FormAlert>
        )}
        <Field
          id="folder-name"
          label={t('reader:folder.name')}
          type="text"
          required
          maxLength={100}
          data-autofocus
          placeholder={t('reader:folder.namePlaceholder')}
          value={name}
          onChange={(event) => {
            setName(event.target.value);
          }}
          error={fieldError(problem, 'name', t('reader:folder.name'))}
        />
      </form>
      <div className="dialog-actions">
        {confirming && folder !== undefined ? (
          <div className="confirm" role="group" aria-label={t('reader:folder.confirmLabel')}>
            <p>
              {t('reader:folder.confirm', { name: folder.name })}{' '}
              {feedCount === 0
                ? t('reader:folder.holdsNone')
                : feedCount === 1
                  ? t('reader:folder.keepsOne')
                  : t('reader:folder.keepsMany', { feeds: feedCount })}
            </p>
            <div className="confirm-buttons">
              <button
                type="button"
                className="button button-danger button-small"
                autoFocus
                disabled={busy !== undefined}
                aria-busy={busy === 'delete'}
                onClick={() => {
                  void run('delete', async () => {
                    await api.deleteFolder(folder.id);
                    onDeleted(folder.id);
                  });
                }}
              >
                {t('reader:folder.deleteFolder')}
              </button>
              <button
                type="button"
                className="button button-secondary button-small"
                onClick={() => {
                  setConfirming(false);
                }}
              >
                {t('common:keepIt')}
              </button>
            </div>
          </div>
        ) : (
          <>
            {folder !== undefined && (
              <button
                type="button"
                className="button button-danger-quiet button-small"
                onClick={() => {
                  setConfirming(true);
                }}
              >
                <Icon name="trash" />
                {t('common:delete')}
              </button>
            )}
            <span className="toolbar-spacer" />
            <button type="button" className="button button-secondary button-small" onClick={onClose}>
              {t('common:cancel')}
            </button>
            <button
              type="submit"
              form="folder-form"
              className="button button-primary button-small button-inline"
              disabled={busy !== undefined || name.trim() === ''}
              aria-busy={busy === 'save'}
            >
              {folder === undefined ? t('common:create') : t('common:save')}
            </button>
          </>
        )}
      </div>
    </Dialog>
  );
}
