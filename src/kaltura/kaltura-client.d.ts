/**
 * Typings for the parts of `kaltura-client` 21.20.0 this adapter uses (the package ships
 * none, and there is no @types package). CommonJS: import it as `import kaltura from 'kaltura-client'`.
 * Service methods only build a request; `execute(client)` sends it and resolves with the
 * parsed JSON (plain objects, never class instances) or rejects with either the plain
 * `KalturaAPIException` object or an AxiosError. Results are `unknown` on purpose: the
 * transport validates them.
 * @see https://www.npmjs.com/package/kaltura-client
 */
declare module 'kaltura-client' {
  /** Any object parameter; `objectType` names the Kaltura class (e.g. `KalturaUser`). */
  export interface KalturaObject {
    readonly objectType: string;
    readonly [field: string]: unknown;
  }

  /** A logger that is not an `ILogger` instance disables the client's own request logging. */
  export interface ClientLogger {
    log(message: string): void;
    error(message: string): void;
    debug(message: string): void;
  }

  export class Configuration {
    serviceUrl: string;
    serviceBase: string;
    /** Milliseconds, passed to axios. */
    timeout: number;
    proxy?: string;
    setLogger(logger: ClientLogger): void;
    getLogger(): ClientLogger;
  }

  export class RequestBuilder {
    /** Used only when the client itself has no KS (the client's KS overwrites it). */
    setKs(ks: string): this;
    execute(client: Client): Promise<unknown>;
  }

  /** What an axios response interceptor sees (the request config is deliberately not typed). */
  export interface HttpResponseLike {
    readonly status: number;
    readonly headers: Readonly<Record<string, unknown>>;
    readonly data: unknown;
  }

  interface AxiosInstanceLike {
    defaults: { httpAgent?: unknown; httpsAgent?: unknown; [key: string]: unknown };
    interceptors: {
      response: { use(onFulfilled: (response: HttpResponseLike) => HttpResponseLike): number };
      /** Only used to attach an AbortSignal; the rest of the config stays untyped. */
      request: { use(onFulfilled: (request: { signal?: AbortSignal }) => { signal?: AbortSignal }): number };
    };
  }

  export class Client {
    constructor(config: Configuration);
    setClientTag(tag: string): this;
    readonly axios: AxiosInstanceLike;
  }

  type Id = number | string;
  type Obj = KalturaObject | null;

  export interface Services {
    session: {
      start(secret: string, userId?: string, type?: number, partnerId?: number | null, expiry?: number, privileges?: string | null): RequestBuilder;
      startWidgetSession(widgetId: string, expiry?: number): RequestBuilder;
    };
    appToken: {
      startSession(id: string, tokenHash: string, userId?: string | null, type?: number | null, expiry?: number | null, sessionPrivileges?: string | null): RequestBuilder;
    };
    system: { ping(): RequestBuilder };
    /** `getInfo` is the KS partner's `KalturaPartner` (with the primary `adminSecret` when the session may read it). */
    partner: { getInfo(): RequestBuilder };
    userRole: { listAction(filter?: Obj, pager?: Obj): RequestBuilder };
    scheduleResource: {
      add(scheduleResource: KalturaObject): RequestBuilder;
      deleteAction(scheduleResourceId: Id): RequestBuilder;
      listAction(filter?: Obj, pager?: Obj): RequestBuilder;
    };
    scheduleEvent: {
      add(scheduleEvent: KalturaObject): RequestBuilder;
      get(scheduleEventId: Id): RequestBuilder;
      cancel(scheduleEventId: Id): RequestBuilder;
      update(scheduleEventId: Id, scheduleEvent: KalturaObject): RequestBuilder;
      deleteAction(scheduleEventId: Id): RequestBuilder;
      listAction(filter?: Obj, pager?: Obj): RequestBuilder;
    };
    scheduleEventResource: {
      add(scheduleEventResource: KalturaObject): RequestBuilder;
      deleteAction(scheduleEventId: Id, scheduleResourceId: Id): RequestBuilder;
    };
    media: {
      add(entry: KalturaObject): RequestBuilder;
      get(entryId: string, version?: number): RequestBuilder;
      listAction(filter?: Obj, pager?: Obj): RequestBuilder;
      deleteAction(entryId: string): RequestBuilder;
    };
    category: {
      add(category: KalturaObject): RequestBuilder;
      get(id: number): RequestBuilder;
      listAction(filter?: Obj, pager?: Obj): RequestBuilder;
      deleteAction(id: number, moveEntriesToParentCategory?: number): RequestBuilder;
    };
    eSearch: {
      searchEntry(searchParams: KalturaObject, pager?: Obj): RequestBuilder;
    };
    /** Wire id `eventnotification_eventnotificationtemplate`; `cloneAction` is `clone` on the wire. */
    eventNotificationTemplate: {
      /** The system templates (partner 0) a partner may clone. */
      listTemplates(filter?: Obj, pager?: Obj): RequestBuilder;
      listAction(filter?: Obj, pager?: Obj): RequestBuilder;
      get(id: Id): RequestBuilder;
      cloneAction(id: Id, eventNotificationTemplate?: Obj): RequestBuilder;
      update(id: Id, eventNotificationTemplate: KalturaObject): RequestBuilder;
      /** 1 DISABLED, 2 ACTIVE, 3 DELETED. */
      updateStatus(id: Id, status: number): RequestBuilder;
    };
    user: {
      add(user: KalturaObject): RequestBuilder;
      get(userId?: string | null): RequestBuilder;
      update(userId: string, user: KalturaObject): RequestBuilder;
    };
  }

  const kaltura: {
    Configuration: typeof Configuration;
    Client: typeof Client;
    RequestBuilder: typeof RequestBuilder;
    services: Services;
  };
  export default kaltura;
}
