import { createInterface } from 'node:readline';

/** Lines a person types (or a script pipes) on standard input, read while the command waits for something else. */
export interface StdinLines {
  /** The next line typed since the last call, if any; never waits. */
  take(): string | undefined;
  /** Resolves when a line is there to take, input has ended (then at once, every time), or `timeoutMs` passed; takes nothing. */
  wait(timeoutMs: number): Promise<void>;
  /** Waits for the next line; undefined once input has ended. */
  next(timeoutMs: number): Promise<string | undefined>;
  readonly ended: boolean;
  close(): void;
}

/** Starts reading lines from standard input. */
export function readStdinLines(input: NodeJS.ReadableStream = process.stdin): StdinLines {
  const queue: string[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const lines = createInterface({ input, terminal: false });
  lines.on('line', (line) => {
    if (line.trim() !== '') queue.push(line.trim());
    wake?.();
  });
  lines.on('close', () => {
    ended = true;
    wake?.();
  });
  const wait = async (timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (queue.length === 0 && !ended && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.min(500, Math.max(0, deadline - Date.now())));
      });
      wake = undefined;
    }
  };
  return {
    take: () => queue.shift(),
    wait,
    get ended() {
      return ended;
    },
    next: async (timeoutMs) => {
      await wait(timeoutMs);
      return queue.shift();
    },
    close: () => lines.close(),
  };
}
