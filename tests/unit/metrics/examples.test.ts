import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createAppMetrics } from '../../../src/metrics/create-app-metrics';

const root = path.resolve(__dirname, '../../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** Every sample name the app's registry can expose (histograms add _bucket/_sum/_count). */
async function exposedNames(): Promise<Set<string>> {
  const { registry } = createAppMetrics({ version: 'test' });
  const names = new Set<string>();
  for (const m of await registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
  }
  return names;
}

/** Metric names used in a PromQL expression: ours, the process/runtime ones, and Prometheus' `up`. */
function referencedSeries(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...withoutStrings.matchAll(/\b((?:kaltura_discord|process|nodejs)_[a-zA-Z0-9_]+|up)\b/g)].map((m) => m[1]!);
}

function balanced(expr: string): boolean {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  for (const c of expr.replace(/"(?:[^"\\]|\\.)*"/g, '""')) {
    if ('([{'.includes(c)) stack.push(c);
    else if (c in pairs && stack.pop() !== pairs[c]) return false;
  }
  return stack.length === 0;
}

describe('examples/prometheus-alerts.yml', () => {
  const doc = parse(read('examples/prometheus-alerts.yml')) as { groups: { name: string; rules: Record<string, unknown>[] }[] };

  it('is a Prometheus rule file whose expressions use only series the app exposes', async () => {
    const exposed = await exposedNames();
    expect(doc.groups.length).toBeGreaterThan(0);
    const alerts: string[] = [];
    for (const group of doc.groups) {
      expect(group.name).toEqual(expect.any(String));
      for (const rule of group.rules) {
        expect(Object.keys(rule).every((k) => ['alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'].includes(k)), JSON.stringify(rule)).toBe(true);
        expect(rule['alert']).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
        const expr = rule['expr'] as string;
        expect(balanced(expr), expr).toBe(true);
        if (rule['for'] !== undefined) expect(rule['for']).toMatch(/^([0-9]+(ms|s|m|h|d|w|y))+$/);
        expect((rule['annotations'] as Record<string, string>)['summary']).toEqual(expect.any(String));
        const used = referencedSeries(expr);
        expect(used.length, expr).toBeGreaterThan(0);
        for (const name of used) if (name !== 'up') expect(exposed.has(name), `${rule['alert']}: ${name}`).toBe(true);
        alerts.push(rule['alert'] as string);
      }
    }
    expect(new Set(alerts).size).toBe(alerts.length);
    // What the runbook promises: down/not ready, ack latency, Kaltura errors, outbox, webhooks, 429s.
    const exprs = doc.groups.flatMap((g) => g.rules.map((r) => r['expr'] as string)).join('\n');
    for (const series of ['up', 'kaltura_discord_gateway_state', 'kaltura_discord_interaction_ack_seconds_bucket', 'kaltura_discord_kaltura_errors_total', 'kaltura_discord_outbox_dead_letters_total', 'kaltura_discord_outbox_oldest_pending_age_seconds', 'kaltura_discord_webhooks_rejected_total', 'kaltura_discord_discord_rate_limited_total']) {
      expect(referencedSeries(exprs), series).toContain(series);
    }
  });
});

describe('examples/grafana-dashboard.json', () => {
  type Panel = { id: number; type: string; title: string; datasource?: { uid: string }; targets?: { expr: string; datasource?: { uid: string } }[]; panels?: Panel[] };
  const dashboard = JSON.parse(read('examples/grafana-dashboard.json')) as {
    __inputs: { name: string; type: string; pluginId: string }[];
    panels: Panel[];
    templating: { list: { query: { query: string } }[] };
    uid: string;
    title: string;
  };
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);

  it('takes its Prometheus data source as the ${DS_PROMETHEUS} input and queries only exposed series', async () => {
    const exposed = await exposedNames();
    expect(dashboard.__inputs).toContainEqual(expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }));
    expect(dashboard.title).toBe('kaltura-discord');
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    const queries = [...panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)), ...dashboard.templating.list.map((v) => v.query.query)];
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      expect(panel.datasource?.uid, panel.title).toBe('${DS_PROMETHEUS}');
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const t of panel.targets!) expect(t.datasource?.uid).toBe('${DS_PROMETHEUS}');
    }
    for (const expr of queries) {
      expect(balanced(expr), expr).toBe(true);
      const used = referencedSeries(expr);
      expect(used.length, expr).toBeGreaterThan(0);
      for (const name of used) if (name !== 'up') expect(exposed.has(name), `${expr}: ${name}`).toBe(true);
    }
  });

  it('has a panel for each family of series', () => {
    const all = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join('\n');
    for (const series of ['interaction_ack_seconds_bucket', 'commands_total', 'kaltura_request_duration_seconds_bucket', 'kaltura_errors_total', 'join_links_issued_total', 'join_links_redeemed_total', 'join_links_refused_total', 'webhooks_received_total', 'webhooks_rejected_total', 'webhooks_duplicate_total', 'outbox_pending', 'outbox_dead', 'outbox_oldest_pending_age_seconds', 'outbox_retries_total', 'outbox_dead_letters_total', 'inbox_pending', 'discord_rate_limited_total', 'gateway_state']) {
      expect(all, series).toContain(`kaltura_discord_${series}`);
    }
  });
});
