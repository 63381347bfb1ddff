// Cross-process wake-ups over LISTEN/NOTIFY. One dedicated connection per process listens (a pooled client
// cannot: LISTEN belongs to a session). If it drops, it reconnects with backoff; meanwhile polling covers.
import pg from 'pg';

const RECONNECT_MAX_MS = 10_000;

export class PgWake {
  private client: pg.Client | null = null;
  private readonly listeners: (() => void)[] = [];
  private closed = false;
  private retryMs = 250;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly connectionString: string, readonly channel: string) {}

  onWork(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Resolves once listening; a failure here is not fatal (polling still finds the work). */
  async start(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', (n) => { if (n.channel === this.channel) for (const l of this.listeners) l(); });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      // LISTEN takes an identifier, not a parameter; the channel is built from the validated schema name.
      await client.query(`LISTEN "${this.channel}"`);
      this.client = client;
      this.retryMs = 250;
    } catch {
      this.lost(client);
    }
  }

  private lost(client: pg.Client): void {
    if (this.client === client) this.client = null;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => { this.timer = null; void this.start(); }, this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(RECONNECT_MAX_MS, this.retryMs * 2);
    // Missed notifications while down are covered by polling; wake once on reconnect attempts anyway.
    for (const l of this.listeners) l();
  }

  get listening(): boolean {
    return this.client !== null;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = null;
    if (c) {
      c.removeAllListeners('end');
      c.removeAllListeners('error');
      c.on('error', () => undefined);
      await c.end().catch(() => undefined);
    }
  }
}
