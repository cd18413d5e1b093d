import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from './Dialog';
import { usePreferences, type Preferences } from './preferences';

interface ReadingSettingsButtonProps {
  /** Reports a change the server did not save (or ends the session on a 401). */
  complain: (prefix: string, error: unknown) => void;
}

/** The top bar's "Aa" button and the dialog it opens. */
export function ReadingSettingsButton({ complain }: ReadingSettingsButtonProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="icon-button"
        aria-label={t('comfort:open')}
        title={t('comfort:open')}
        onClick={() => {
          setOpen(true);
        }}
      >
        <ReadingIcon />
      </button>
      {open && (
        <ReadingSettingsDialog
          complain={complain}
          onClose={() => {
            setOpen(false);
          }}
        />
      )}
    </>
  );
}

/**
 * Theme, text size, line width and mark-as-read on scroll. Each change shows at once and is
 * saved with the user's preferences (every device follows); there is nothing to submit.
 * One fieldset per setting: another setting is one more block here.
 */
export function ReadingSettingsDialog({ complain, onClose }: ReadingSettingsButtonProps & { onClose: () => void }) {
  const { t } = useTranslation();
  const { preferences, update } = usePreferences();
  const hintId = useId();

  function change(patch: Partial<Preferences>) {
    update(patch).catch((error: unknown) => {
      complain(t('comfort:saveFailed'), error);
    });
  }

  return (
    <Dialog title={t('comfort:title')} onClose={onClose}>
      <div className="reading-settings">
        <Choices
          legend={t('comfort:theme.legend')}
          name="theme"
          value={preferences.theme}
          options={[
            ['system', t('comfort:theme.system')],
            ['light', t('comfort:theme.light')],
            ['dark', t('comfort:theme.dark')],
          ]}
          onChange={(theme) => {
            change({ theme });
          }}
        />
        <Choices
          legend={t('comfort:fontSize.legend')}
          name="fontSize"
          value={preferences.fontSize}
          options={[
            ['small', t('comfort:fontSize.small')],
            ['medium', t('comfort:fontSize.medium')],
            ['large', t('comfort:fontSize.large')],
            ['x-large', t('comfort:fontSize.xLarge')],
          ]}
          onChange={(fontSize) => {
            change({ fontSize });
          }}
        />
        <Choices
          legend={t('comfort:lineWidth.legend')}
          name="lineWidth"
          value={preferences.lineWidth}
          options={[
            ['narrow', t('comfort:lineWidth.narrow')],
            ['medium', t('comfort:lineWidth.medium')],
            ['wide', t('comfort:lineWidth.wide')],
          ]}
          onChange={(lineWidth) => {
            change({ lineWidth });
          }}
        />
        <div>
          <div className="checkbox">
            <input
              id={`${hintId}-scroll`}
              type="checkbox"
              checked={preferences.markReadOnScroll}
              aria-describedby={hintId}
              onChange={(event) => {
                change({ markReadOnScroll: event.target.checked });
              }}
            />
            <label htmlFor={`${hintId}-scroll`}>{t('comfort:markReadOnScroll.label')}</label>
          </div>
          <p id={hintId} className="reading-hint">
            {t('comfort:markReadOnScroll.hint')}
          </p>
        </div>
      </div>
    </Dialog>
  );
}

interface ChoicesProps<T extends string> {
  legend: string;
  name: string;
  value: T;
  options: readonly (readonly [T, string])[];
  onChange: (value: T) => void;
}

/** One of a few values, as radio buttons drawn as a segmented row (arrow keys move through it). */
function Choices<T extends string>({ legend, name, value, options, onChange }: ChoicesProps<T>) {
  const groupName = `${useId()}-${name}`;
  return (
    <fieldset className="reading-field">
      <legend>{legend}</legend>
      <div className="reading-choices">
        {options.map(([option, label]) => (
          <label key={option} className="reading-choice">
            <input
              type="radio"
              name={groupName}
              value={option}
              checked={option === value}
              onChange={() => {
                onChange(option);
              }}
            />
            <span>{label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** "Aa": the usual sign for text settings (drawn like Icon's line icons, decorative). */
function ReadingIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M3 18l4.5-12L12 18M4.7 13.5h5.6M14.5 11.2a3 3 0 0 1 5.5 1.6V18M20 14.6c-3.6-.4-5.8.5-5.8 2 0 1.7 2.6 2 4.1.9.9-.6 1.7-1.6 1.7-2.9" />
    </svg>
  );
}
