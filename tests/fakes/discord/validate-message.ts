import { apiErrors, FormErrors } from './api-errors';
import { asArray, asObject, asString, isObject, type JsonObject } from './json-value';

/**
 * Message body checks as Discord applies them to channel messages, interaction responses and
 * webhook messages, reported as 50035 form errors at the offending path. Error codes come from
 * errors real bots have logged; see README "Fidelity" for the ones that are a best guess.
 * @see https://discord.com/developers/docs/resources/message#create-message-jsonform-params
 * @see https://discord.com/developers/docs/resources/message#embed-object-embed-limits
 * @see https://discord.com/developers/docs/components/reference
 */

const IS_COMPONENTS_V2 = 1 << 15;
const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);
type Path = ReadonlyArray<string | number>;

export interface MessageCheckOptions {
  /** Path prefix for errors, e.g. `['data']` for an interaction callback. */
  at?: Path;
  /** POST requires something to show; PATCH and type-7 updates do not. */
  requireContent?: boolean;
  /** Attachments sent as multipart files count as content. */
  fileCount?: number;
}

export function validateMessageBody(body: JsonObject, opts: MessageCheckOptions = {}): void {
  const at = opts.at ?? [];
  const errors = new FormErrors();
  if (body.content !== undefined && body.content !== null && typeof body.content !== 'string') {
    errors.add([...at, 'content'], 'STRING_TYPE_CONVERT', 'Could not interpret value as string.');
  }
  errors.checkLength([...at, 'content'], body.content, 0, 2000);
  checkNonce(errors, at, body.nonce);
  checkEmbeds(errors, at, body.embeds);
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  if ((flags & IS_COMPONENTS_V2) === 0) checkComponents(errors, at, body.components);
  errors.throwIfAny();
  if (opts.requireContent && !hasVisibleContent(body, opts.fileCount ?? 0)) throw apiErrors.emptyMessage();
}

function hasVisibleContent(body: JsonObject, fileCount: number): boolean {
  return (
    (typeof body.content === 'string' && body.content.trim() !== '') ||
    asArray(body.embeds).length > 0 ||
    asArray(body.components).length > 0 ||
    asArray(body.sticker_ids).length > 0 ||
    isObject(body.poll) ||
    fileCount > 0
  );
}

function checkNonce(errors: FormErrors, at: Path, nonce: unknown): void {
  if (nonce === undefined || nonce === null) return;
  if (typeof nonce === 'string') {
    if (nonce.length > 25) errors.add([...at, 'nonce'], 'NONCE_TYPE_TOO_LONG', 'Must be 25 or fewer characters long.');
  } else if (typeof nonce !== 'number' || !Number.isInteger(nonce)) {
    errors.add([...at, 'nonce'], 'NONCE_TYPE_INVALID_TYPE', 'This field must be a string or integer.');
  }
}

/** Counts what Discord counts towards the 6000-character total of a message's embeds. */
function embedTextLength(embed: JsonObject): number {
  const len = (value: unknown) => (typeof value === 'string' ? [...value].length : 0);
  const fields = asArray(embed.fields).map(asObject);
  return (
    len(embed.title) +
    len(embed.description) +
    len(asObject(embed.footer).text) +
    len(asObject(embed.author).name) +
    fields.reduce((sum, f) => sum + len(f.name) + len(f.value), 0)
  );
}

