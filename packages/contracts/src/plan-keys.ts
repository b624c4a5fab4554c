/**
 * A stable plan item key from a title: lower-case words joined by `-` (at most 64 chars), or `item`. The `plan` tool
 * keys items created without a key this way, and a `plan` node completes an item named by `item_title` with it.
 */
export function itemKeyFromTitle(title: string): string {
  const slug = title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '');
  return slug || 'item';
}
