import { createFakeState } from './fake-state';
import { startHttpServer } from './http-server';
import { encodeKsV1, encodeKsV2 } from './ks-codec';
import { createMediaEntry, createRecording } from './media-entries';
import type { FakeKaltura, FakeKalturaOptions } from './types';
import { isRecordingNow } from './services/schedule-event-service';
import { emitWebhook } from './webhook-emitter';

/**
 * A wire-level fake Kaltura server for tests: a real HTTP server on 127.0.0.1 that the real
 * `kaltura-client` talks to, modelled on kaltura/server as described in
 * /work/shared/reference/kaltura-api.md §7. One instance per test (or file); always `close()` it.
 *
 * @example
 *   const fake = await startFakeKaltura();
 *   const config = new kaltura.Configuration();
 *   config.serviceUrl = fake.url;
 *   config.setLogger({ log() {}, error() {}, debug() {} });
 *   const client = new kaltura.Client(config);
 *   …
 *   await fake.close();
 */
export async function startFakeKaltura(opts: FakeKalturaOptions = {}): Promise<FakeKaltura> {
  const state = createFakeState(opts);
  const server = await startHttpServer(state);
  state.baseUrl = server.url;
  return {
    url: server.url,
    kafUrl: `${server.url}/kaf`,
    partnerId: state.partnerId,
    adminSecret: state.adminSecret,
    userSecret: state.userSecret,
    requests: state.requests,
    launches: state.launches,
    deliveries: state.deliveries,
    store: state.store,
    internalErrors: state.internalErrors,
    addEntry: (entry) => createMediaEntry(state, entry),
    addRecording: (resourceId, recordingOpts) => createRecording(state, resourceId, recordingOpts),
    inject: (fault, scope) => state.faults.add(fault, scope),
    recordingNow: (eventId) => isRecordingNow(state, eventId),
    clearFaults: () => state.faults.clear(),
    mintKs: (ksOpts = {}) => {
      const fields = {
        partnerId: ksOpts.partnerId ?? state.partnerId,
        userId: ksOpts.userId ?? '',
        type: ksOpts.type ?? 2,
        expiresAt: state.now() + (ksOpts.expiresIn ?? 86400),
        privileges: ksOpts.privileges ?? '',
      };
      const secret = ksOpts.secret ?? state.adminSecret;
      return ksOpts.version === 1 ? encodeKsV1(secret, fields) : encodeKsV2(secret, fields);
    },
    emitWebhook: (target, notification, webhookOpts) => emitWebhook(state, target, notification, webhookOpts),
    close: () => server.close(),
  };
}

export type {
  AppTokenSeed,
  DeliveryRecord,
  EntrySeed,
  FakeFault,
  FakeKaltura,
  FakeKalturaOptions,
  FaultScope,
  KafLaunch,
  KsSummary,
  MediaEntry,
  RecordedRequest,
  WebhookNotification,
  WebhookOptions,
  WebhookResult,
} from './types';
export { decodeKs, encodeKsV1, encodeKsV2, formatPrivileges, parsePrivileges, type DecodedKs, type KsFields } from './ks-codec';
export { signWebhookBody } from './webhook-emitter';
export { FIXTURE_THUMBNAIL, FIXTURE_VIDEO, FIXTURE_VIDEO_SECONDS } from './media-assets';
