/**
 * Watch together when members come and go: a late joiner starts at the group's position, a member
 * whose network drops for 5 s (while the host seeks) catches up after it, and when the host leaves
 * the longest-present member takes over. Real app, fake Discord client and proxy, headless
 * Chromium; generous bounds (half a second) — the accuracy figures are the benchmark's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useChromium } from '../helpers/chromium';
import { useTempDirs } from '../helpers/temp-dir';
import { openActivity, startActivityHarness, untilState, type ActivityHarness, type OpenedActivity } from './activity-harness';
import { IDS, members } from './meeting-harness';
import { expectInSync } from './sync-spread';

const tempDirs = useTempDirs();
const browser = useChromium();

describe('Watch together: late joiners, a network cut, the host leaving', () => {
  let a: ActivityHarness;
  let instanceId: string;
  const opened: OpenedActivity[] = [];

  beforeAll(async () => {
    a = await startActivityHarness(tempDirs());
    ({ instanceId } = await a.watchTogether(members.student, a.entries.tides.id));
  }, 120_000);
  afterAll(async () => {
    for (const p of opened) await p.page.close().catch(() => undefined);
    await a?.close();
  }, 30_000);

  it('a late joiner starts where the group is; a 5 s network cut (the host seeking meanwhile) is caught up; the host leaving hands over', async () => {
    const cutProxy = await a.extraProxy();
    const open = async (userId: string, proxy = a.proxy) => {
      const p = await openActivity(await browser(), proxy, userId, instanceId);
      opened.push(p);
      return p;
    };
    const sofia = await open(IDS.student);
    await untilState(sofia.activity, (s) => s.entryId === a.entries.tides.id && s.host && s.connection === 'open', 'the launcher hosts');
    const tomas = await open(IDS.teacher, cutProxy);
    await untilState(tomas.activity, (s) => s.entryId === a.entries.tides.id && s.connection === 'open', 'a member on their own network');
    await sofia.activity.locator('#ctl-play').click();
    for (const p of [sofia, tomas]) await untilState(p.activity, (s) => s.playing && s.position > 1, 'playing');

    // Late joiner: the group has played a while; Hana arrives and is put at the group's position.
    await new Promise((r) => setTimeout(r, 2_000));
    const hana = await open(IDS.host);
    await untilState(hana.activity, (s) => s.entryId === a.entries.tides.id && s.playing && s.position > 2, 'the late joiner plays from the group position, not from 0');
    await expectInSync([sofia, tomas, hana], 'with the late joiner');

    // Tomas's network drops for 5 s; meanwhile the host seeks to 2:00. After the cut he is back with the group.
    const cut = cutProxy.cut(5_000);
    await untilState(tomas.activity, (s) => s.connection !== 'open', 'the cut member notices the drop', 10_000);
    await sofia.activity.locator('#ctl-seek').fill('120');
    await untilState(sofia.activity, (s) => s.position >= 120, 'the host at 2:00');
    await cut;
    await untilState(tomas.activity, (s) => s.connection === 'open' && s.position >= 120, 'the cut member reconnects and jumps to the group', 15_000);
    await expectInSync([sofia, tomas, hana], 'after the network cut');

    // The host leaves (closes the Activity): the longest-present remaining member hosts. That is Hana: Tomas's
    // presence began again when he reconnected after the cut. Playback goes on, and the new host may steer.
    await sofia.page.close();
    a.h.discord.leaveActivityInstance(instanceId, IDS.student);
    await untilState(hana.activity, (s) => s.host, 'the longest-present member becomes host');
    await untilState(tomas.activity, (s) => !s.host && s.playing && s.hostId === IDS.host, 'the others follow the new host');
    await hana.activity.locator('#ctl-host', { hasText: 'You are the host' }).waitFor({ timeout: 10_000 });
    await tomas.activity.locator('#ctl-host', { hasText: 'host: hana' }).waitFor({ timeout: 10_000 });
    await hana.activity.locator('#ctl-play').click(); // pause
    for (const p of [tomas, hana]) await untilState(p.activity, (s) => !s.playing, 'paused by the new host');
    await expectInSync([tomas, hana], 'paused by the new host');
    for (const p of [tomas, hana]) expect(p.problems.errors, p.problems.describe()).toEqual([]);
  }, 150_000);
});
