/**
 * What the speech worker writes on stdout and stderr (libvosk's own log):
 * split into lines across chunks, and the last lines kept so that a death
 * can be explained by libvosk's last complaint (an assertion or error).
 */

/** Lines kept for lastComplaint(). */
const TAIL_LINES = 20;

export class WorkerOutput {
  private tail: string[] = [];

  /** A new worker: what the last one wrote is forgotten. */
  clear(): void {
    this.tail = [];
  }

  /**
   * A 'data' handler for one output stream: calls onLine for each complete,
   * non-blank line (a line cut between chunks waits for its end).
   */
  lines(onLine: (line: string) => void): (chunk: Buffer) => void {
    let rest = '';
    return (chunk: Buffer) => {
      const text = rest + chunk.toString('utf8');
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts.filter((l) => l.trim())) {
        this.tail.push(line);
        if (this.tail.length > TAIL_LINES) this.tail.shift();
        onLine(line);
      }
    };
  }

  /** The last line libvosk wrote that explains a death (assertion or error), as ": line", or "". */
  lastComplaint(): string {
    const line = [...this.tail]
      .reverse()
      .find((l) => /ASSERTION_FAILED|ERROR|terminate called|what\(\)/.test(l));
    return line ? `: ${line.trim().slice(0, 300)}` : '';
  }
}
