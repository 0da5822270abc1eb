// Splits a byte stream of concatenated JSON values (Go's net/rpc JSON codec: objects back to back,
// usually newline separated) into complete texts, without re-concatenating buffers per chunk.

export class FrameError extends Error {}

export class JsonStreamSplitter {
  private parts: Buffer[] = [];
  private partsLen = 0;
  private depth = 0;
  private inString = false;
  private escape = false;
  private started = false;

  constructor(private readonly maxBytes: number) {}

  /** A frame has begun and not ended yet (a slow or stalled sender is mid-request). */
  get inFrame(): boolean {
    return this.started;
  }

  /** Feeds a chunk; returns the complete JSON texts it finished. Throws FrameError on garbage or oversize. */
  push(chunk: Buffer): string[] {
    const out: string[] = [];
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (!this.started) {
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
          from = i + 1;
          continue;
        }
        if (c !== 0x7b && c !== 0x5b) throw new FrameError(`expected a JSON object, got byte 0x${c.toString(16).padStart(2, '0')}`);
        this.started = true;
        from = i;
      }
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 0x5c) this.escape = true;
        else if (c === 0x22) this.inString = false;
        continue;
      }
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth === 0) {
          const piece = chunk.subarray(from, i + 1);
          const text = this.partsLen > 0 ? Buffer.concat([...this.parts, piece]).toString('utf8') : piece.toString('utf8');
          this.parts = [];
          this.partsLen = 0;
          this.started = false;
          from = i + 1;
          out.push(text);
        }
      }
    }
    if (this.started && from < chunk.length) {
      const rest = chunk.subarray(from);
      this.parts.push(rest);
      this.partsLen += rest.length;
    }
    if (this.partsLen > this.maxBytes) throw new FrameError(`request larger than ${this.maxBytes} bytes`);
    return out;
  }
}
