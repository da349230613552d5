import { readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until the process is gone, sending SIGKILL once the grace period has passed. */
export async function terminate(pid: number, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, signal);
  const deadline = Date.now() + graceMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      await sleep(200);
      return;
    }
    await sleep(100);
  }
}

/**
 * A previous run that was killed (Ctrl-C twice, a crashed test runner) can leave its server behind,
 * holding the port. The pid file written at start lets the next run stop it first.
 */
export async function stopLeftover(pidFile: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  let text: string;
  try {
    text = await readFile(pidFile, 'utf8');
  } catch {
    return;
  }
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) await terminate(pid, signal, 15_000);
  await rm(pidFile, { force: true });
}

/** Thrown by a waitFor attempt when waiting longer cannot help (the server process died). */
export class GaveUp extends Error {}

export async function waitFor<T>(
  what: string,
  attempt: () => Promise<T>,
  { timeoutMs, intervalMs = 250 }: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof GaveUp) throw error;
      lastError = error;
      await sleep(intervalMs);
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`${what} not ready after ${timeoutMs} ms: ${reason}`);
}
