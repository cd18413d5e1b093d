import { useState, type SubmitEvent } from 'react';
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
    <Dialog title={folder === undefined ? 'New folder' : 'Folder settings'} onClose={onClose}>
      <form
        id="folder-form"
        className="form"
        onSubmit={onSubmit}
        aria-label={folder === undefined ? 'New folder' : 'Rename folder'}
      >
        {problem !== undefined && (
          <FormAlert focusKey={problem}>
            <p>{problem.message}</p>
          </FormAlert>
        )}
        <Field
          id="folder-name"
          label="Name"
          type="text"
          required
          maxLength={100}
          data-autofocus
          placeholder="Security, Engineering…"
          value={name}
          onChange={(event) => {
            setName(event.target.value);
          }}
          error={fieldError(problem, 'name', 'Name')}
        />
      </form>
      <div className="dialog-actions">
        {confirming && folder !== undefined ? (
          <div className="confirm" role="group" aria-label="Confirm delete">
            <p>
              Delete the folder {folder.name}?{' '}
              {feedCount === 0
                ? 'It holds no feeds.'
                : `Its ${feedCount === 1 ? 'feed stays' : `${String(feedCount)} feeds stay`} subscribed, outside any folder.`}
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
                Delete folder
              </button>
              <button
                type="button"
                className="button button-secondary button-small"
                onClick={() => {
                  setConfirming(false);
                }}
              >
                Keep it
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
                Delete
              </button>
            )}
            <span className="toolbar-spacer" />
            <button type="button" className="button button-secondary button-small" onClick={onClose}>
              Cancel
            </button>
            <button
              type="submit"
              form="folder-form"
              className="button button-primary button-small button-inline"
              disabled={busy !== undefined || name.trim() === ''}
              aria-busy={busy === 'save'}
            >
              {folder === undefined ? 'Create' : 'Save'}
            </button>
          </>
        )}
      </div>
    </Dialog>
  );
}
