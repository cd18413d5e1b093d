/** The gate mark; decorative, the product name is always written next to it. */
export function Logo() {
  return (
    <svg className="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" className="logo-tile" />
      <path d="M9 23V13.5a7 7 0 0 1 14 0V23" className="logo-arch" />
      <circle cx="16" cy="19" r="2.5" className="logo-dot" />
    </svg>
  );
}
