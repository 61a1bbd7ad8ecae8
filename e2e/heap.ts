/**
 * Heap sampling through the Chrome DevTools Protocol, for the page and for its dedicated worker
 * (where the model, the tensors and every result buffer live). Playwright opens CDP sessions to
 * pages only, so the worker is reached through the page session's Target domain
 * (attachToTarget, then sendMessageToTarget / receivedMessageFromTarget). Each sample forces a
 * garbage collection, then reads the V8 heap in use, ArrayBuffer memory, and from a heap
 * snapshot the part of the heap that is objects rather than compiled code: V8 keeps compiling hot
 * functions long after warm-up, which grows the heap without anything leaking.
 */
import type { CDPSession, Page } from '@playwright/test';

export interface HeapSample {
  /** V8 heap in use (bytes), compiled code included. */
  used: number;
  /** Heap snapshot nodes other than compiled code (bytes): JS objects and the native memory they hold, what a leak grows. */
  objects: number;
  /** ArrayBuffer backing stores (bytes): masks, images, WebAssembly memory. */
  buffers: number;
}

export interface HeapProbe {
  page(): Promise<HeapSample>;
  worker(): Promise<HeapSample>;
}

interface Usage {
  usedSize: number;
  backingStorageSize?: number;
}

/** Sends a CDP command to one target and listens to its events. */
interface Channel {
  send<T>(method: string, params?: object): Promise<T>;
  on(event: string, listener: (params: Record<string, unknown>) => void): () => void;
}

function pageChannel(session: CDPSession): Channel {
  return {
    send: <T>(method: string, params: object = {}) => session.send(method as never, params as never) as Promise<T>,
    on: (event, listener) => {
      session.on(event as never, listener as never);
      return () => session.off(event as never, listener as never);
    },
  };
}

/** The worker target, through the page's session (non-flattened attach). */
async function workerChannel(session: CDPSession): Promise<Channel> {
  const { targetInfos } = await session.send('Target.getTargets');
  const worker = targetInfos.find((t) => t.type === 'worker');
  if (worker === undefined) throw new Error('the page has no dedicated worker to sample');
  const { sessionId } = await session.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false });
  const waiting = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(params: Record<string, unknown>) => void>>();
  let next = 0;
  session.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as { id?: number; method?: string; params?: Record<string, unknown>; result?: unknown; error?: { message: string } };
    if (message.id === undefined) {
      for (const listener of listeners.get(message.method ?? '') ?? []) listener(message.params ?? {});
      return;
    }
    const call = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error) call?.reject(new Error(message.error.message));
    else call?.resolve(message.result);
  });
  return {
    send: <T>(method: string, params: object = {}) =>
      new Promise<T>((resolve, reject) => {
        const id = ++next;
        waiting.set(id, { resolve: resolve as (r: unknown) => void, reject });
        void session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
      }),
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
}

/** Bytes of the snapshot's nodes that are not compiled code. */
async function objectBytes(channel: Channel): Promise<number> {
  const chunks: string[] = [];
  const stop = channel.on('HeapProfiler.addHeapSnapshotChunk', (params) => chunks.push(params['chunk'] as string));
  await channel.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  stop();
  const { snapshot, nodes } = JSON.parse(chunks.join('')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
  };
  const fields = snapshot.meta.node_fields;
  const [type, size] = [fields.indexOf('type'), fields.indexOf('self_size')];
  const code = snapshot.meta.node_types[0].indexOf('code');
  let bytes = 0;
  for (let i = 0; i < nodes.length; i += fields.length) if (nodes[i + type] !== code) bytes += nodes[i + size]!;
  return bytes;
}

async function sample(channel: Channel): Promise<HeapSample> {
  await channel.send('HeapProfiler.collectGarbage');
  const usage = await channel.send<Usage>('Runtime.getHeapUsage');
  return { used: usage.usedSize, objects: await objectBytes(channel), buffers: usage.backingStorageSize ?? 0 };
}

/** Probes for the page's heap and its worker's (attach after the worker has started). */
export async function heapProbe(page: Page): Promise<HeapProbe> {
  const session = await page.context().newCDPSession(page);
  const [own, worker] = [pageChannel(session), await workerChannel(session)];
  return { page: () => sample(own), worker: () => sample(worker) };
}
