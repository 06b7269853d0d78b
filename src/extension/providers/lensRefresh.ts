/**
 * Keeps asking the editor for a document's lenses until they are drawn from its newest run.
 *
 * VS Code's CodeLens controller answers `onDidChangeCodeLenses` with a debounced refresh that it
 * cancels when the editor's text loses focus (the code-server 4.139 workbench: a quick fix applied
 * from the Problems panel, whose single run ends inside that focus bounce), and nothing restarts it
 * for an editor that stays visible but unfocused: the verdicts stay stale until the user clicks
 * into the editor. So after each run the provider checks whether the lenses it last gave for that
 * document came from that run, and fires again, with back-off, until they do or the tries run out.
 */
export class LensRefresh {
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  /**
   * @param stale whether a visible editor of `uri` shows lenses older than its document's newest run
   * @param fire  asks the editor for every document's lenses again
   * @param delays the waits between tries, in ms; their count bounds the tries
   */
  constructor(
    private readonly stale: (uri: string) => boolean,
    private readonly fire: () => void,
    private readonly delays: readonly number[] = [200, 400, 800, 1600, 3200, 6400, 6400, 6400],
  ) {}

  /** A run of `uri` completed (its change event already fired): watch until its lenses show it. */
  watch(uri: string): void {
    this.stop(uri);
    this.tick(uri, 0);
  }

  /** Stops watching `uri` (its document closed). */
  stop(uri: string): void {
    const t = this.pending.get(uri);
    if (t !== undefined) clearTimeout(t);
    this.pending.delete(uri);
  }

  dispose(): void {
    for (const uri of [...this.pending.keys()]) this.stop(uri);
  }

  private tick(uri: string, attempt: number): void {
    if (attempt >= this.delays.length) return void this.pending.delete(uri);
    this.pending.set(
      uri,
      setTimeout(() => {
        if (!this.stale(uri)) return void this.pending.delete(uri);
        this.fire();
        this.tick(uri, attempt + 1);
      }, this.delays[attempt]),
    );
  }
}
