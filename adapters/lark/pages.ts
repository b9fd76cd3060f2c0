/**
 * Lark's paged list endpoints, read to the end. The SDK's own `…WithIterator` helpers swallow a
 * failed page as an empty last one; this throws instead, so a refusal is not taken for "nobody".
 */

export interface LarkPage<T> {
  code?: number;
  msg?: string;
  data?: { items?: T[]; has_more?: boolean; page_token?: string };
}

export class LarkListError extends Error {
  override name = 'LarkListError';
  constructor(
    readonly body: { code?: number; msg?: string },
  ) {
    super(`Lark code ${body.code ?? '?'}: ${body.msg ?? 'no message'}`);
  }
}

/** At most this many pages: a token that never ends must not spin forever. */
const MAX_PAGES = 200;

export async function allPages<T>(fetchPage: (pageToken: string | undefined) => Promise<LarkPage<T>>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const res = await fetchPage(token);
    if (res.code !== 0) throw new LarkListError(res);
    items.push(...(res.data?.items ?? []));
    token = res.data?.page_token;
    if (!res.data?.has_more || !token) break;
  }
  return items;
}
