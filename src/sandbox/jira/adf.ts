/** Atlassian Document Format, the rich-text shape REST v3 uses where v2 uses plain strings. */
export interface AdfNode {
  type: string;
  text?: string;
  version?: number;
  content?: AdfNode[];
}

/** One paragraph per line, so `adfToText(textToAdf(s)) === s` for text without carriage returns. */
export function textToAdf(text: string): AdfNode {
  return {
    type: 'doc',
    version: 1,
    content: text.split('\n').map((line) => ({
      type: 'paragraph',
      content: line === '' ? [] : [{ type: 'text', text: line }],
    })),
  };
}

export function adfToText(node: AdfNode): string {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  const children = (node.content ?? []).map(adfToText);
  return node.type === 'doc' ? children.join('\n') : children.join('');
}

export function isAdfDocument(value: unknown): value is AdfNode {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'doc';
}
