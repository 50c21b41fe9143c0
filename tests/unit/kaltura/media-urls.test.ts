import { describe, expect, it } from 'vitest';
import { createMediaUrls, isEntryId } from '../../../src/kaltura/media-urls';
import { roomTags, sessionTags } from '../../../src/kaltura/room-settings';

describe('createMediaUrls', () => {
  const withPlayer = createMediaUrls({ partnerId: 1234567, playerUiConfId: 4711 });
  const noPlayer = createMediaUrls({ partnerId: 1234567, cdnUrl: 'http://127.0.0.1:9/cdn/' });

  it('builds the v7 player iframe URL when a player is configured', () => {
    expect(withPlayer.embedUrl('1_abcd1234')).toBe('https://cdnapisec.kaltura.com/p/1234567/embedPlaykitJs/uiconf_id/4711?iframeembed=true&entry_id=1_abcd1234');
    expect(withPlayer.watchUrl('1_abcd1234')).toBe(withPlayer.embedUrl('1_abcd1234'));
  });

  it('has no embed without a player and watches through playManifest on the given CDN', () => {
    expect(noPlayer.embedUrl('1_abcd1234')).toBeUndefined();
    expect(noPlayer.watchUrl('1_abcd1234')).toBe('http://127.0.0.1:9/cdn/p/1234567/sp/123456700/playManifest/entryId/1_abcd1234/format/url/protocol/https/a.mp4');
  });

  it('builds thumbnail URLs with optional size', () => {
    expect(withPlayer.thumbnailUrl('1_abcd1234')).toBe('https://cdnapisec.kaltura.com/p/1234567/thumbnail/entry_id/1_abcd1234');
    expect(withPlayer.thumbnailUrl('1_abcd1234', { width: 640, height: 360 })).toBe('https://cdnapisec.kaltura.com/p/1234567/thumbnail/entry_id/1_abcd1234/width/640/height/360');
    expect(() => withPlayer.thumbnailUrl('1_abcd1234', { width: 0 })).toThrow(RangeError);
  });

  it('builds playManifest with a KS in the path, asking for the CDN’s own protocol', () => {
    const ks = 'djJ8MTIzNDU2N3zuyll1kcRIDB7POB5kGM7MSCb91jwrlQV_wqBW1BHxOCNJ1Zx=';
    expect(withPlayer.playManifestUrl('1_abcd1234', ks)).toBe(
      `https://cdnapisec.kaltura.com/p/1234567/sp/123456700/playManifest/entryId/1_abcd1234/format/url/protocol/https/ks/${ks}/a.mp4`,
    );
    expect(noPlayer.playManifestUrl('1_abcd1234', ks)).toBe(
      `http://127.0.0.1:9/cdn/p/1234567/sp/123456700/playManifest/entryId/1_abcd1234/format/url/protocol/http/ks/${ks}/a.mp4`,
    );
    // a v1 KS is standard base64: `/` and `+` are escaped so they stay inside the segment
    expect(noPlayer.playManifestUrl('1_abcd1234', 'YWJj+ZGVm/Z2hpamts')).toContain('/ks/YWJj%2BZGVm%2FZ2hpamts/a.mp4');
    for (const bad of ['short', 'djJ8abc/../../x?y', `djJ8${'a'.repeat(20)} x`, 'djJ8aaaaaaaaaaaaaaaaaaaa#frag']) {
      expect(() => noPlayer.playManifestUrl('1_abcd1234', bad)).toThrow(RangeError);
    }
  });

  it('refuses ids that could change the path or query', () => {
    for (const bad of ['../x', '1_ab/../../admin', '1_a?b=c', '', 'x'.repeat(50)]) {
      expect(isEntryId(bad)).toBe(false);
      expect(() => withPlayer.thumbnailUrl(bad)).toThrow(RangeError);
    }
  });
});

describe('room settings', () => {
  it('tags the room for newrow with the kind, recording and category', () => {
    expect(roomTags('webinar', true, 99).split(',')).toEqual(['vcprovider:newrow', 'custom_rs_class_mode:webinar', 'custom_rec_auto_start:1', 'custom_rs_enable_guests_to_join:0', 'custom_rs_show_invite:0', 'custom_cat_id:99']);
    expect(roomTags('classroom', false).split(',')).toContain('custom_rs_class_mode:virtual_classroom');
    expect(roomTags('classroom', false).split(',')).toContain('custom_rec_auto_start:0');
  });
  it('hides the Invite button wherever guests are blocked, on the room and the session of every kind', () => {
    for (const kind of ['meeting', 'webinar', 'classroom'] as const) {
      for (const tags of [roomTags(kind, true).split(','), sessionTags(kind, false)]) {
        expect(tags).toContain('custom_rs_enable_guests_to_join:0');
        expect(tags).toContain('custom_rs_show_invite:0');
      }
    }
  });
  it('leaves the class mode to the account for plain meetings', () => {
    expect(sessionTags('meeting', false).some((t) => t.startsWith('custom_rs_class_mode'))).toBe(false);
  });
});
