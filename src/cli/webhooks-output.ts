/** How `webhooks setup` and `webhooks status` print template results (text and JSON). */
import type { BotTemplateState, TemplateSetupResult } from '../kaltura/notification-templates';
import { deliveryDifferences, describeData, hashAlgoName, methodName, sameUrl, statusName, TEMPLATE_STATUS } from '../kaltura/notification-templates-plan';

const pad = (word: string) => word.padEnd(13);

export function printSetupResult(r: TemplateSetupResult, out: (line: string) => void): void {
  const name = r.spec.systemName;
  const id = r.templateId !== undefined ? ` (#${r.templateId})` : '';
  const source = r.source ? `${r.source.systemName ?? 'system template'} (#${r.source.id})` : '';
  switch (r.outcome) {
    case 'created':
      out(r.dryRun ? `  ${pad('would create')}${name} (${r.spec.label}), cloning ${source}` : `  ${pad('created')}${name}${id}, cloned from ${source}, ACTIVE`);
      break;
    case 'updated':
      out(`  ${pad(r.dryRun ? 'would update' : 'updated')}${name}${id}: ${r.changes.join('; ')}`);
      break;
    case 'unchanged':
      out(`  ${pad('unchanged')}${name}${id}`);
      break;
    case 'unavailable':
      out(`  ${pad('skipped')}${name} (${r.spec.label}, optional): ${r.reason ?? 'not available'}`);
      break;
  }
  if (r.duplicateIds.length > 0) out(`  ${pad('')}also found ${r.duplicateIds.map((d) => `#${d}`).join(', ')} with the same systemName; left alone`);
}

export interface TemplateStatusRow {
  readonly key: string;
  readonly label: string;
  readonly systemName: string;
  readonly required: boolean;
  readonly present: boolean;
  readonly id?: number;
  readonly name?: string;
  readonly status?: string;
  readonly url?: string;
  readonly urlMatches?: boolean;
  readonly method?: string;
  readonly hashAlgo?: string;
  readonly body?: string;
  /** ACTIVE and exactly what `setup` would make. */
  readonly upToDate: boolean;
  /** What `setup` would change. */
  readonly differences: readonly string[];
  readonly duplicateIds: readonly number[];
}

export function templateStatusJson({ spec, template: t, duplicates }: BotTemplateState, expectedUrl: string): TemplateStatusRow {
  const base = { key: spec.key, label: spec.label, systemName: spec.systemName, required: spec.required, duplicateIds: duplicates.map((d) => d.id) };
  if (!t) return { ...base, present: false, upToDate: false, differences: ['not set up'] };
  const differences = deliveryDifferences(spec, t, expectedUrl);
  if (t.status !== TEMPLATE_STATUS.ACTIVE) differences.push(`status ${statusName(t.status)} → ACTIVE`);
  return {
    ...base,
    present: true,
    id: t.id,
    ...(t.name !== undefined && { name: t.name }),
    status: statusName(t.status),
    ...(t.url !== undefined && { url: t.url }),
    urlMatches: sameUrl(t.url, expectedUrl),
    method: methodName(t.method),
    hashAlgo: hashAlgoName(t.secureHashingAlgo),
    body: describeData(t.data),
    upToDate: differences.length === 0,
    differences,
  };
}

export function describeState(state: BotTemplateState, expectedUrl: string): string[] {
  const row = templateStatusJson(state, expectedUrl);
  if (!row.present) return [`  ${row.label}: ${row.systemName}, not set up${row.required ? '' : ' (optional)'}`];
  const lines = [
    `  ${row.label}: ${row.systemName} #${row.id}${row.name ? ` "${row.name}"` : ''}`,
    `    ${row.status}, ${row.method} ${row.url ?? '(no URL)'}, signed with ${row.hashAlgo}, body ${row.body}`,
    row.urlMatches ? '    URL matches the configuration' : `    URL DIFFERS from the configuration (expected ${expectedUrl})`,
  ];
  const rest = row.differences.filter((d) => !d.startsWith('url '));
  if (rest.length > 0) lines.push(`    setup would change: ${rest.join('; ')}`);
  if (row.duplicateIds.length > 0) lines.push(`    also found ${row.duplicateIds.map((d) => `#${d}`).join(', ')} with the same systemName; left alone`);
  return lines;
}
