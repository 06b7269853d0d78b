/**
 * Requests waiting for their reply, by id: the one request/reply mechanism of both channels, a
 * webview's postMessage to the host and the host's run worker. A reply settles its request, an
 * error rejects it, and closing the channel rejects every request still waiting.
 */
export class PendingReplies<T> {
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (value: T) => void; reject: (error: Error) => void }
  >();

  /** A new id, and the promise its reply settles. */
  open(): { id: number; reply: Promise<T> } {
    const id = this.nextId++;
    const reply = new Promise<T>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    return { id, reply };
  }

  /** Settles a request with its reply; false if it was not waiting (cancelled, or never asked). */
  resolve(id: number, value: T): boolean {
    const p = this.waiting.get(id);
    this.waiting.delete(id);
    p?.resolve(value);
    return p !== undefined;
  }

  reject(id: number, error: Error): boolean {
    const p = this.waiting.get(id);
    this.waiting.delete(id);
    p?.reject(error);
    return p !== undefined;
  }

  /** Rejects every request still waiting: the channel is gone. */
  rejectAll(error: Error): void {
    const all = [...this.waiting.values()];
    this.waiting.clear();
    for (const p of all) p.reject(error);
  }
}
