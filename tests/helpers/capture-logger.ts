import { createLogger } from '../../src/logging/create-logger';
import type { Logger } from '../../src/core/logger';

/** The real logger (redaction included), writing JSON lines into an array. */
export function captureLogger(secrets: string[] = []): { logger: Logger; lines: Record<string, unknown>[]; text: () => string } {
  const raw: string[] = [];
  const logger = createLogger({ level: 'trace', format: 'json', secrets, destination: { write: (l: string) => raw.push(l) } });
  return {
    logger,
    get lines() {
      return raw.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    text: () => raw.join(''),
  };
}
