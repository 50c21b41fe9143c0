import fs from 'node:fs';

/** Things that work but that an operator should fix; printed by `config validate` and `doctor`. */
export function configWarnings(file: string, value: Record<string, unknown>): string[] {
  const warnings: string[] = [];
  try {
    const mode = fs.statSync(file).mode & 0o777;
    if (mode & 0o077) warnings.push(`${file} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 ${file}`);
  } catch {
    // unreadable files were reported already
  }
  const http = value.http as { publicUrl?: string } | undefined;
  if (http?.publicUrl?.startsWith('http://') && !/^http:\/\/(localhost|127\.|\[::1\])/.test(http.publicUrl)) {
    warnings.push('http.publicUrl uses plain http: join links would travel unencrypted; put the bot behind HTTPS');
  }
  return warnings;
}
