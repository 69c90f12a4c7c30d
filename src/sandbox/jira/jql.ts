import { badRequest } from './errors.js';
import type { IssueFields } from './store.js';

/** The JQL subset raidsync sends; anything else is refused the way JIRA refuses bad JQL (400). */
export type JqlClause = MembershipClause | TimeClause;

interface MembershipClause {
  kind: 'clause';
  field: 'project' | 'key' | 'labels' | 'status';
  operator: MembershipOperator;
  values: string[];
}

interface TimeClause {
  kind: 'clause';
  field: 'updated' | 'created';
  operator: TimeOperator;
  at: number;
}

type MembershipOperator = '=' | '!=' | 'IN' | 'NOT IN';
type TimeOperator = '>=' | '>' | '<=' | '<';

/** A where-expression as JIRA's grammar groups it: NOT binds tighter than AND, AND tighter than OR. */
export type JqlExpr = JqlClause | { kind: 'and'; parts: JqlExpr[] } | { kind: 'or'; parts: JqlExpr[] } | { kind: 'not'; operand: JqlExpr };

export interface JqlOrder {
  field: 'updated' | 'created' | 'key';
  direction: 'ASC' | 'DESC';
}

export interface JqlQuery {
  /** Undefined when the query restricts nothing (empty, or only ORDER BY). */
  where: JqlExpr | undefined;
  orderBy: JqlOrder[];
}

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'symbol'; text: string; at: number };

const OPERATORS = ['>=', '<=', '!=', '=', '>', '<'];
// `!` is NOT's other spelling in JIRA's grammar (Jql.g: `notClause : (NOT | BANG) notClause`).
const SYMBOLS = ['(', ')', ',', '!'];
// Words JIRA's lexer reads as keywords, never as a field name.
const KEYWORDS = ['AND', 'OR', 'NOT', 'IN', 'IS', 'ORDER', 'BY', 'EMPTY', 'NULL'];
const VALID_OPERATORS = "'=', '!=', '<', '>', '<=', '>=', 'IN', 'NOT IN'";

// JIRA's sentences for a query that ends too soon carry no position; the value one says "Error in JQL Query".
const FIELD_AT_END = 'Error in the JQL Query: Expecting a field name at the end of the query.';
const OPERATOR_AT_END = `Error in the JQL Query: Expecting operator before the end of the query. The valid operators are ${VALID_OPERATORS}.`;
const VALUE_AT_END = 'Error in JQL Query: Expecting either a value, list or function before the end of the query.';

function expectedAtEnd(text: string): string {
  return `Error in the JQL Query: Expecting '${text}' before the end of the query.`;
}

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

function isMembershipOperator(operator: string): operator is MembershipOperator {
  return operator === '=' || operator === '!=' || operator === 'IN' || operator === 'NOT IN';
}

function isTimeOperator(operator: string): operator is TimeOperator {
  return operator === '>=' || operator === '>' || operator === '<=' || operator === '<';
}

