import { useEffect, useRef, type ReactNode } from 'react';

interface FormAlertProps {
  /** Focus moves here whenever this changes: pass the problem being shown. */
  focusKey: unknown;
  children: ReactNode;
}

/**
 * An error message that takes focus when it appears, so keyboard and screen-reader
 * users land on it rather than on the submit button that was just disabled.
 */
export function FormAlert({ focusKey, children }: FormAlertProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [focusKey]);
  return (
    <div ref={ref} role="alert" tabIndex={-1} className="alert">
      {children}
    </div>
  );
}
