/**
 * The worker supervisor over real comlink on a MessageChannel: a worker that stays silent or lets
 * an error escape is replaced, its pending calls reject with WorkerCrashedError, listeners hear
 * why, and the next call reaches a fresh worker; a busy worker gets the longer silence limit.
 */
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerCrashedError, WorkerSupervisor, type Crash, type WorkerLike } from '../../src/ui/worker-supervisor';

interface Api {
  echo(value: number): number;
  slow(ms: number): Promise<string>;
}

interface FakeWorker {
  endpoint: WorkerLike;
  beating: boolean;
  terminated: boolean;
  fail(message: string): void;
}

const opened: MessagePort[] = [];

function fakeWorker(generation: number): FakeWorker {
  const { port1, port2 } = new MessageChannel();
  opened.push(port1, port2);
  const fake: FakeWorker = {
    beating: true,
    terminated: false,
    endpoint: Object.assign(port1 as unknown as WorkerLike, {
      terminate: () => {
        fake.terminated = true;
        clearInterval(beat);
        port1.close();
        port2.close();
      },
    }),
    fail: (message) => port1.dispatchEvent(Object.assign(new Event('error'), { message })),
  };
  Comlink.expose(
    {
      echo: (value: number) => value * 10 + generation,
      slow: (ms: number) => new Promise((resolve) => setTimeout(() => resolve('slow done'), ms)),
    } satisfies Api,
    port2 as unknown as Comlink.Endpoint,
  );
  const beat = setInterval(() => fake.beating && port2.postMessage({ locusHeartbeat: Date.now() }), 10);
  return fake;
}

function supervised() {
  const workers: FakeWorker[] = [];
  const crashes: Crash[] = [];
  const supervisor = new WorkerSupervisor<Api>(
    () => {
      const worker = fakeWorker(workers.length + 1);
      workers.push(worker);
      return worker.endpoint;
    },
    { idleSilenceMs: 150, busySilenceMs: 600, checkEveryMs: 10 },
  );
  supervisor.onCrash((crash) => crashes.push(crash));
  return { supervisor, workers, crashes };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => opened.splice(0).forEach((port) => port.close()));

describe('WorkerSupervisor', () => {
  it('passes calls to one worker while it beats', async () => {
    const { supervisor, workers, crashes } = supervised();
    expect(await supervisor.api.echo(1)).toBe(11);
    await sleep(300);
    expect(await supervisor.api.echo(2)).toBe(21);
    expect(workers).toHaveLength(1);
    expect(crashes).toEqual([]);
    supervisor.crash('test over');
  });

  it('replaces a worker that falls silent, rejecting its pending call and naming why', async () => {
    const { supervisor, workers, crashes } = supervised();
    expect(await supervisor.api.echo(1)).toBe(11);
    workers[0]!.beating = false;
    const pending = supervisor.api.slow(5000);
    await expect(pending).rejects.toBeInstanceOf(WorkerCrashedError);
    await expect(pending).rejects.toThrow(/the analysis worker stopped \(no sign of life for \d+ s\)/);
    expect(workers[0]!.terminated).toBe(true);
    expect(crashes).toEqual([{ reason: expect.stringMatching(/^no sign of life/), generation: 1 }]);
    expect(await supervisor.api.echo(3)).toBe(32);
    supervisor.crash('test over');
  });

  it('gives a busy worker the longer limit before declaring it dead', async () => {
    const { supervisor, workers, crashes } = supervised();
    await supervisor.api.echo(0);
    workers[0]!.beating = false;
    const started = Date.now();
    await expect(supervisor.api.slow(5000)).rejects.toBeInstanceOf(WorkerCrashedError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(crashes).toHaveLength(1);
    supervisor.crash('test over');
  });

  it('treats an error that escaped the worker as a crash', async () => {
    const { supervisor, workers, crashes } = supervised();
    await supervisor.api.echo(0);
    const pending = supervisor.api.slow(2000);
    workers[0]!.fail('RuntimeError: memory access out of bounds');
    await expect(pending).rejects.toThrow('the analysis worker stopped (an error escaped it: RuntimeError: memory access out of bounds)');
    expect(crashes[0]).toMatchObject({ generation: 1 });
    expect(await supervisor.api.echo(5)).toBe(52);
    supervisor.crash('test over');
  });
});
