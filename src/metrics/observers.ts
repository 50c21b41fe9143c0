/**
 * Adapters from existing hooks to the `MetricsRecorder` port. Nothing here loads
 * prom-client, so the composition root can import it whether metrics are on or off.
 */
import type { MeetingService } from '../core/meetings/meeting-service';
import type { MetricsRecorder } from '../core/ports/metrics';
import type { DispatchObserver } from '../discord/interactions/create-dispatcher';

/** Acknowledgement latency (from `request.receivedAt`, same clock as `at`) and command outcomes. */
export function dispatchObserverFor(metrics: Pick<MetricsRecorder, 'interactionAcknowledged' | 'commandFinished'>): DispatchObserver {
  return {
    acknowledged: (route, request, at) => metrics.interactionAcknowledged(route, (at - request.receivedAt) / 1000),
    finished: (route, outcome) => metrics.commandFinished(route, outcome),
  };
}

/** The same service, counting each join link handed out (from /kaltura start, /kaltura join and the Join button). */
export function observeJoinLinks<S extends Pick<MeetingService, 'issueJoinLink'>>(meetings: S, metrics: Pick<MetricsRecorder, 'joinLinkIssued'>): S {
  return {
    ...meetings,
    async issueJoinLink(...args: Parameters<MeetingService['issueJoinLink']>) {
      const link = await meetings.issueJoinLink(...args);
      metrics.joinLinkIssued();
      return link;
    },
  };
}
