import { badRequest } from './errors.js';
import type { IssueFields } from './store.js';

/** The JQL subset raidsync sends; anything else is refused the way JIRA refuses bad JQL (400). */
export type JqlClause =
  | { field: 'project' | 'key' | 'labels' | 'status'; values: string[] }
  | { field: 'updated' | 'created'; operator: '>=' | '>' | '<=' | '<'; at: number };

export interface JqlOrder {
  field: 'updated' | 'created' | 'key';
  direction: 'ASC' | 'DESC';
}

export interface JqlQuery {
  clauses: JqlClause[];
  orderBy: JqlOrder[];
}

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'symbol'; text: string; at: number };

const OPERATORS = ['>=', '<=', '!=', '=', '>', '<'];
const SYMBOLS = ['(', ')', ','];

function jqlError(detail: string, at: number): Error {
  return badRequest(`Error in the JQL Query: ${detail} (line 1, character ${at + 1})`);
}

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < jql.length) {
    const char = jql[index]!;
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    const operator = OPERATORS.find((candidate) => jql.startsWith(candidate, index));
    if (operator || SYMBOLS.includes(char)) {
      const text = operator ?? char;
      tokens.push({ kind: 'symbol', text, at: index });
      index += text.length;
      continue;
    }
    if (char === '"' || char === "'") {
      let text = '';
      let cursor = index + 1;
      while (cursor < jql.length && jql[cursor] !== char) {
        if (jql[cursor] === '\\' && cursor + 1 < jql.length) cursor++;
        text += jql[cursor];
        cursor++;
      }
      if (cursor >= jql.length) throw jqlError('The quoted string has not been completed.', index);
      tokens.push({ kind: 'string', text, at: index });
      index = cursor + 1;
      continue;
    }
    const word = /^[^\s=!<>(),"']+/.exec(jql.slice(index));
    if (!word) throw jqlError(`The character '${char}' is a reserved JQL character.`, index);
    tokens.push({ kind: 'word', text: word[0], at: index });
    index += word[0].length;
  }
  return tokens;
}

class JqlParser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  parse(): JqlQuery {
    const clauses: JqlClause[] = [];
    if (this.peek() && !this.peekKeyword('ORDER')) {
      clauses.push(this.clause());
      while (this.peekKeyword('AND')) {
        this.position++;
        clauses.push(this.clause());
      }
    }
    const orderBy = this.peekKeyword('ORDER') ? this.orderBy() : [];
    const rest = this.peek();
    if (rest) {
      const detail = /^(or|not)$/i.test(rest.text)
        ? `'${rest.text.toUpperCase()}' is not supported by the JIRA emulator.`
        : `Expecting either 'OR' or 'AND' but got '${rest.text}'.`;
      throw jqlError(detail, rest.at);
    }
    return { clauses, orderBy };
  }

  private clause(): JqlClause {
    const fieldToken = this.next('a field name');
    if (fieldToken.kind === 'symbol') throw jqlError(`Expecting a field name but got '${fieldToken.text}'.`, fieldToken.at);
    const field = fieldToken.text.toLowerCase();
    const operatorToken = this.next('an operator');
    const operator = operatorToken.kind === 'symbol' ? operatorToken.text : operatorToken.text.toUpperCase();
    if (operator !== 'IN' && !OPERATORS.includes(operator))
      throw jqlError(
        `Expecting operator but got '${operatorToken.text}'. The valid operators are '=', '!=', '<', '>', '<=', '>=', 'IN'.`,
        operatorToken.at,
      );
    switch (field) {
      case 'project':
      case 'key':
      case 'issuekey':
      case 'labels':
      case 'status': {
        if (operator !== '=' && operator !== 'IN') throw unsupportedOperator(operator, fieldToken.text);
        const values = operator === 'IN' ? this.valueList() : [this.value()];
        return { field: field === 'issuekey' ? 'key' : field, values };
      }
      case 'updated':
      case 'created': {
        if (operator !== '>=' && operator !== '>' && operator !== '<=' && operator !== '<')
          throw unsupportedOperator(operator, fieldToken.text);
        const raw = this.value();
        return { field, operator, at: parseJqlDate(raw, field) };
      }
      default:
        throw badRequest(`Field '${fieldToken.text}' does not exist or you do not have permission to view it.`);
    }
  }

  private orderBy(): JqlOrder[] {
    this.position++;
    if (!this.peekKeyword('BY')) throw jqlError("Expecting 'by' after 'order'.", this.peek()?.at ?? this.length);
    this.position++;
    const order: JqlOrder[] = [];
    do {
      if (order.length > 0) this.position++;
      const fieldToken = this.next('a field name');
      const field = fieldToken.text.toLowerCase();
      if (field !== 'updated' && field !== 'created' && field !== 'key')
        throw badRequest(`Field '${fieldToken.text}' does not exist or you do not have permission to view it.`);
      let direction: JqlOrder['direction'] = 'ASC';
      if (this.peekKeyword('ASC') || this.peekKeyword('DESC')) direction = this.next('a direction').text.toUpperCase() as JqlOrder['direction'];
      order.push({ field, direction });
    } while (this.peek()?.text === ',');
    return order;
  }

  private valueList(): string[] {
    const open = this.next("'('");
    if (open.text !== '(') throw jqlError(`Expecting '(' but got '${open.text}'.`, open.at);
    const values = [this.value()];
    while (this.peek()?.text === ',') {
      this.position++;
      values.push(this.value());
    }
    const close = this.next("')'");
    if (close.text !== ')') throw jqlError(`Expecting ')' but got '${close.text}'.`, close.at);
    return values;
  }

  private value(): string {
    const token = this.next('a value');
    if (token.kind === 'symbol') throw jqlError(`Expecting a value but got '${token.text}'.`, token.at);
    return token.text;
  }

  private next(expected: string): Token {
    const token = this.tokens[this.position];
    if (!token) throw jqlError(`Expecting ${expected} but reached the end of the query.`, this.length);
    this.position++;
    return token;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private peekKeyword(keyword: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && token.text.toUpperCase() === keyword;
  }
}

