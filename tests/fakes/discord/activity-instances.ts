import type { FakeState } from './fake-state';

/**
 * Running Activity instances. Everyone launching the Activity in a channel while an instance runs
 * there joins it; an instance ends when its last user leaves, and a later launch gets a new id
 * ("a new id is generated once everyone leaves", reference §7.4). Ids look like Discord's:
 * `i-<launch_id>-gc-<guild_id>-<channel_id>`, location `gc-<guild_id>-<channel_id>` kind "gc".
 * @see https://discord.com/developers/docs/resources/application#get-application-activity-instance
 */

export interface ActivityInstanceRecord {
  readonly instanceId: string;
  readonly launchId: string;
  readonly guildId: string;
  readonly channelId: string;
  /** Users connected right now, in joining order. */
  readonly userIds: string[];
}

export interface LaunchRecord {
  readonly interactionId: string;
  readonly instanceId: string;
  readonly userId: string;
  readonly at: number;
}

export interface ActivityStore {
  readonly instances: Map<string, ActivityInstanceRecord>;
  readonly launches: LaunchRecord[];
  /** The portal's Activities switch (application flag EMBEDDED, 1 << 17). */
  enabled: boolean;
}

export const createActivityStore = (enabled: boolean): ActivityStore => ({ instances: new Map(), launches: [], enabled });

/** The application flag set when Activities are enabled. @see https://discord.com/developers/docs/resources/application#application-object-application-flags */
export const EMBEDDED_FLAG = 1 << 17;

function runningIn(state: FakeState, guildId: string, channelId: string): ActivityInstanceRecord | undefined {
  return [...state.activity.instances.values()].find((i) => i.guildId === guildId && i.channelId === channelId);
}

export function createInstance(state: FakeState, input: { guildId: string; channelId: string; userIds?: readonly string[] }): ActivityInstanceRecord {
  const record = state.channels.get(input.channelId);
  if (!record || record.guildId !== input.guildId) throw new Error(`fake Discord: channel ${input.channelId} is not in guild ${input.guildId}`);
  if (runningIn(state, input.guildId, input.channelId)) throw new Error(`fake Discord: an Activity instance already runs in channel ${input.channelId} (join it)`);
  const launchId = state.nextId();
  const instance: ActivityInstanceRecord = {
    instanceId: `i-${launchId}-gc-${input.guildId}-${input.channelId}`,
    launchId,
    guildId: input.guildId,
    channelId: input.channelId,
    userIds: [...new Set(input.userIds ?? [])],
  };
  state.activity.instances.set(instance.instanceId, instance);
  return instance;
}

export function joinInstance(state: FakeState, instanceId: string, userId: string): ActivityInstanceRecord {
  const instance = state.activity.instances.get(instanceId);
  if (!instance) throw new Error(`fake Discord: no running Activity instance ${instanceId}`);
  if (!instance.userIds.includes(userId)) instance.userIds.push(userId);
  return instance;
}

/** Removes the user; the instance ends (is forgotten) when nobody is left. */
export function leaveInstance(state: FakeState, instanceId: string, userId: string): void {
  const instance = state.activity.instances.get(instanceId);
  if (!instance) return;
  const at = instance.userIds.indexOf(userId);
  if (at >= 0) instance.userIds.splice(at, 1);
  if (instance.userIds.length === 0) state.activity.instances.delete(instanceId);
}

/** LAUNCH_ACTIVITY (callback type 12): the clicker joins the instance running in the channel, or starts one. */
export function launchFor(state: FakeState, interactionId: string, guildId: string, channelId: string, userId: string): ActivityInstanceRecord {
  const running = runningIn(state, guildId, channelId);
  const instance = running ? joinInstance(state, running.instanceId, userId) : createInstance(state, { guildId, channelId, userIds: [userId] });
  state.activity.launches.push({ interactionId, instanceId: instance.instanceId, userId, at: state.now() });
  return instance;
}

/** The wire shape of GET /applications/{app}/activity-instances/{id}. */
export function toApiInstance(state: FakeState, instance: ActivityInstanceRecord) {
  return {
    application_id: state.applicationId,
    instance_id: instance.instanceId,
    launch_id: instance.launchId,
    location: { id: `gc-${instance.guildId}-${instance.channelId}`, kind: 'gc', channel_id: instance.channelId, guild_id: instance.guildId },
    users: [...instance.userIds],
  };
}
