import { MalformedResponseError } from '../net/errors.js';
import { ConfigError, MISSING_WEBHOOK_SECRET } from '../config/errors.js';
import { withRetry } from '../net/retry.js';
import { describeAnswer, UnexpectedAnswerError } from '../net/unexpected-answer.js';
import { exchange, isJsonMediaType, jsonBody, mediaTypeOf, open, transportFailure } from './http.js';
import { jsonArrayElements, type ArrayElement } from './json-array-stream.js';
import { elementDigest, KnownElements } from './known-elements.js';
import type { Incident } from './incident.js';
import { buildJiraUpdateBody, signBody, type JiraUpdate } from './webhook.js';
import { checkListedIncident, isInvalidIncident, parseIncident, parseListedIncident, parseTicketSource, type InvalidIncident } from './wire.js';
import type { TicketSource } from './ticket-source.js';

export interface ImpactClientOptions {
  /** FireFighter's base URL; the API lives under `/api/v2/firefighter/`. */
  url: string;
  /** API token, sent as `Authorization: Bearer <token>`. */
  token: string;
  /** RAID_JIRA_WEBHOOK_SECRET, to sign `raid/jira_update` posts. */
  /** Only writes need it: a read-only command runs without one. */
  webhookSecret: string | undefined;
  timeoutMs?: number;
}

/** FireFighter's list, each record checked on its own (`listIncidentRecords`). */
export interface IncidentRecords<K> {
  incidents: Incident[];
  invalid: InvalidIncident[];
  /** What the caller knew of records unchanged byte for byte, in list order. */
  recognised: K[];
  /** Each checked incident's element digest, by id: only when the caller passed what it knows. */
  digests: Map<number, string>;
}

export interface IncidentFilters {
  idIn?: number[];
  /** Status integers (10 Open .. 60 Closed), as the `status` filter takes them. */
  statusCodes?: number[];
  /** ISO 8601 with an offset; incidents created at or after it. A naive time would be read in FireFighter's zone. */
  createdAfter?: string;
  idGte?: number;
  idLte?: number;
}

const API_PATH = '/api/v2/firefighter';
const LIST_PATH = `${API_PATH}/incidents/`;
const JIRA_UPDATE_PATH = `${API_PATH}/raid/jira_update`;
const DEFAULT_TIMEOUT_MS = 15_000;

/** Reads incidents from FireFighter and hands it JIRA-side changes through its signed JIRA webhook. */
export class ImpactClient {
  private readonly baseUrl: string;
  private readonly host: string;
  private readonly timeoutMs: number;
  // Private fields stay out of util.inspect, so logging the client never prints a credential.
  readonly #token: string;
  readonly #webhookSecret: string | undefined;

