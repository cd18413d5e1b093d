import { useTranslation } from 'react-i18next';
import { Dialog } from './Dialog';
import { SHORTCUTS } from './useShortcuts';

/** The "?" overlay: every single-key shortcut. */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog title={t('reader:shortcuts.title')} subtitle={t('reader:shortcuts.subtitle')} onClose={onClose}>
      <dl className="shortcuts">
        {SHORTCUTS.map((shortcut) => (
          <div key={shortcut.keys} className="shortcut">
            <dt>
              <kbd>{shortcut.keys}</kbd>
            </dt>
            <dd>{t(shortcut.description)}</dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
