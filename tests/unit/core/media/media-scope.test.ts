/**
 * Scope and privacy of the video library: a server sees only its own category, an id typed by
 * hand from another server is "unknown", and recordings of meetings held in a channel a member
 * cannot see are neither listed, counted, shared nor played for them.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../src/core/user-error';
import { actor, ANA, BEA, CAT_A, CAT_B, entry, GUILD_A, GUILD_B, OPEN, setup, STAFF_ONLY, STAFF_ROLE } from './media-fixtures';

const ana = actor(ANA);
const bea = actor(BEA, { roleIds: [STAFF_ROLE] });

async function library() {
  const s = setup();
  s.library.entries.push(
    entry('0_alpha001', CAT_A, { name: 'Lecture alpha' }),
    entry('0_alpha002', CAT_A, { name: 'Lecture beta' }),
    entry('0_bravo001', CAT_B, { name: 'Lecture of server B' }),
    // recordings: of a meeting in the staff-only channel, and of one in the open channel
    entry('0_staffrec', CAT_A, { name: 'Lecture staff recording', rootEntryId: '0_stafftpl' }),
    entry('0_openrec1', CAT_A, { name: 'Lecture open recording', rootEntryId: '0_opentpl1' }),
  );
  await s.meeting('m_staffstaffstaffs', GUILD_A, STAFF_ONLY, '0_stafftpl');
  await s.meeting('m_openopenopenopen', GUILD_A, OPEN, '0_opentpl1');
  return s;
}

async function refusal(work: Promise<unknown>): Promise<string> {
  const err = await work.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  return (err as UserError).id;
}

describe('searching the library', () => {
  it("lists only the server's own category, and counts only that", async () => {
    const { service } = await library();
    const a = await service.search(bea, GUILD_A, { query: 'lecture' });
    expect(a.entries.map((e) => e.id).sort()).toEqual(['0_alpha001', '0_alpha002', '0_openrec1', '0_staffrec']);
    expect(a.totalCount).toBe(4);
    const b = await service.search(actor('400000000000000009'), GUILD_B, { query: 'lecture' });
    expect(b.entries.map((e) => e.id)).toEqual(['0_bravo001']);
    expect(b.totalCount).toBe(1);
  });

  it('hides the recording of a meeting in a channel the member cannot see, from the list and the count', async () => {
    const { service } = await library();
    const a = await service.search(ana, GUILD_A, { query: 'lecture', limit: 2 });
    expect(a.entries).toHaveLength(2);
    expect(a.totalCount).toBe(3);
    const all = await service.search(ana, GUILD_A, { query: 'lecture' });
    expect(all.entries.map((e) => e.id)).not.toContain('0_staffrec');
    expect(all.entries.map((e) => e.id)).toContain('0_openrec1');
  });

  it("uses the interaction's own permissions in the meeting's channel", async () => {
    const { service } = await library();
    // Discord computed VIEW_CHANNEL for this very channel (an overwrite the gateway cache has not caught up with)
    const here = actor(ANA, { channelId: STAFF_ONLY, permissions: 1n << 10n });
    expect((await service.search(here, GUILD_A, { query: 'staff' })).entries.map((e) => e.id)).toEqual(['0_staffrec']);
  });

  it('hides a recording whose meeting belongs to another server (fail closed)', async () => {
    const s = await library();
    s.library.entries.push(entry('0_oddrec01', CAT_A, { name: 'Lecture odd', rootEntryId: '0_oddtpl01' }));
    await s.meeting('m_otherserverother', GUILD_B, '200000000000000009', '0_oddtpl01');
    expect((await s.service.search(bea, GUILD_A, { query: 'odd' })).totalCount).toBe(0);
  });

  it('does not list entries that are not ready or not video/audio, even if the adapter let them through', async () => {
    const s = await library();
    s.library.entries.push(entry('0_notready', CAT_A, { name: 'Lecture converting', ready: false }), entry('0_imageimg', CAT_A, { name: 'Lecture image', mediaType: 'other' }));
    const ids = (await s.service.search(bea, GUILD_A, { query: 'lecture' })).entries.map((e) => e.id);
    expect(ids).not.toContain('0_notready');
    expect(ids).not.toContain('0_imageimg');
  });

  it('refuses a query over 100 characters and a bad limit, and lists the newest for an empty query', async () => {
    const { service } = await library();
    expect(await refusal(service.search(ana, GUILD_A, { query: 'x'.repeat(101) }))).toBe('media.query');
    expect(await refusal(service.search(ana, GUILD_A, { query: 'a', limit: 0 }))).toBe('media.limit');
    expect(await refusal(service.search(ana, GUILD_A, { query: 'a', limit: 2.5 }))).toBe('media.limit');
    expect((await service.search(ana, GUILD_A, { query: '   ' })).entries.map((e) => e.id).sort()).toEqual(['0_alpha001', '0_alpha002', '0_openrec1']);
  });

  it('gives up on a library that does not answer, with a retryable upstream error', async () => {
    const s = await library();
    s.library.hang = true;
    await expect(s.service.search(ana, GUILD_A, { query: 'x' })).rejects.toMatchObject({ name: 'UpstreamTimeoutError', retryable: true });
  });
});

describe('sharing and autocomplete', () => {
  it('shares an entry of the server and refuses an unknown one, one of another server and a hidden one alike', async () => {
    const { service } = await library();
    expect((await service.shareable(ana, GUILD_A, '0_alpha001')).name).toBe('Lecture alpha');
    for (const id of ['0_nothere1', '0_bravo001', '0_staffrec', 'not an id', '../0_alpha001']) {
      const err = await service.shareable(ana, GUILD_A, id).then(() => undefined, (e: unknown) => e as UserError);
      expect(err).toMatchObject({ id: 'media.unknown', message: 'No such video in this server’s library.' });
    }
    expect((await service.shareable(bea, GUILD_A, '0_staffrec', STAFF_ONLY)).id).toBe('0_staffrec');
  });

  it("shares a meeting's recording publicly only in the meeting's channel, unless everyone can see that channel", async () => {
    const { service } = await library();
    // the staff recording's card posted in the open channel would show it to members who cannot see the staff channel
    for (const channel of [OPEN, undefined]) {
      const err = await service.shareable(bea, GUILD_A, '0_staffrec', channel).then(() => undefined, (e: unknown) => e as UserError);
      expect(err).toMatchObject({ id: 'media.share-elsewhere' });
      expect(err!.message).not.toContain(STAFF_ONLY);
    }
    // the open channel's recording, and plain videos, may be shared anywhere
    expect((await service.shareable(bea, GUILD_A, '0_openrec1', STAFF_ONLY)).id).toBe('0_openrec1');
    expect((await service.shareable(ana, GUILD_A, '0_alpha001', OPEN)).id).toBe('0_alpha001');
    // someone who cannot see the recording is told it does not exist, not where it belongs
    await expect(service.shareable(ana, GUILD_A, '0_staffrec', STAFF_ONLY)).rejects.toMatchObject({ id: 'media.unknown' });
  });

  it('offers only visible entries of the server, at most 25, names cut to 100 characters', async () => {
    const s = await library();
    for (let i = 0; i < 30; i++) s.library.entries.push(entry(`0_many${String(i).padStart(4, '0')}`, CAT_A, { name: `Many ${'x'.repeat(120)} ${i}` }));
    const choices = await s.service.autocomplete(ana, GUILD_A, 'many');
    expect(choices).toHaveLength(25);
    expect(choices.every((c) => [...c.name].length <= 100 && c.value.startsWith('0_many'))).toBe(true);
    const lectures = await s.service.autocomplete(ana, GUILD_A, 'lecture');
    expect(lectures.map((c) => c.value).sort()).toEqual(['0_alpha001', '0_alpha002', '0_openrec1']);
  });

  it('answers no choices (and logs) when the library is slow, instead of failing', async () => {
    const s = await library();
    s.library.hang = true;
    expect(await s.service.autocomplete(ana, GUILD_A, 'lec')).toEqual([]);
    expect(s.log.text()).toContain('video autocomplete gave no choices');
  });
});