function unsupportedOperator(operator: string, field: string): Error {
  return badRequest(`The operator '${operator}' is not supported by the '${field}' field.`);
}

const RELATIVE_UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** JQL dates: `yyyy-MM-dd[ HH:mm]`, `yyyy/MM/dd[ HH:mm]`, epoch ms, or `-5m`-style periods; read as UTC, where JIRA would use the searching user's time zone. */
export function parseJqlDate(raw: string, field: string, now = Date.now()): number {
  if (/^\d{10,}$/.test(raw)) return Number(raw);
  const relative = /^([+-]?)(\d+)([mhdw])$/.exec(raw);
  if (relative) return now + (relative[1] === '-' ? -1 : 1) * Number(relative[2]) * RELATIVE_UNITS[relative[3]!]!;
  const absolute = /^(\d{4})[-/](\d{2})[-/](\d{2})(?: (\d{2}):(\d{2}))?$/.exec(raw);
  if (absolute) {
    const [, year, month, day, hour = '00', minute = '00'] = absolute;
    const at = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute));
    const roundTrip = new Date(at);
    if (roundTrip.getUTCMonth() === Number(month) - 1 && roundTrip.getUTCDate() === Number(day) && Number(hour) < 24 && Number(minute) < 60)
      return at;
  }
  throw badRequest(
    `Date value '${raw}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
  );
}

export function parseJql(jql: string): JqlQuery {
  return new JqlParser(tokenize(jql), jql.length).parse();
}

/** Values JIRA checks against its data before running the query. */
export function checkJqlValues(query: JqlQuery, knownKeys: (key: string) => boolean, knownProject: (key: string) => boolean): void {
  for (const clause of query.clauses) {
    if (clause.field === 'key') {
      for (const key of clause.values) {
        if (!/^[A-Za-z][A-Za-z0-9_]*-\d+$/.test(key) && !/^\d+$/.test(key))
          throw badRequest(`The issue key '${key}' for field 'key' is invalid.`);
        if (!knownKeys(key)) throw badRequest(`An issue with key '${key}' does not exist for field 'key'.`);
      }
    }
    if (clause.field === 'project') {
      for (const project of clause.values) {
        if (!knownProject(project)) throw badRequest(`The value '${project}' does not exist for the field 'project'.`);
      }
    }
  }
}

/** `statusName` names the issue's status, which JQL matches by name, case-insensitively. */
export function matchesJql(query: JqlQuery, issue: IssueFields, statusName: (issue: IssueFields) => string): boolean {
  return query.clauses.every((clause) => {
    switch (clause.field) {
      case 'status':
        return clause.values.some((value) => value.toLowerCase() === statusName(issue).toLowerCase());
      case 'project':
        return clause.values.some((value) => value.toUpperCase() === issue.projectKey);
      case 'key':
        return clause.values.some((value) => value.toUpperCase() === issue.key || value === issue.id);
      case 'labels':
        return clause.values.some((value) => issue.labels.includes(value));
      case 'updated':
      case 'created':
        return compareTime(issue[clause.field], clause.operator, clause.at);
    }
  });
}

function compareTime(value: number, operator: '>=' | '>' | '<=' | '<', at: number): boolean {
  if (operator === '>=') return value >= at;
  if (operator === '>') return value > at;
  if (operator === '<=') return value <= at;
  return value < at;
}

function keyOrder(a: IssueFields, b: IssueFields): number {
  const [projectA = '', numberA = '0'] = a.key.split('-');
  const [projectB = '', numberB = '0'] = b.key.split('-');
  return projectA === projectB ? Number(numberA) - Number(numberB) : projectA < projectB ? -1 : 1;
}

/** Sorts as the ORDER BY says; JIRA's default order for a query without one is by key, newest first. */
export function sortByJql(query: JqlQuery, issues: IssueFields[]): IssueFields[] {
  const order: JqlOrder[] = query.orderBy.length > 0 ? query.orderBy : [{ field: 'key', direction: 'DESC' }];
  return [...issues].sort((a, b) => {
    for (const { field, direction } of order) {
      const difference = field === 'key' ? keyOrder(a, b) : a[field] - b[field];
      if (difference !== 0) return direction === 'ASC' ? difference : -difference;
    }
    return keyOrder(a, b);
  });
}
