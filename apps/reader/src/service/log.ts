/** The part of a pino logger the reader uses; Gatehouse's logger fits. */
export interface ReaderLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const silentLog: ReaderLog = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
