/**
 * Room settings for the three meeting kinds, as the `key:value` tags Kaltura Meetings
 * (newrow) reads from the room (resource) and the session (event; event tags win). Every tag
 * the bot sets, and why, is listed in docs/kaltura.md ("Room tags").
 * @see https://github.com/kaltura-vpaas/virtual-meeting-rooms#tags--event-settings
 */
import type { MeetingKind } from '../core/ports/meeting-provider';

/** Marks a schedule resource as a Kaltura Meetings room. */
export const ROOM_PROVIDER_TAG = 'vcprovider:newrow';

const KIND_TAGS: Record<MeetingKind, readonly string[]> = {
  // interactive room: the account's default mode, everyone can go live
  meeting: [],
  // only moderators are live; attendees watch and use chat and Q&A
  webinar: ['custom_rs_class_mode:webinar'],
  // attendees are set live and prompted for their camera
  classroom: ['custom_rs_class_mode:virtual_classroom'],
};

/**
 * Entry is only through the personal links the bot issues, so Discord roles stay the access
 * control: guests by invite link are blocked (`custom_rs_enable_guests_to_join:0`), and the
 * room's Invite button, which moderators would use to hand out such links, is hidden
 * (`custom_rs_show_invite:0`; the guide's default is 1, "show invite option for moderators").
 */
export const NO_GUEST_TAGS: readonly string[] = ['custom_rs_enable_guests_to_join:0', 'custom_rs_show_invite:0'];

/** Tags shared by room and session. */
export function sessionTags(kind: MeetingKind, record: boolean): string[] {
  return [...KIND_TAGS[kind], `custom_rec_auto_start:${record ? 1 : 0}`, ...NO_GUEST_TAGS];
}

export function roomTags(kind: MeetingKind, record: boolean, recordingCategoryId?: number): string {
  return [
    ROOM_PROVIDER_TAG,
    ...sessionTags(kind, record),
    // recordings are auto-published to this category
    ...(recordingCategoryId !== undefined ? [`custom_cat_id:${recordingCategoryId}`] : []),
  ].join(',');
}
