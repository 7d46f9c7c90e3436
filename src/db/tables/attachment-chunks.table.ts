export interface AttachmentChunksTable {
  attachment_id: string
  /** 0, 1, 2…: chunk n holds bytes n × chunk_size up to the next. */
  n: number
  province_code: string | null
  data: Uint8Array
}
