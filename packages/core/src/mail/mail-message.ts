/** One message as the application composes it; the transport adds From (MAIL_FROM) itself. */
export interface MailMessage {
  to: string;
  subject: string;
  /** The plain-text part: every link as a bare URL. */
  text: string;
  /** The HTML part: every interpolated value already escaped (see templates.ts). */
  html: string;
}

/** Where messages leave the process: an SMTP server, or `.eml` files in development. */
export interface MailTransport {
  /** For logs and start-up banners; never contains a password. */
  readonly name: string;
  /** Resolves once the message was handed over; rejects (to be retried) otherwise. */
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}
