import { describe, expect, it } from 'vitest';
import { markdownSafe, markdownSafeLines } from '../../../src/discord/render/meeting-labels';
import { liveMarkup, shownText } from '../../e2e/discord-markup';

const HOSTILE = [
  '[Free Nitro](https://evil.example/claim)',
  '[Free Nitro](<https://evil.example/claim>)',
  '<@1500000000000000003> <@!1500000000000000003> <@&1400000000000000002> <#1300000000000000077> </kaltura start:1>',
  '@everyone @here @EVERYONE',
  '# Heading\n> quote\n- list **bold** __u__ ~~s~~ ||spoiler|| `code` ```block```',
  'back\\slash \\[not] \\<@1>',
];

describe('markdownSafe: member-written text renders as written', () => {
  it.each(HOSTILE)('leaves no live link or mention in %j, and shows it unchanged', (text) => {
    for (const out of [markdownSafe(text), markdownSafeLines(text)]) {
      expect(liveMarkup(out)).toEqual([]);
      expect(liveMarkup(`**${out}**`)).toEqual([]);
    }
    expect(shownText(markdownSafeLines(text))).toBe(text);
    expect(shownText(markdownSafe(text))).toBe(text.replace(/\n/g, ' '));
  });

  it('the checker itself sees the raw markup (so the test above can fail)', () => {
    expect(liveMarkup(HOSTILE[0]!)).toHaveLength(1);
    expect(liveMarkup(HOSTILE[2]!)).toHaveLength(5);
    expect(liveMarkup(HOSTILE[3]!)).toHaveLength(2);
  });
});