function checkEmbeds(errors: FormErrors, at: Path, embeds: unknown): void {
  if (embeds === undefined || embeds === null) return;
  const path = [...at, 'embeds'];
  // A list that is too long is reported alone; Discord does not look into its items.
  if (asArray(embeds).length > 10) return errors.checkCount(path, embeds, 10);
  const before = errors.size;
  let total = 0;
  asArray(embeds).forEach((raw, i) => {
    const embed = asObject(raw);
    const p = [...path, i];
    errors.checkLength([...p, 'title'], embed.title, 0, 256);
    errors.checkLength([...p, 'description'], embed.description, 0, 4096);
    errors.checkLength([...p, 'footer', 'text'], asObject(embed.footer).text, 0, 2048);
    errors.checkLength([...p, 'author', 'name'], asObject(embed.author).name, 0, 256);
    if (asArray(embed.fields).length > 25) return errors.checkCount([...p, 'fields'], embed.fields, 25);
    asArray(embed.fields).forEach((rawField, j) => {
      const field = asObject(rawField);
      for (const [key, max] of [['name', 256], ['value', 1024]] as const) {
        if (typeof field[key] !== 'string') errors.add([...p, 'fields', j, key], 'BASE_TYPE_REQUIRED', 'This field is required');
        else errors.checkLength([...p, 'fields', j, key], field[key], 1, max);
      }
    });
    total += embedTextLength(embed);
  });
  // Only when the embeds are otherwise fine: discord.js prints a node's own errors and not its children's.
  if (total > 6000 && errors.size === before) errors.add(path, 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
}

/** Legacy layout: ≤5 action rows, each with 1-5 buttons or exactly one select menu. */
function checkComponents(errors: FormErrors, at: Path, components: unknown): void {
  if (components === undefined || components === null) return;
  const path = [...at, 'components'];
  if (asArray(components).length > 5) return errors.checkCount(path, components, 5);
  const customIds = new Set<string>();
  asArray(components).forEach((rawRow, i) => {
    const row = asObject(rawRow);
    if (row.type !== 1) {
      errors.add([...path, i, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of (1,).');
      return;
    }
    const children = asArray(row.components);
    if (children.length < 1 || children.length > 5) {
      return errors.add([...path, i, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
    }
    const hasSelect = children.some((c) => SELECT_TYPES.has(Number(asObject(c).type)));
    if (hasSelect && children.length > 1) {
      return errors.add([...path, i, 'components'], 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
    }
    children.forEach((rawChild, j) => checkComponent(errors, [...path, i, 'components', j], asObject(rawChild), customIds));
  });
}

function checkComponent(errors: FormErrors, p: Path, component: JsonObject, customIds: Set<string>): void {
  const customId = asString(component.custom_id);
  if (customId !== undefined) {
    errors.checkLength([...p, 'custom_id'], customId, 1, 100);
    if (customIds.has(customId)) errors.add([...p, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
    customIds.add(customId);
  }
  if (component.type === 2) {
    errors.checkLength([...p, 'label'], component.label, 0, 80);
    if (component.style === 5) {
      if (typeof component.url !== 'string' || component.url === '') errors.add([...p, 'url'], 'BUTTON_COMPONENT_URL_REQUIRED', 'A url is required');
      // "url: URL for link-style buttons; max 512 characters" https://discord.com/developers/docs/components/reference#button
      else errors.checkLength([...p, 'url'], component.url, 1, 512);
      if (customId !== undefined) {
        errors.add([...p, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_URL_MUTUALLY_EXCLUSIVE', 'A custom id and url cannot both be specified');
      }
    } else if (component.style !== 6 && customId === undefined) {
      errors.add([...p, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_REQUIRED', 'A custom id is required');
    }
    return;
  }
  if (SELECT_TYPES.has(Number(component.type))) {
    if (customId === undefined) errors.add([...p, 'custom_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
    errors.checkLength([...p, 'placeholder'], component.placeholder, 0, 150);
    if (component.type === 3) {
      const options = asArray(component.options);
      if (options.length < 1 || options.length > 25) errors.add([...p, 'options'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 25 in length.');
      options.forEach((rawOption, k) => {
        const option = asObject(rawOption);
        errors.checkLength([...p, 'options', k, 'label'], option.label, 1, 100);
        errors.checkLength([...p, 'options', k, 'value'], option.value, 1, 100);
        errors.checkLength([...p, 'options', k, 'description'], option.description, 0, 100);
      });
    }
  }
}
