// An SMTP server for tests, in its own process (Node 20 cannot run .ts; mail-catcher.ts
// starts it). Prints {"port":N} first, then one JSON line per message received.
// Accepts any AUTH PLAIN/LOGIN credentials, so smtp://user:pass@ URLs work, and none at all.
import { Buffer } from 'node:buffer';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** Header values as strings: addresses as their text, dates as ISO, structured ones as written. */
function headerText(value) {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(headerText).join(', ');
  if (value !== null && typeof value === 'object') {
    if (typeof value.text === 'string') return value.text;
    if (typeof value.value === 'string') {
      const params = Object.entries(value.params ?? {}).map(([name, param]) => `; ${name}=${String(param)}`);
      return value.value + params.join('');
    }
  }
  return JSON.stringify(value);
}

const server = new SMTPServer({
  secure: false,
  disabledCommands: ['STARTTLS'],
  authMethods: ['PLAIN', 'LOGIN'],
  authOptional: true,
  allowInsecureAuth: true,
  size: MAX_MESSAGE_BYTES,
  logger: false,
  // Tests end with open connections sometimes; closing must not wait out the 30 s default.
  closeTimeout: 1_000,
  onAuth(auth, _session, callback) {
    callback(null, { user: auth.username });
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('error', callback);
    stream.on('end', () => {
      const raw = Buffer.concat(chunks);
      simpleParser(raw).then(
        (parsed) => {
          const headers = {};
          for (const [name, value] of parsed.headers) headers[name.toLowerCase()] = headerText(value);
          const mail = {
            // The envelope (RCPT TO) says who actually receives it, Bcc included.
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            from: parsed.from?.text ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            headers,
            raw: raw.toString('utf8'),
            // Who logged in (AUTH) on this connection, or null: proves credentials were sent.
            authUser: session.user ?? null,
          };
          process.stdout.write(`${JSON.stringify(mail)}\n`);
          callback();
        },
        (error) => {
          process.stderr.write(`mail-catcher: cannot parse a message: ${String(error)}\n`);
          callback(error);
        },
      );
    });
  },
});

server.on('error', (error) => {
  process.stderr.write(`mail-catcher: ${String(error)}\n`);
});

// The parent closes stdin when it is done, or dies: either way this process must not linger.
process.stdin.on('end', () => {
  server.close(() => process.exit(0));
});
process.stdin.resume();

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.server.address().port })}\n`);
});
