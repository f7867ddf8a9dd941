/** Messages Slack is asked for in one read of a conversation or thread (its most is 1000). */
export const PAGE_SIZE = 200;

/** Reads of one conversation or thread at most: a round holds a few hundred messages. */
const MAX_PAGES = 10;

/** One answer of a cursor-paged listing (`conversations.replies`, `conversations.history`). */
interface Listing<T> {
  readonly messages?: T[];
  readonly response_metadata?: { readonly next_cursor?: string };
}

/**
 * The pages of a cursor-paged listing, one read at a time (`read` is given the cursor of the
 * next page, none for the first), up to `MAX_PAGES`: a caller that has found what it wanted
 * stops reading by leaving the loop.
 */
export async function* pagesOf<T>(
  read: (cursor: string | undefined) => Promise<Listing<T>>,
): AsyncGenerator<T[]> {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await read(cursor);
    yield result.messages ?? [];
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) return;
  }
}
