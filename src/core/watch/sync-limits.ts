/** Bounds of the sync protocol, shared by both parsers, the room and the client. No imports. */

/** Client frames are small; anything larger is refused before JSON.parse touches it. */
export const MAX_FRAME_BYTES = 2048;
/** Server frames carry the member list (welcome/presence), so they may be larger. */
export const MAX_SERVER_FRAME_BYTES = 32 * 1024;
export const MAX_MEMBERS = 100;
export const MIN_RATE = 0.25;
export const MAX_RATE = 2;
/** A position beyond a week is not a video, it is garbage (or an attack on float math). */
export const MAX_POSITION_S = 7 * 24 * 3600;
export const MAX_SESSION_CHARS = 1500;
export const MAX_ENTRY_ID_CHARS = 64;
export const MAX_MEMBER_ID_CHARS = 64;
export const MAX_NAME_CHARS = 100;
export const MAX_MESSAGE_CHARS = 200;
/** ms timestamps (Date.now or performance.timeOrigin + now) stay far below this. */
export const MAX_TIME_MS = 1e15;
/** WebSocket close codes (4000–4999 are ours). 4001 is the transport's "no hello in time". */
export const CLOSE_NO_HELLO = 4001;
export const CLOSE_BAD_FRAMES = 4400;
/** Kaltura entry ids look like `1_abcd1234`; accept the id alphabet, nothing that could be markup or a path. */
export const ENTRY_ID_PATTERN = /^[A-Za-z0-9_-]+$/;
/** A session is a JWT (base64url segments and dots). */
export const SESSION_PATTERN = /^[A-Za-z0-9._~+/=-]+$/;
/** A second connection of the same member replaced this one (another tab, or a reconnect before the old socket died). */
export const CLOSE_REPLACED = 4409;
export const CLOSE_ROOM_FULL = 4429;
/**
 * Several instances: this room is served by another instance, so the load balancer did not route this
 * socket by the Activity instance id (like HTTP 421 Misdirected Request). The client retries and says why.
 */
export const CLOSE_ROOM_ELSEWHERE = 4421;
/** Several instances: the load balancer now routes this party to another instance; reconnect to follow it. */
export const CLOSE_ROOM_MOVED = 4422;
