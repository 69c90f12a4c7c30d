import { AsyncLocalStorage } from 'node:async_hooks';
import { Version2Client, type Config, type RequestConfig } from 'jira.js';

/** What JIRA answered a request with, beyond the body jira.js hands back. */
export interface JiraAnswer {
  status: number;
  contentType: string;
  body: unknown;
}

type Response = Awaited<ReturnType<Version2Client['sendRequestFullResponse']>>;

/**
 * jira.js's client with a deadline on every request as a whole (connect, headers and body: axios's own timeout
 * only fires on an idle socket), and the HTTP answer of a call available to whoever asks (`answerTo`).
 */
export class AnsweringClient extends Version2Client {
  readonly #listeners = new AsyncLocalStorage<(answer: JiraAnswer) => void>();
  readonly #deadlineMs: number;
  #clock: { server: number; local: number } | undefined;

  constructor(config: Config, deadlineMs: number) {
    super(config);
    this.#deadlineMs = deadlineMs;
  }

  override async sendRequestFullResponse<T>(requestConfig: RequestConfig): Promise<Response & { data: T }> {
    const deadline = AbortSignal.timeout(this.#deadlineMs);
    let response: Response & { data: T };
    try {
      response = await super.sendRequestFullResponse<T>({ ...requestConfig, signal: deadline });
    } catch (error) {
      // axios reports the abort as a cancel; for the retry loop and the user it is the request timing out.
      if (deadline.aborted && typeof error === 'object' && error !== null) Object.assign(error, { code: 'ETIMEDOUT' });
      throw error;
    }
    const date = Date.parse(String(response.headers['date'] ?? ''));
    if (Number.isFinite(date)) this.#clock = { server: date, local: Date.now() };
    const contentType = response.headers['content-type'];
    this.#listeners.getStore()?.({ status: response.status, contentType: typeof contentType === 'string' ? contentType : '', body: response.data });
    return response;
  }

  /** JIRA's clock now, epoch ms, as the `Date` header of its latest answer gave it (to the second); null before any answer. */
  serverNow(): number | null {
    return this.#clock === undefined ? null : this.#clock.server + (Date.now() - this.#clock.local);
  }

  /** Runs one jira.js call and returns the answer JIRA gave it (its last, if jira.js sent it twice). */
  async answerTo(call: () => Promise<unknown>): Promise<JiraAnswer> {
    let answer: JiraAnswer | undefined;
    await this.#listeners.run((heard) => (answer = heard), call);
    if (answer === undefined) throw new Error('jira.js resolved a call without a response');
    return answer;
  }
}