/** Recursive descent over JIRA's grammar: query := [or] [ORDER BY ...]; or := and (OR and)*; and := not (AND not)*; not := (NOT | !) not | ( or ) | clause. */
class JqlParser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): JqlQuery {
    const where = this.peek() && !this.peekKeyword('ORDER') ? this.or() : undefined;
    const orderBy = this.peekKeyword('ORDER') ? this.orderBy() : [];
    const rest = this.peek();
    if (rest) throw jqlError(`Expecting either 'OR' or 'AND' but got '${rest.text}'.`, rest.at);
    return { where, orderBy };
  }

  private or(): JqlExpr {
    const parts = [this.and()];
    while (this.takeKeyword('OR')) parts.push(this.and());
    return parts.length === 1 ? parts[0]! : { kind: 'or', parts };
  }

  private and(): JqlExpr {
    const parts = [this.not()];
    while (this.takeKeyword('AND')) parts.push(this.not());
    return parts.length === 1 ? parts[0]! : { kind: 'and', parts };
  }

  private not(): JqlExpr {
    if (this.takeKeyword('NOT') || this.takeSymbol('!')) return { kind: 'not', operand: this.not() };
    if (!this.takeSymbol('(')) return this.clause();
    const inner = this.or();
    this.expectSymbol(')');
    return inner;
  }

  private clause(): JqlClause {
    const fieldToken = this.next(FIELD_AT_END);
    if (fieldToken.kind === 'symbol' || (fieldToken.kind === 'word' && KEYWORDS.includes(fieldToken.text.toUpperCase())))
      throw jqlError(
        `Expecting a field name but got '${fieldToken.text}'. You must surround '${fieldToken.text}' in quotation marks to use it as a field name.`,
        fieldToken.at,
      );
    const field = fieldToken.text.toLowerCase();
    const operator = this.operator();
    switch (field) {
      case 'project':
      case 'key':
      case 'issuekey':
      case 'labels':
      case 'status': {
        if (!isMembershipOperator(operator)) throw unsupportedOperator(operator, fieldToken.text);
        const values = operator === 'IN' || operator === 'NOT IN' ? this.valueList() : [this.value()];
        return { kind: 'clause', field: field === 'issuekey' ? 'key' : field, operator, values };
      }
      case 'updated':
      case 'created': {
        if (!isTimeOperator(operator)) throw unsupportedOperator(operator, fieldToken.text);
        return { kind: 'clause', field, operator, at: parseJqlDate(this.value(), field) };
      }
      default:
        throw badRequest(`Field '${fieldToken.text}' does not exist or you do not have permission to view it.`);
    }
  }

  private operator(): string {
    const token = this.next(OPERATOR_AT_END);
    if (token.kind === 'symbol' && OPERATORS.includes(token.text)) return token.text;
    const word = token.kind === 'word' ? token.text.toUpperCase() : '';
    if (word === 'IN') return 'IN';
    if (word === 'NOT') {
      if (!this.takeKeyword('IN')) {
        const next = this.next(expectedAtEnd('IN'));
        throw jqlError(`Expecting 'IN' but got '${next.text}'.`, next.at);
      }
      return 'NOT IN';
    }
    throw jqlError(`Expecting operator but got '${token.text}'. The valid operators are ${VALID_OPERATORS}.`, token.at);
  }

  private orderBy(): JqlOrder[] {
    this.position++;
    if (!this.takeKeyword('BY')) {
      const next = this.next(expectedAtEnd('BY'));
      throw jqlError("Expecting 'by' after 'order'.", next.at);
    }
    const order: JqlOrder[] = [];
    do {
      const fieldToken = this.next(FIELD_AT_END);
      const field = fieldToken.text.toLowerCase();
      if (field !== 'updated' && field !== 'created' && field !== 'key')
        throw badRequest(`Field '${fieldToken.text}' does not exist or you do not have permission to view it.`);
      let direction: JqlOrder['direction'] = 'ASC';
      if (this.takeKeyword('DESC')) direction = 'DESC';
      else this.takeKeyword('ASC');
      order.push({ field, direction });
    } while (this.takeSymbol(','));
    return order;
  }

  private valueList(): string[] {
    const open = this.next(VALUE_AT_END);
    if (open.kind !== 'symbol' || open.text !== '(') throw jqlError(`Expecting '(' but got '${open.text}'.`, open.at);
    const values = [this.value()];
    while (this.takeSymbol(',')) values.push(this.value());
    this.expectSymbol(')');
    return values;
  }

  private value(): string {
    const token = this.next(VALUE_AT_END);
    if (token.kind === 'symbol') throw jqlError(`Expecting a value but got '${token.text}'.`, token.at);
    return token.text;
  }

  private expectSymbol(symbol: string): void {
    const token = this.next(expectedAtEnd(symbol));
    if (token.kind !== 'symbol' || token.text !== symbol) throw jqlError(`Expecting '${symbol}' but got '${token.text}'.`, token.at);
  }

  /** The next token; `atEnd` is JIRA's whole message for a query that stops here. */
  private next(atEnd: string): Token {
    const token = this.tokens[this.position];
    if (!token) throw badRequest(atEnd);
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

  private takeKeyword(keyword: string): boolean {
    if (!this.peekKeyword(keyword)) return false;
    this.position++;
    return true;
  }

  private takeSymbol(symbol: string): boolean {
    const token = this.peek();
    if (token?.kind !== 'symbol' || token.text !== symbol) return false;
    this.position++;
    return true;
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
  return new JqlParser(tokenize(jql)).parse();
}

function clausesOf(expr: JqlExpr | undefined): JqlClause[] {
  if (!expr) return [];
  if (expr.kind === 'clause') return [expr];
  if (expr.kind === 'not') return clausesOf(expr.operand);
  return expr.parts.flatMap(clausesOf);
}

/** Values JIRA checks against its data before running the query, wherever they appear (under NOT too). */
export function checkJqlValues(query: JqlQuery, knownKeys: (key: string) => boolean, knownProject: (key: string) => boolean): void {
  for (const clause of clausesOf(query.where)) {
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

function conjuncts(expr: JqlExpr): JqlExpr[] {
  return expr.kind === 'and' ? expr.parts.flatMap(conjuncts) : [expr];
}

/** The keys every match must have (from a `key =` or `key in` the whole query is ANDed with), or undefined when any issue could match. */
export function restrictedKeys(query: JqlQuery): string[] | undefined {
  if (!query.where) return undefined;
  const restriction = conjuncts(query.where).find(
    (part): part is MembershipClause => part.kind === 'clause' && part.field === 'key' && (part.operator === '=' || part.operator === 'IN'),
  );
  return restriction?.values;
}

const NEGATED_TIME: Record<TimeOperator, TimeOperator> = { '>=': '<', '>': '<=', '<=': '>', '<': '>=' };
const NEGATED_MEMBERSHIP: Record<MembershipOperator, MembershipOperator> = { '=': '!=', '!=': '=', IN: 'NOT IN', 'NOT IN': 'IN' };

/** `statusName` names the issue's status, which JQL matches by name, case-insensitively. */
export function matchesJql(query: JqlQuery, issue: IssueFields, statusName: (issue: IssueFields) => string): boolean {
  return query.where === undefined || holds(query.where, false, issue, statusName);
}

/** JIRA removes NOT by De Morgan's law, flipping each clause's operator (DeMorgansVisitor), so `NOT labels = x` is `labels != x`. */
function holds(expr: JqlExpr, negated: boolean, issue: IssueFields, statusName: (issue: IssueFields) => string): boolean {
  switch (expr.kind) {
    case 'not':
      return holds(expr.operand, !negated, issue, statusName);
    case 'and':
    case 'or': {
      const every = (expr.kind === 'and') !== negated;
      const test = (part: JqlExpr) => holds(part, negated, issue, statusName);
      return every ? expr.parts.every(test) : expr.parts.some(test);
    }
    case 'clause':
      if ('at' in expr) return compareTime(issue[expr.field], negated ? NEGATED_TIME[expr.operator] : expr.operator, expr.at);
      return matchesMembership(expr, negated ? NEGATED_MEMBERSHIP[expr.operator] : expr.operator, issue, statusName);
  }
}

function matchesMembership(
  clause: MembershipClause,
  operator: MembershipOperator,
  issue: IssueFields,
  statusName: (issue: IssueFields) => string,
): boolean {
  const named = clause.values.some((value) => {
    switch (clause.field) {
      case 'status':
        return value.toLowerCase() === statusName(issue).toLowerCase();
      case 'project':
        return value.toUpperCase() === issue.projectKey;
      case 'key':
        return value.toUpperCase() === issue.key || value === issue.id;
      case 'labels':
        return issue.labels.includes(value);
    }
  });
  if (operator === '=' || operator === 'IN') return named;
  // JIRA's `!=` and NOT IN never match an empty field ("component != fred will only match issues that have a component").
  return !named && (clause.field !== 'labels' || issue.labels.length > 0);
}

function compareTime(value: number, operator: TimeOperator, at: number): boolean {
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
