import { Version2Client } from 'jira.js';
import type { z } from 'zod';
import { MalformedResponseError, ServiceError } from '../net/errors.js';
import { forEachConcurrently } from '../net/concurrency.js';
import { withRetry } from '../net/retry.js';
import { describeAnswer, UnexpectedAnswerError } from '../net/unexpected-answer.js';
import { AnsweringClient } from './answering-client.js';
import type { JiraIssue, JiraUser } from './issue.js';
import { assertIssueKey } from './issue-keys.js';
import { jqlString, keyInJql } from './jql.js';
import { FieldsRefusedError, toServiceError, type RefusedField } from './service-errors.js';
import type { JiraTransition } from './transition.js';
import type { JiraWorkflow, WorkflowScope } from './workflow.js';
import {
  issueFieldIds,
  parseSearchIssues,
  parseWire,
  type InvalidIssue,
  wireEnhancedSearchPage,
  wireIssue,
  wireIssueKeys,
  wireFieldIds,
  wireProjectStatuses,
  wireLegacySearchPage,
  wireMyself,
  wirePriorities,
  wireTransitions,
  wireUserList,
  wireWorkflows,
  wireWorkflowScope,
} from './wire.js';
import { wireCreatedIssue, wireCreateIssueTypes, wireCreateScreenFields, wireRemoteLinkId } from './create-wire.js';

export interface JiraClientOptions {
  url: string;
  deployment: 'cloud' | 'datacenter';
  auth: { email: string; apiToken: string } | { pat: string };
  /** 'priority' or a select custom field such as 'customfield_11064'. */
  priorityField: string;
  /** The deadline of each request as a whole: connecting, the answer's headers and its whole body. */
  timeoutMs?: number;
  /** `jira.notifyUsers`: false sends edits with notifyUsers=false, so watchers get no mail. Default true. */
  notifyUsers?: boolean;
}

export interface SearchOptions {
  pageSize?: number;
  /** Called after each page with the number of issues read so far. */
  onPage?: (readSoFar: number) => void;
  /**
   * Cloud: ids of issues to answer from the database, not the lagging search index (`reconcileIssues`), e.g. those
   * raidsync just wrote. Sent 50 at a time, one search per batch. Data Center's search is consistent: ignored there.
   */
  reconcileIssues?: readonly string[];
  /** Hears each issue that is not valid, which is then left out; without it an invalid issue fails the search (MalformedResponseError). */
  onInvalid?: (invalid: InvalidIssue) => void;
}

/** What an edit did: the fields JIRA took, and those it refused with its message. */
export interface EditOutcome {
  applied: string[];
  refused: RefusedField[];
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_PAGE_SIZE = 100;
// As many keys as JIRA serves issues with fields on one page (100), so a batch is one request.
const KEY_BATCH_SIZE = 100;
const READ_CONCURRENCY = 4;
// Cloud's cap on `reconcileIssues` per search.
const RECONCILE_BATCH_SIZE = 50;
const API = '/rest/api/2';
// Past this many characters the JQL travels in a POST body: a query string that long can overflow a proxy's URL limit.
const LONG_JQL = 2_000;

/** Keys a 400 of JIRA names in "An issue with key 'X' does not exist for field 'key'.": deleted or moved since. */
export function missingKeysIn(error: unknown): string[] {
  if (!(error instanceof ServiceError) || error.status !== 400) return [];
  return [...(error.detail ?? '').matchAll(/An issue with key '([^']+)' does not exist/g)].map((match) => match[1]!);
}

/** One copy per key, the last read: a write landing between two pages can move an issue across the page boundary. */
function latestCopies(issues: JiraIssue[]): JiraIssue[] {
  return [...new Map(issues.map((issue) => [issue.key, issue])).values()];
}

/** raidsync's view of JIRA REST v2 through jira.js: retried, errors as ServiceError, responses zod-parsed. */
export class JiraClient {
  private readonly api: AnsweringClient;
  private readonly host: string;
  /** Credentials to scrub from anything JIRA echoes back into an error. */
  private readonly secrets: readonly string[];
  private readonly fields: string[];
  private readonly issueSchema: ReturnType<typeof wireIssue>;

