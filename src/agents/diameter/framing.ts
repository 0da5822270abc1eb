// Stream → Diameter messages. TCP delivers bytes in arbitrary pieces: several messages in one read,
// one message over many reads. Chunks are kept as they came; a message inside one chunk is a
// zero-copy slice, a message spanning chunks is copied once into its own buffer (never a
// Buffer.concat per chunk, which would copy the backlog again at every read).

export const HEADER_LENGTH = 20;
/** Default largest message accepted; a bigger length field means a broken or hostile peer. */
export const DEFAULT_MAX_MESSAGE = 1 << 20;

/** The stream cannot be resynchronised (bad version or length): the connection must close. */
export class FramingError extends Error {}

export class Framer {
  private chunks: Buffer[] = [];
  private offset = 0; // read position inside chunks[0]
  private buffered = 0; // bytes available from offset on

  constructor(private readonly maxMessage = DEFAULT_MAX_MESSAGE) {}

  get pending(): number {
    return this.buffered;
  }

  /** Adds a chunk and returns every complete message now available (possibly none). */
  push(chunk: Buffer): Buffer[] {
    if (chunk.length === 0) return [];
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: Buffer[] = [];
    for (;;) {
      if (this.buffered < 4) break;
      const version = this.byteAt(0);
      const length = (this.byteAt(1) << 16) | (this.byteAt(2) << 8) | this.byteAt(3);
      if (version !== 1) throw new FramingError(`Diameter version ${version}, expected 1`);
      if (length < HEADER_LENGTH || length % 4 !== 0) throw new FramingError(`Diameter message length ${length} is not a multiple of 4 of at least ${HEADER_LENGTH}`);
      if (length > this.maxMessage) throw new FramingError(`Diameter message length ${length} exceeds the limit of ${this.maxMessage} bytes`);
      if (this.buffered < length) break;
      out.push(this.take(length));
    }
    return out;
  }

  private byteAt(i: number): number {
    let pos = this.offset + i;
    for (const c of this.chunks) {
      if (pos < c.length) return c[pos];
      pos -= c.length;
    }
    throw new RangeError('framing: read past buffered data');
  }

  private take(n: number): Buffer {
    const first = this.chunks[0];
    let msg: Buffer;
    if (first.length - this.offset >= n) {
      msg = first.subarray(this.offset, this.offset + n);
      this.offset += n;
    } else {
      msg = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const c = this.chunks[0];
        const k = Math.min(c.length - this.offset, n - filled);
        c.copy(msg, filled, this.offset, this.offset + k);
        filled += k;
        this.offset += k;
        if (this.offset === c.length) {
          this.chunks.shift();
          this.offset = 0;
        }
      }
    }
    if (this.chunks.length > 0 && this.offset === this.chunks[0].length) {
      this.chunks.shift();
      this.offset = 0;
    }
    this.buffered -= n;
    return msg;
  }
}
