/**
 * The line a person who just ran `npm start` looks for: where to open the reader. Printed in
 * plain text beside the JSON logs in development only; in production every line of output
 * stays JSON, for whatever collects the logs.
 */
export function startupBanner(config: { env: string; publicOrigin: string }): string | undefined {
  if (config.env === 'production') return undefined;
  return `Reader running: open ${config.publicOrigin} in your browser (Ctrl+C stops it)`;
}
