import { Writable } from 'node:stream';
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from '../config/config-types';
import { createSecretRedactor, REDACTED } from './redact-secrets';
import { serializeError } from './serialize-error';

export interface CreateLoggerOptions {
  readonly level: LogLevel;
  /** Absent: pretty when the destination is a terminal, JSON otherwise. */
  readonly format?: 'json' | 'pretty';
  /** Secret values to scrub from every line (token, Kaltura secret, link key…). */
  readonly secrets: readonly (string | undefined)[];
  /** Default: standard error, written synchronously so nothing is lost on a crash. */
  readonly destination?: { write(line: string): unknown; isTTY?: boolean };
}

/** Keys whose values are never logged, wherever they appear in a logged object. */
const SECRET_KEYS = ['token', 'secret', 'adminSecret', 'clientSecret', 'client_secret', 'access_token', 'accessToken', 'ks', 'password', 'authorization', 'tokenHash'];
const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]).concat(['req.headers.authorization', 'headers.authorization']);

/**
 * The process logger: structured (pino), secrets redacted by key and by value. Logs go to
 * standard error so standard output stays clean for command results.
 */
export function createLogger(options: CreateLoggerOptions): PinoLogger {
  const destination = options.destination ?? process.stderr;
  const usePretty = options.format ? options.format === 'pretty' : Boolean(destination.isTTY);
  const redact = createSecretRedactor(options.secrets);
  const stream: DestinationStream = usePretty
    ? pretty({ destination: options.destination ? toWritable(options.destination) : 2, sync: true, colorize: Boolean(destination.isTTY), translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
    : options.destination
      ? { write: (line: string) => void options.destination!.write(line) }
      : pino.destination({ dest: 2, sync: true });
  return pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: { streamWrite: redact },
      // expected upstream and network failures are one short object; anything else keeps its stack
      serializers: { err: serializeError },
    },
    stream,
  );
}

function toWritable(target: { write(line: string): unknown }): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      target.write(chunk.toString('utf8'));
      callback();
    },
  });
}
