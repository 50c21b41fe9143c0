import { apiErrors } from './api-errors';
import { toApiInstance } from './activity-instances';
import type { FakeState } from './fake-state';
import { ok, type RestRequest, type RestRoute } from './rest-route';

/**
 * "Get Application Activity Instance" with the bot token: the running instance, or
 * `{"message": "404: Not Found", "code": 0}` (the docs' own example) for an unknown or ended one.
 * @see https://discord.com/developers/docs/resources/application#get-application-activity-instance
 * @see https://discord.com/developers/docs/activities/development-guides/multiplayer-experience#using-the-activity-instance-api
 */
function activityInstance(state: FakeState, req: RestRequest) {
  const instance = req.params.app === state.applicationId ? state.activity.instances.get(req.params.instance ?? '') : undefined;
  if (!instance) throw apiErrors.notFound();
  return ok(toApiInstance(state, instance));
}

export const activityRoutes: RestRoute[] = [
  { method: 'GET', template: '/applications/:app/activity-instances/:instance', auth: 'bot', handle: activityInstance },
];
