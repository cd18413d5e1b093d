import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { useTranslation } from 'react-i18next';

/**
 * A QR code drawn in this page from `value` (an otpauth:// URI holds the TOTP secret: it never
 * goes to a QR service). The SVG is qrcode's own markup: a white square and one black path,
 * nothing from the user, and presentation attributes only (the CSP allows no inline style).
 */
export function QrCode({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation();
  const [svg, setSvg] = useState<string | undefined>();
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let current = true;
    QRCode.toString(value, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }).then(
      (markup) => {
        if (current) setSvg(markup);
      },
      () => {
        if (current) setFailed(true);
      },
    );
    return () => {
      current = false;
    };
  }, [value]);

  if (failed) return <p className="field-hint">{t('account:totp.qrFailed')}</p>;
  if (svg === undefined) return <div className="qr-code qr-code-loading" aria-hidden="true" />;
  return <div className="qr-code" role="img" aria-label={label} dangerouslySetInnerHTML={{ __html: svg }} />;
}
