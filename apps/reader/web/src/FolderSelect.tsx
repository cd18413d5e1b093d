import { useTranslation } from 'react-i18next';
import type { Folder } from './types';

interface FolderSelectProps {
  id: string;
  folders: Folder[];
  value: string | null;
  onChange: (folderId: string | null) => void;
  disabled?: boolean;
}

/** Which folder a feed lives in; "No folder" keeps it at the top level. */
export function FolderSelect({ id, folders, value, onChange, disabled = false }: FolderSelectProps) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label htmlFor={id}>{t('reader:folder.select')}</label>
      <select
        id={id}
        className="input select"
        value={value ?? ''}
        disabled={disabled}
        onChange={(event) => {
          onChange(event.target.value === '' ? null : event.target.value);
        }}
      >
        <option value="">{t('reader:folder.none')}</option>
        {folders.map((folder) => (
          <option key={folder.id} value={folder.id}>
            {folder.name}
          </option>
        ))}
      </select>
    </div>
  );
}
