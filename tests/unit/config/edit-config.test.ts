import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { setConfigValueInText, unsetConfigValueInText } from '../../../src/config/edit-config';

const text = `# top comment
kaltura:
  partnerId: 1   # id
  serviceUrl: 'https://a.example'

links:
  ttl: 5m
`;

describe('editing the YAML file in place', () => {
  it('keeps the quoting style of the value it replaces, and quotes what would change type', () => {
    expect(setConfigValueInText(text, ['kaltura', 'serviceUrl'], "https://it's.example")).toContain(`serviceUrl: 'https://it''s.example'`);
    expect(setConfigValueInText(text, ['links', 'ttl'], '10m')).toContain('  ttl: 10m\n');
    const numeric = setConfigValueInText(text, ['links', 'ttl'], '123');
    expect(parse(numeric).links.ttl).toBe('123');
    const withHash = setConfigValueInText(text, ['links', 'ttl'], 'a #b');
    expect(parse(withHash).links.ttl).toBe('a #b');
  });

  it('adds a nested key by creating its section under the right parent, indented like its siblings', () => {
    const out = setConfigValueInText(text, ['kaltura', 'appToken', 'id'], '0_abc');
    expect(out).toContain("  serviceUrl: 'https://a.example'\n  appToken:\n    id: 0_abc\n\nlinks:");
    expect(parse(out).kaltura).toEqual({ partnerId: 1, serviceUrl: 'https://a.example', appToken: { id: '0_abc' } });
    const newSection = setConfigValueInText(text, ['logging', 'level'], 'debug');
    expect(newSection.startsWith(text)).toBe(true);
    expect(parse(newSection).logging).toEqual({ level: 'debug' });
  });

  it('removes a key with its comment, and a section it leaves empty', () => {
    expect(unsetConfigValueInText(text, ['kaltura', 'partnerId'])).toBe(text.replace('  partnerId: 1   # id\n', ''));
    expect(unsetConfigValueInText(text, ['links', 'ttl'])).toBe(text.replace('links:\n  ttl: 5m\n', ''));
    expect(unsetConfigValueInText(text, ['links', 'secret'])).toBe(text);
  });

  it('refuses to replace or remove a value other keys use through an alias (*name), and says so', () => {
    const anchored = `defaults:\n  roles:\n    moderatorRoleIds: &mods ["123456789012345678"]\n  permissions:\n    starterRoleIds: *mods\n`;
    const why = 'defaults.roles.moderatorRoleIds holds the anchor &mods, used elsewhere as *mods; change that part of the file by hand';
    expect(() => setConfigValueInText(anchored, ['defaults', 'roles', 'moderatorRoleIds'], ['223456789012345678'])).toThrow(why);
    expect(() => unsetConfigValueInText(anchored, ['defaults', 'roles', 'moderatorRoleIds'])).toThrow('defaults.roles holds the anchor &mods');
    // the alias itself can be replaced, and an anchor nobody uses is no obstacle
    expect(parse(setConfigValueInText(anchored, ['defaults', 'permissions', 'starterRoleIds'], ['223456789012345678'])).defaults.permissions.starterRoleIds).toEqual(['223456789012345678']);
    const unused = anchored.replace('*mods', '[]');
    expect(parse(setConfigValueInText(unused, ['defaults', 'roles', 'moderatorRoleIds'], ['223456789012345678'])).defaults.roles.moderatorRoleIds).toEqual(['223456789012345678']);
  });

  it('refuses multi-line values and files that are not a mapping', () => {
    expect(() => setConfigValueInText(text, ['links', 'ttl'], 'a\nb')).toThrow('a value must be a single line');
    expect(() => setConfigValueInText('- a\n- b\n', ['links', 'ttl'], '5m')).toThrow('the file must be a YAML mapping of sections');
  });
});