  constructor(private readonly options: JiraClientOptions) {
    // proxy: false, because axios would otherwise route even 127.0.0.1 through HTTP_PROXY.
    const baseRequestConfig = { proxy: false as const };
    const deadlineMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.api =
      'pat' in options.auth
        ? new AnsweringClient({ host: options.url, authentication: { oauth2: { accessToken: options.auth.pat } }, baseRequestConfig }, deadlineMs)
        : new AnsweringClient(
            { host: options.url, authentication: { basic: { email: options.auth.email, apiToken: options.auth.apiToken } }, baseRequestConfig },
            deadlineMs,
          );
    this.host = new URL(options.url).host;
    this.secrets = 'pat' in options.auth ? [options.auth.pat] : [options.auth.apiToken, `${options.auth.email}:${options.auth.apiToken}`];
    this.fields = issueFieldIds(options.priorityField);
    this.issueSchema = wireIssue(options.priorityField);
  }

  /** JIRA's clock now (epoch ms, to the second), from its latest answer's `Date` header; null before any answer. */
  serverNow(): number | null {
    return this.api.serverNow();
  }

  async myself(): Promise<JiraUser> {
    return this.read(`GET ${API}/myself`, wireMyself, () => this.api.myself.getCurrentUser());
  }

  /** Every issue the JQL matches, all pages, with only the fields raidsync reads. */
  async search(jql: string, options: SearchOptions = {}): Promise<JiraIssue[]> {
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    if (this.options.deployment !== 'cloud') return latestCopies(await this.searchByOffset(jql, pageSize, options));
    const reconcile = [...new Set(options.reconcileIssues ?? [])];
    for (const id of reconcile) if (!/^\d+$/.test(id)) throw new RangeError(`Not a JIRA issue id: ${JSON.stringify(id)}`);
    if (reconcile.length === 0) return latestCopies(await this.searchByToken(jql, pageSize, options, []));
    const reconciled = new Map<string, JiraIssue>();
    const indexed = new Map<string, JiraIssue>();
    for (let start = 0; start < reconcile.length; start += RECONCILE_BATCH_SIZE) {
      const batch = reconcile.slice(start, start + RECONCILE_BATCH_SIZE);
      for (const issue of latestCopies(await this.searchByToken(jql, pageSize, options, batch))) {
        (batch.includes(issue.id) ? reconciled : indexed).set(issue.key, issue);
      }
    }
    // A reconciled issue is as its own batch saw it, or gone from the answer when it no longer matches.
    const stale = new Set(reconcile);
    return [...reconciled.values(), ...[...indexed.values()].filter((issue) => !stale.has(issue.id))];
  }

  /**
   * Issues with these keys, in batched `key in (...)` searches; keys JIRA does not know are left out. `onBatch` hears how
   * many were searched so far. Cloud: keys in `reconcile` (key → issue id) are answered from JIRA's database, not its
   * lagging index, 50 to a search; Data Center's search is consistent, so there they are searched like the others.
   */
  async getIssuesByKeys(
    keys: string[],
    onBatch?: (searched: number, total: number) => void,
    onInvalid?: (invalid: InvalidIssue) => void,
    reconcile: ReadonlyMap<string, string> = new Map(),
  ): Promise<JiraIssue[]> {
    for (const key of keys) assertIssueKey(key);
    const unique = [...new Set(keys)];
    const consistent = this.options.deployment === 'cloud' ? unique.filter((key) => reconcile.has(key)) : [];
    const indexed = unique.filter((key) => !consistent.includes(key));
    const batches: Array<{ keys: string[]; reconcile: string[] }> = [];
    for (let start = 0; start < consistent.length; start += RECONCILE_BATCH_SIZE) {
      const batch = consistent.slice(start, start + RECONCILE_BATCH_SIZE);
      batches.push({ keys: batch, reconcile: batch.map((key) => reconcile.get(key) as string) });
    }
    for (let start = 0; start < indexed.length; start += KEY_BATCH_SIZE) batches.push({ keys: indexed.slice(start, start + KEY_BATCH_SIZE), reconcile: [] });
    const found: JiraIssue[][] = [];
    let searched = 0;
    // Batches are independent: several in flight at once, within the host's limiter.
    await forEachConcurrently(batches, READ_CONCURRENCY, async (batch, index) => {
      found[index] = await this.searchKnownKeys(batch.keys, batch.reconcile, onInvalid);
      searched += batch.keys.length;
      onBatch?.(searched, unique.length);
    });
    return found.flat();
  }

