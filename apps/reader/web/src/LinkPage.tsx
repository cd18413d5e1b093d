import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Logo } from './Logo';

interface LinkPageProps {
  /** The tab's title and the card's heading. */
  title: string;
  children: ReactNode;
}

/** The card a mail link opens on (reset, verify, confirm), signed in or not: the sign-in card's frame. */
export function LinkPage({ title, children }: LinkPageProps) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const product = t('auth:productName');
  useEffect(() => {
    document.title = t('auth:pageTitle', { page: title, product });
    return () => {
      document.title = product;
    };
  }, [t, title, product]);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <main className="auth-page">
      <div className="auth-card">
        <header className="auth-header">
          <Logo />
          <p className="product-name">{product}</p>
        </header>
        <div className="form">
          <h1 ref={headingRef} tabIndex={-1} className="form-title link-page-title">
            {title}
          </h1>
          {children}
        </div>
      </div>
    </main>
  );
}

/** "Checking your link…" while the token is sent. */
export function LinkChecking({ children }: { children: ReactNode }) {
  return (
    <p className="muted" role="status">
      <span className="spinner" aria-hidden="true" /> {children}
    </p>
  );
}
