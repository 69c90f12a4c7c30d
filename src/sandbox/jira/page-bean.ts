/** Atlassian's PageBean: one page of `items` with its `self` and, unless last, its `nextPage` link. */
export function pageBean<T, R>(self: string, items: readonly T[], startAt: number, maxResults: number, render: (item: T) => R) {
  const isLast = startAt + maxResults >= items.length;
  return {
    self: `${self}?maxResults=${maxResults}&startAt=${startAt}`,
    ...(isLast ? {} : { nextPage: `${self}?maxResults=${maxResults}&startAt=${startAt + maxResults}` }),
    maxResults,
    startAt,
    total: items.length,
    isLast,
    values: items.slice(startAt, startAt + maxResults).map(render),
  };
}
