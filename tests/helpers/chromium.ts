import fs from 'node:fs';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { afterAll } from 'vitest';

/**
 * Debian's Chromium (package `chromium`), driven by playwright-core: no downloaded browser, so what the tests
 * run is what CI installs with apt (.ci/run). Every launch is bounded and every browser is closed.
 */
export const CHROMIUM_PATH = process.env.KD_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Flags from the team rules: no sandbox (CI runs as root in a container), no GPU, no background traffic, autoplay allowed. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

export class ChromiumMissingError extends Error {
  constructor(path: string) {
    super(
      `Chromium is not installed at ${path}. The browser tests use Debian's package: ` +
        `run "apt-get update && apt-get install -y chromium" (as root), or set KD_TEST_CHROMIUM to another Chromium binary.`,
    );
    this.name = 'ChromiumMissingError';
  }
}

export interface LaunchedChromium {
  readonly browser: Browser;
  /** Closes the browser; bounded (a wedged browser does not hang the test run), safe to call twice. */
  close(): Promise<void>;
}

/** Launches headless Debian Chromium; throws ChromiumMissingError (with the fix) when the binary is absent. */
export async function launchChromium(options: { readonly timeoutMs?: number; readonly args?: readonly string[] } = {}): Promise<LaunchedChromium> {
  try {
    fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
  } catch {
    throw new ChromiumMissingError(CHROMIUM_PATH);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    timeout: options.timeoutMs ?? 30_000,
  });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= Promise.race([
      browser.close().catch(() => undefined),
      new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref()),
    ]);
    return closing;
  };
  return { browser, close };
}

/**
 * One browser for a test file, launched on first use and closed after all its tests:
 * `const browser = useChromium(); … const page = await (await browser()).newPage();`
 */
export function useChromium(): () => Promise<Browser> {
  let launched: Promise<LaunchedChromium> | undefined;
  afterAll(async () => {
    if (launched) await (await launched.catch(() => undefined))?.close();
  }, 20_000);
  return async () => {
    launched ??= launchChromium();
    return (await launched).browser;
  };
}

export interface PageProblems {
  /** console.error / console.warning lines, as "type: text". */
  readonly console: string[];
  /** Uncaught exceptions in the page (pageerror). */
  readonly errors: string[];
  /** Everything the page printed (all console types), for diagnosing a failure. */
  readonly all: string[];
  /** A one-string summary for assertion messages. */
  describe(): string;
}

/** Records a page's console output and uncaught errors, so a test can assert there were none and show them when it fails. */
export function capturePageProblems(page: Page): PageProblems {
  const problems: PageProblems = {
    console: [],
    errors: [],
    all: [],
    describe: () => [...problems.errors.map((e) => `pageerror: ${e}`), ...problems.console].join('\n') || '(none)',
  };
  page.on('console', (msg: ConsoleMessage) => {
    const line = `${msg.type()}: ${msg.text()}`;
    problems.all.push(line);
    if (msg.type() === 'error' || msg.type() === 'warning') problems.console.push(line);
  });
  page.on('pageerror', (err: Error) => {
    problems.errors.push(err.stack ?? err.message);
    problems.all.push(`pageerror: ${err.message}`);
  });
  return problems;
}