  constructor(options: ImpactClientOptions) {
    this.#token = options.token;
    this.#webhookSecret = options.webhookSecret;
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.host = new URL(this.baseUrl).host;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Incidents matching every given filter, by ascending id; one invalid record fails the whole list. An empty `idIn` or `statusCodes` matches nothing. */
  async listIncidents(filters: IncidentFilters = {}): Promise<Incident[]> {
    let incidents: Incident[] = [];
    await this.list(filters, () => void (incidents = []), ({ bytes }, endpoint, index) => incidents.push(parseListedIncident(parseJson(bytes, endpoint, index), endpoint, index)));
    return incidents;
  }

  /**
   * The same list, each record checked on its own: invalid ones come back apart, naming their field and value, so
   * that they fail only their own pair. A body that is not an incident list still rejects (MalformedResponseError).
   *
   * `known` (awaited before the first element is read) maps element digests to what the caller already knows of a
   * record byte for byte the same: such a record is neither decoded nor checked again, and its value comes back in
   * `recognised`. With `known`, every checked incident's digest comes back too, to be known next time.
   */
  async listIncidentRecords<K = never>(filters: IncidentFilters = {}, known?: PromiseLike<ReadonlyMap<string, K> | undefined>): Promise<IncidentRecords<K>> {
    const records: IncidentRecords<K> = { incidents: [], invalid: [], recognised: [], digests: new Map() };
    // A caller that stops before the list answers rejects `known` while nothing awaits it yet: heard here, thrown below.
    Promise.resolve(known).catch(() => undefined);
    await this.list(filters, () => {
      // A retry reads the list afresh.
      records.incidents = [];
      records.invalid = [];
      records.recognised = [];
      records.digests = new Map();
      return known;
    }, ({ bytes, known: recognised }, endpoint, index, elements) => {
      const digest = elements && (recognised ?? elementDigest(bytes));
      const seen = digest === undefined ? undefined : elements?.lookup(digest);
      if (seen !== undefined) return void records.recognised.push(seen);
      const record = checkListedIncident(parseJson(bytes, endpoint, index), endpoint, index);
      if (isInvalidIncident(record)) return void records.invalid.push(record);
      records.incidents.push(record);
      if (digest !== undefined) records.digests.set(record.id, digest);
    });
    return records;
  }

  private async list<K>(
    filters: IncidentFilters,
    start: () => PromiseLike<ReadonlyMap<string, K> | undefined> | undefined,
    take: (element: ArrayElement, endpoint: string, index: number, known: KnownElements<K> | undefined) => void,
  ): Promise<void> {
    // django-filter skips an empty filter, which would return every incident instead of none.
    if (filters.idIn?.length === 0 || filters.statusCodes?.length === 0) return;
    const query = new URLSearchParams({ order_by: 'id' });
    if (filters.idIn) query.set('id__in', filters.idIn.map(String).join(','));
    for (const code of filters.statusCodes ?? []) query.append('status', String(code));
    if (filters.createdAfter !== undefined) query.set('created_at__gte', filters.createdAfter);
    if (filters.idGte !== undefined) query.set('id__gte', String(filters.idGte));
    if (filters.idLte !== undefined) query.set('id__lte', String(filters.idLte));
    const endpoint = `GET ${LIST_PATH}`;
    await withRetry(() => this.streamList(`${LIST_PATH}?${query}`, endpoint, start, take), { idempotent: true, host: this.host });
  }

  /** The list is unpaginated and can be tens of megabytes: each element is taken as it arrives. */
  private async streamList<K>(
    pathAndQuery: string,
    endpoint: string,
    start: () => PromiseLike<ReadonlyMap<string, K> | undefined> | undefined,
    take: (element: ArrayElement, endpoint: string, index: number, known: KnownElements<K> | undefined) => void,
  ): Promise<void> {
    const request = {
      method: 'GET' as const,
      url: new URL(`${this.baseUrl}${pathAndQuery}`),
      endpoint,
      headers: { Accept: 'application/json', Authorization: `Bearer ${this.#token}` },
      timeoutMs: this.timeoutMs,
      secrets: this.secrets(),
    };
    const response = await open(request);
    const mediaType = mediaTypeOf(response.contentType);
    if (!isJsonMediaType(mediaType)) {
      response.cancel();
      throw new MalformedResponseError('impact', endpoint, '', `expected JSON, got ${mediaType || 'a body without Content-Type'}`);
    }
    // The body is split as it arrives; its elements wait, in order, for what the caller knows, which may come later.
    let known: KnownElements<K> | undefined;
    let ready = false;
    let abandoned: unknown;
    const knowing = Promise.resolve(start()).then(
      (value) => {
        known = value && new KnownElements(value);
        ready = true;
      },
      (error: unknown) => void (abandoned = error ?? new Error('abandoned')),
    );
    const waiting: ArrayElement[] = [];
    let index = 0;
    const drain = () => {
      for (const element of waiting.splice(0)) take(element, endpoint, index++, known);
    };
    try {
      for await (const element of jsonArrayElements(response.body, (chunk, at) => known?.recognise(chunk, at))) {
        if (abandoned !== undefined) throw abandoned;
        if (!ready) {
          waiting.push(element);
          continue;
        }
        drain();
        take(element, endpoint, index++, known);
      }
    } catch (error) {
      if (error === abandoned || error instanceof MalformedResponseError) throw error;
      if (error instanceof SyntaxError) throw new MalformedResponseError('impact', endpoint, '', `is not a valid JSON array (${error.message})`);
      throw transportFailure(error, request);
    }
    await knowing;
    if (abandoned !== undefined) throw abandoned;
    drain();
  }

  async getIncident(id: number): Promise<Incident> {
    if (!Number.isSafeInteger(id) || id <= 0) throw new RangeError(`incident id must be a positive integer, got ${id}`);
    const path = `${LIST_PATH}${id}/`;
    const endpoint = `GET ${path}`;
    return this.read(path, endpoint, (json) => parseIncident(json, endpoint));
  }

  /** One incident with what a new ticket needs (its tags and priority emoji too), read just before creating it. */
  async getTicketSource(id: number): Promise<TicketSource> {
    if (!Number.isSafeInteger(id) || id <= 0) throw new RangeError(`incident id must be a positive integer, got ${id}`);
    const path = `${LIST_PATH}${id}/`;
    const endpoint = `GET ${path}`;
    return this.read(path, endpoint, (json) => parseTicketSource(json, endpoint));
  }

  /**
   * Posts the change as a signed `jira:issue_updated` webhook. A 200 means FireFighter took the payload,
   * not that it applied it: it silently skips what its rules refuse, so read the incident back.
   */
  async sendJiraUpdate(update: JiraUpdate): Promise<void> {
    const body = buildJiraUpdateBody(update);
    if (this.#webhookSecret === undefined) throw new ConfigError(MISSING_WEBHOOK_SECRET);
    const signature = signBody(body, this.#webhookSecret);
    const endpoint = `POST ${JIRA_UPDATE_PATH}`;
    await withRetry(
      async () => {
        const response = await exchange({
          method: 'POST',
          url: new URL(`${this.baseUrl}${JIRA_UPDATE_PATH}`),
          endpoint,
          headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Hub-Signature': signature },
          body,
          timeoutMs: this.timeoutMs,
          secrets: this.secrets(),
        });
        // The view returns DRF's `Response()`: an empty 200. Anything else (an SSO sign-in page) may not be FireFighter's.
        if (response.status !== 200 || response.text.trim() !== '') {
          throw new UnexpectedAnswerError('impact', endpoint, describeAnswer(response.status, response.contentType), 'an empty 200');
        }
      },
      { idempotent: false, host: this.host },
    );
  }

  private async read<T>(pathAndQuery: string, endpoint: string, parse: (json: unknown) => T): Promise<T> {
    return withRetry(
      async () => {
        const response = await exchange({
          method: 'GET',
          url: new URL(`${this.baseUrl}${pathAndQuery}`),
          endpoint,
          headers: { Accept: 'application/json', Authorization: `Bearer ${this.#token}` },
          timeoutMs: this.timeoutMs,
          secrets: this.secrets(),
        });
        return parse(jsonBody(response, endpoint));
      },
      { idempotent: true, host: this.host },
    );
  }

  private secrets(): string[] {
    return [this.#token, ...(this.#webhookSecret === undefined ? [] : [this.#webhookSecret])];
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseJson(bytes: Uint8Array, endpoint: string, index: number): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    throw new MalformedResponseError('impact', endpoint, `[${index}]`, 'is not valid JSON');
  }
}
