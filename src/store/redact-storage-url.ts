/**
 * A PostgreSQL URL without its password, for logs, `doctor` and error messages
 * (`postgres://kd:***@db:5432/kaltura_discord`). A URL that does not parse is not shown at all.
 */
export function redactStorageUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    // Options in the query may carry a password too (`?password=`); keep only their names.
    for (const key of [...parsed.searchParams.keys()]) if (/pass|secret|key/i.test(key)) parsed.searchParams.set(key, '***');
    return parsed.toString();
  } catch {
    return '(a storage.url that does not parse)';
  }
}

/** The password inside a storage URL, for the log scrubber's list of secrets. */
export function storageUrlPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    const password = decodeURIComponent(parsed.password) || parsed.searchParams.get('password') || undefined;
    return password;
  } catch {
    return undefined;
  }
}
