/** Where `discord.mode: http` serves interactions, under `http.publicUrl`. */
export const INTERACTIONS_PATH = '/interactions';

/** The URL to paste into the portal's "Interactions Endpoint URL" (General Information). */
export function interactionsEndpointUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${INTERACTIONS_PATH}`;
}
