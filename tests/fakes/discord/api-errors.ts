/**
 * Discord's JSON error bodies. Handlers throw `DiscordApiError`; the HTTP layer turns it into the reply.
 * @see https://discord.com/developers/docs/topics/opcodes-and-status-codes#json
 */

export interface FormErrorEntry {
  code: string;
  message: string;
}

/** Discord nests form errors by path segment: `{"0": {"name": {"_errors": [...]}}}`. */
export interface FormErrorTree {
  _errors?: FormErrorEntry[];
  [segment: string]: FormErrorTree | FormErrorEntry[] | undefined;
}

export interface DiscordErrorBody {
  code: number;
  message: string;
  errors?: FormErrorTree;
}

export class DiscordApiError extends Error {
  override readonly name = 'DiscordApiError';
  constructor(
    readonly status: number,
    readonly body: DiscordErrorBody,
  ) {
    super(`${status} ${body.code} ${body.message}`);
  }
}

const error = (status: number, code: number, message: string) => new DiscordApiError(status, { message, code });

export const apiErrors = {
  unauthorized: () => error(401, 0, '401: Unauthorized'),
  notFound: () => error(404, 0, '404: Not Found'),
  methodNotAllowed: () => error(405, 0, '405: Method Not Allowed'),
  unknownChannel: () => error(404, 10003, 'Unknown Channel'),
  unknownGuild: () => error(404, 10004, 'Unknown Guild'),
  unknownMember: () => error(404, 10007, 'Unknown Member'),
  unknownMessage: () => error(404, 10008, 'Unknown Message'),
  unknownWebhook: () => error(404, 10015, 'Unknown Webhook'),
  unknownInteraction: () => error(404, 10062, 'Unknown interaction'),
  unknownCommand: () => error(404, 10063, 'Unknown application command'),
  alreadyAcknowledged: () => error(400, 40060, 'Interaction has already been acknowledged.'),
  missingAccess: () => error(403, 50001, 'Missing Access'),
  cannotEditOthersMessage: () => error(403, 50005, 'Cannot edit a message authored by another user'),
  emptyMessage: () => error(400, 50006, 'Cannot send an empty message'),
  missingPermissions: () => error(403, 50013, 'Missing Permissions'),
  invalidWebhookToken: () => error(401, 50027, 'Invalid Webhook Token'),
  /** "Tried to perform an operation on an archived thread, such as editing a message" (opcodes-and-status-codes#json). */
  threadArchived: () => error(400, 50083, 'Thread is archived'),
  invalidJson: () => error(400, 50109, 'The request body contains invalid JSON.'),
  /** The full text as real bots log it (the reference quotes only its first sentence). */
  entryPointRemoval: () =>
    error(
      400,
      50240,
      "You cannot remove this app's Entry Point command in a bulk update operation. Please include the Entry Point command in your update request or delete it separately.",
    ),
};

/** Collects field errors; `toError()` gives the 400 / 50035 "Invalid Form Body" Discord answers with. */
export class FormErrors {
  private readonly tree: FormErrorTree = {};
  private count = 0;

  add(path: ReadonlyArray<string | number>, code: string, message: string): void {
    let node = this.tree;
    for (const segment of path) {
      const key = String(segment);
      const child = node[key];
      if (child === undefined || Array.isArray(child)) {
        const created: FormErrorTree = {};
        node[key] = created;
        node = created;
      } else {
        node = child;
      }
    }
    (node._errors ??= []).push({ code, message });
    this.count++;
  }

  /** Adds Discord's length errors when `value` is a string outside [min, max]. */
  checkLength(path: ReadonlyArray<string | number>, value: unknown, min: number, max: number): void {
    if (typeof value !== 'string') return;
    const length = [...value].length;
    if (length > max && min === 0) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    else if (length < min || length > max) this.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
  }

  /** For arrays: "Must be N or fewer in length." */
  checkCount(path: ReadonlyArray<string | number>, value: unknown, max: number): void {
    if (Array.isArray(value) && value.length > max) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }

  get size(): number {
    return this.count;
  }

  throwIfAny(): void {
    if (this.count > 0) throw new DiscordApiError(400, { code: 50035, message: 'Invalid Form Body', errors: this.tree });
  }
}