  async getIssue(key: string): Promise<JiraIssue> {
    assertIssueKey(key);
    return this.read(`GET ${API}/issue/${key}`, this.issueSchema, () =>
      this.api.issues.getIssue({ issueIdOrKey: key, fields: this.fields }),
    );
  }

  /** One PUT of all `fields`; a 400 naming fields rejects with a FieldsRefusedError listing them. */
  async editIssue(key: string, fields: Record<string, unknown>): Promise<void> {
    assertIssueKey(key);
    const notifyUsers = this.options.notifyUsers === false ? false : undefined;
    await this.write(`PUT ${API}/issue/${key}`, () => this.api.issues.editIssue({ issueIdOrKey: key, fields, notifyUsers }));
  }

  /**
   * Edits `fields`, and when JIRA refuses some by name (an unassignable user, a field off the edit screen), sends the
   * rest again without them: one refused field never holds back the others. Any other failure rejects as editIssue does.
   */
  async editIssueFields(key: string, fields: Record<string, unknown>): Promise<EditOutcome> {
    const remaining = { ...fields };
    const refused: RefusedField[] = [];
    while (Object.keys(remaining).length > 0) {
      try {
        await this.editIssue(key, remaining);
        return { applied: Object.keys(remaining), refused };
      } catch (error) {
        const named = error instanceof FieldsRefusedError ? error.refused.filter((field) => Object.hasOwn(remaining, field.field)) : [];
        if (named.length === 0) throw error;
        for (const field of named) delete remaining[field.field];
        refused.push(...named);
      }
    }
    return { applied: [], refused };
  }

  async getTransitions(key: string): Promise<JiraTransition[]> {
    assertIssueKey(key);
    return this.read(`GET ${API}/issue/${key}/transitions`, wireTransitions, () =>
      this.api.issues.getTransitions({ issueIdOrKey: key, expand: 'transitions.fields' }),
    );
  }

  async doTransition(key: string, transitionId: string, fields?: Record<string, unknown>): Promise<void> {
    assertIssueKey(key);
    await this.write(`POST ${API}/issue/${key}/transitions`, () =>
      this.api.issues.doTransition({ issueIdOrKey: key, transition: { id: transitionId }, ...(fields ? { fields } : {}) }),
    );
  }

