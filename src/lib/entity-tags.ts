// Entity-tag lists of If-Match and If-None-Match (RFC 9110 §8.8.3), read once for both: optional
// W/, a quoted opaque tag, then a comma or the end. The opaque tag may itself hold commas, so the
// list is read tag by tag, not split.
const LIST_TAG = /[\t ]*(W\/)?"([\x21\x23-\x7E\x80-\xFF]*)"[\t ]*(,|$)/y

export interface EntityTag {
  weak: boolean
  /** The tag with its quotes, without W/: `"3"`. */
  opaque: string
}

/** The tags of a list, or undefined when the header is not a list of entity tags. */
export function entityTags(header: string): EntityTag[] | undefined {
  const tags: EntityTag[] = []
  for (let at = 0; at < header.length; ) {
    LIST_TAG.lastIndex = at
    const match = LIST_TAG.exec(header)
    if (!match) return undefined
    tags.push({ weak: Boolean(match[1]), opaque: `"${match[2]}"` })
    at = LIST_TAG.lastIndex
    if (match[3] === '') break
  }
  return tags
}
