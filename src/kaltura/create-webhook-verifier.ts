/**
 * The `WebhookVerifier` port for Kaltura notifications: signature first, over the raw
 * bytes, then parsing. Without the admin secret (app-token mode) nothing can be verified,
 * so `available` is false and every request is refused with WEBHOOKS_UNAVAILABLE rather
 * than accepted unsigned. Pure: no `kaltura-client` import, cheap to load in the HTTP layer.
 */
import { WebhookError, type WebhookRequest, type WebhookVerifier } from '../core/ports/webhook-verifier';
import { parseWebhookBody } from './webhook-parse';
import { headerValue, verifyWebhookSignature } from './webhook-verify';

export function createWebhookVerifier(adminSecret: string | undefined): WebhookVerifier {
  if (!adminSecret) {
    return {
      available: false,
      receive() {
        throw new WebhookError(
          'WEBHOOKS_UNAVAILABLE',
          'Kaltura webhooks cannot be verified without the admin secret (an app token is configured)',
        );
      },
    };
  }
  return {
    available: true,
    receive(request: WebhookRequest) {
      verifyWebhookSignature(request, adminSecret);
      return parseWebhookBody(request.rawBody, headerValue(request.headers, 'content-type'));
    },
  };
}