  /** The key of some issue of `project` (now in `status`, if given), or null: one page of one issue. */
  async issueKeyInStatus(project: string, status: string | null): Promise<string | null> {
    const jql = `project = ${jqlString(project)}${status === null ? '' : ` AND status = ${jqlString(status)}`} ORDER BY key`;
    const page =
      this.options.deployment === 'cloud'
        ? await this.read(`GET ${API}/search/jql`, wireIssueKeys, () => this.api.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql, maxResults: 1, fields: ['status'] }))
        : await this.read(`GET ${API}/search`, wireIssueKeys, () => this.api.issueSearch.searchForIssuesUsingJql({ jql, maxResults: 1, fields: ['status'] }));
    return page[0] ?? null;
  }

  /** The statuses of the project's workflows, all issue types together. */
  async projectStatuses(project: string): Promise<string[]> {
    const types = await this.read(`GET ${API}/project/${project}/statuses`, wireProjectStatuses, () => this.api.projects.getAllStatuses({ projectIdOrKey: project }));
    return [...new Set(types.flatMap((type) => type.statuses.map((status) => status.name)))];
  }

  /** Ids of the fields JIRA knows, system and custom. */
  async fieldIds(): Promise<string[]> {
    return this.read(`GET ${API}/field`, wireFieldIds, () => this.api.issueFields.getFields());
  }

  /** The project and issue type that decide which workflow the issue follows. */
  async workflowScope(key: string): Promise<WorkflowScope> {
    assertIssueKey(key);
    return this.read(`GET ${API}/issue/${key}`, wireWorkflowScope, () => this.api.issues.getIssue({ issueIdOrKey: key, fields: ['project', 'issuetype'] }));
  }

  /** The workflow of a project and issue type from Cloud's workflow API (`POST /workflows`); null if JIRA returns none. */
  async readWorkflow(scope: WorkflowScope): Promise<JiraWorkflow | null> {
    // A read sent as POST: idempotent, so it is retried like a GET.
    return this.read(`POST ${API}/workflows`, wireWorkflows, () =>
      this.api.workflows.readWorkflows({ projectAndIssueTypes: [{ projectId: scope.projectId, issueTypeId: scope.issueTypeId }], useTransitionLinksFormat: true }),
    );
  }

  /** Raw candidates: Cloud prefix-matches `query`, DC matches `username`; the caller keeps exact email matches. */
  async findUsersByEmail(email: string): Promise<JiraUser[]> {
    // An empty email (a commander FireFighter knows only from Slack) is nobody's: JIRA would match every user or refuse it.
    if (email === '') return [];
    const parameters = this.options.deployment === 'cloud' ? { query: email } : { username: email };
    return this.read(`GET ${API}/user/search`, wireUserList, () => this.api.userSearch.findUsers(parameters));
  }

  /** Creates an issue with its entity properties in one request. Never retried once sent: a resend could make a second ticket. */
  async createIssue(fields: Record<string, unknown>, properties: ReadonlyArray<{ key: string; value: unknown }>): Promise<{ id: string; key: string }> {
    const endpoint = `POST ${API}/issue`;
    const answer = await this.send(endpoint, false, () =>
      this.api.answerTo(() =>
        this.api.issues.createIssue({ fields: fields as Parameters<Version2Client['issues']['createIssue']>[0]['fields'], properties: properties.map((property) => ({ ...property })) }),
      ),
    );
    // JIRA answers 201 with the issue's id, key and self; anything else may not have created it.
    if (answer.status !== 201 || typeof answer.body !== 'object' || answer.body === null) {
      throw new UnexpectedAnswerError('jira', endpoint, describeAnswer(answer.status, answer.contentType), '201 with the new issue');
    }
    return parseWire(wireCreatedIssue, answer.body, endpoint);
  }

  /** Links the issue to a page outside JIRA; the same `globalId` again updates that link, so a resend is harmless. */
  async addRemoteLink(key: string, link: { globalId: string; url: string; title: string }): Promise<void> {
    assertIssueKey(key);
    await this.read(`POST ${API}/issue/${key}/remotelink`, wireRemoteLinkId, () =>
      this.api.issueRemoteLinks.createOrUpdateRemoteIssueLink({ issueIdOrKey: key, globalId: link.globalId, object: { url: link.url, title: link.title } }),
    );
  }

  /** The field ids on the create screen of `issueType` in `project`, or null when the project has no such issue type. */
  async createScreenFields(project: string, issueType: string): Promise<string[] | null> {
    const types = await this.read(`GET ${API}/issue/createmeta/${project}/issuetypes`, wireCreateIssueTypes, () =>
      this.api.issues.getCreateIssueMetaIssueTypes({ projectIdOrKey: project }),
    );
    const type = types.find((candidate) => candidate.name === issueType);
    if (!type) return null;
    return this.read(`GET ${API}/issue/createmeta/${project}/issuetypes/${type.id}`, wireCreateScreenFields, () =>
      this.api.issues.getCreateIssueMetaIssueTypeId({ projectIdOrKey: project, issueTypeId: type.id, maxResults: 200 }),
    );
  }

  async priorities(): Promise<Array<{ id: string; name: string }>> {
    return this.read(`GET ${API}/priority`, wirePriorities, () => this.api.issuePriorities.getPriorities());
  }

  private async searchByToken(jql: string, pageSize: number, options: SearchOptions, reconcileIds: string[]): Promise<JiraIssue[]> {
    const reconcileIssues = reconcileIds.length > 0 ? reconcileIds.map(Number) : undefined;
    const post = jql.length > LONG_JQL;
    const endpoint = `${post ? 'POST' : 'GET'} ${API}/search/jql`;
    const issues: JiraIssue[] = [];
    let nextPageToken: string | undefined;
    for (;;) {
      const token = nextPageToken;
      const parameters = { jql, nextPageToken: token, maxResults: pageSize, fields: this.fields, reconcileIssues };
      const page = await this.read(endpoint, wireEnhancedSearchPage, () =>
        post ? this.api.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost(parameters) : this.api.issueSearch.searchForIssuesUsingJqlEnhancedSearch(parameters),
      );
      issues.push(...parseSearchIssues(this.issueSchema, page.issues, endpoint, options.onInvalid));
      options.onPage?.(issues.length);
      if (page.isLast === true || !page.nextPageToken) return issues;
      if (page.nextPageToken === token) throw new MalformedResponseError('jira', endpoint, 'nextPageToken', 'repeats the token of the page it was sent with');
      nextPageToken = page.nextPageToken;
    }
  }

  private async searchByOffset(jql: string, pageSize: number, options: SearchOptions): Promise<JiraIssue[]> {
    const post = jql.length > LONG_JQL;
    const endpoint = `${post ? 'POST' : 'GET'} ${API}/search`;
    const issues: JiraIssue[] = [];
    // Counts invalid issues too: the offset walks JIRA's result, whatever raidsync keeps of it.
    let startAt = 0;
    for (;;) {
      const parameters = { jql, startAt, maxResults: pageSize, fields: this.fields };
      const page = await this.read(endpoint, wireLegacySearchPage, () =>
        post ? this.api.issueSearch.searchForIssuesUsingJqlPost(parameters) : this.api.issueSearch.searchForIssuesUsingJql(parameters),
      );
      issues.push(...parseSearchIssues(this.issueSchema, page.issues, endpoint, options.onInvalid));
      startAt += page.issues.length;
      options.onPage?.(issues.length);
      if (page.issues.length === 0 || startAt >= page.total) return issues;
    }
  }

  /** JIRA rejects the whole query when one key is unknown (deleted, moved); retry without the keys it names. */
  private async searchKnownKeys(keys: string[], reconcileIssues: string[], onInvalid?: (invalid: InvalidIssue) => void): Promise<JiraIssue[]> {
    let remaining = keys;
    while (remaining.length > 0) {
      try {
        return await this.search(keyInJql(remaining), { pageSize: remaining.length, reconcileIssues, ...(onInvalid ? { onInvalid } : {}) });
      } catch (error) {
        const missing = missingKeysIn(error);
        const next = remaining.filter((key) => !missing.includes(key));
        if (next.length === remaining.length) throw error;
        remaining = next;
      }
    }
    return [];
  }

  private async read<S extends z.ZodType>(endpoint: string, schema: S, send: () => Promise<unknown>): Promise<z.output<S>> {
    const body = await this.send(endpoint, true, send);
    return parseWire(schema, body, endpoint);
  }

  /** Edits and transitions answer 204 with no body; any other answer (a proxy's 200 sign-in page) may not have applied them. */
  private async write(endpoint: string, send: () => Promise<unknown>): Promise<void> {
    const answer = await this.send(endpoint, false, () => this.api.answerTo(send));
    if (answer.status !== 204) throw new UnexpectedAnswerError('jira', endpoint, describeAnswer(answer.status, answer.contentType), '204 with no body');
  }

  private send<T>(endpoint: string, idempotent: boolean, send: () => Promise<T>): Promise<T> {
    return withRetry(
      async () => {
        try {
          return await send();
        } catch (error) {
          throw toServiceError(error, endpoint, this.secrets);
        }
      },
      { idempotent, host: this.host, endpoint },
    );
  }
}
