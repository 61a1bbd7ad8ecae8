/**
 * Heap sampling through the Chrome DevTools Protocol, for the page and for its dedicated worker
 * (where the model, the tensors and every result buffer live). Playwright opens CDP sessions to
 * pages only, so the worker is reached through the page session's Target domain
 * (attachToTarget, then sendMessageToTarget / receivedMessageFromTarget). Each sample forces a
 * garbage collection first, so it measures what is still reachable.
 */
import type { CDPSession, Page } from '@playwright/test';

export interface HeapSample {
  /** V8 heap in use (bytes). */
  used: number;
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

/** A CDP client for the worker target, over the page's session. */
async function workerChannel(session: CDPSession) {
  const { targetInfos } = await session.send('Target.getTargets');
  const worker = targetInfos.find((t) => t.type === 'worker');
  if (worker === undefined) throw new Error('the page has no dedicated worker to sample');
  const { sessionId } = await session.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false });
  const waiting = new Map<number, (result: unknown) => void>();
  let next = 0;
  session.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id === undefined) return;
    waiting.get(message.id)?.(message.error ? Promise.reject(new Error(message.error.message)) : message.result);
    waiting.delete(message.id);
  });
  return <T>(method: string, params: object = {}): Promise<T> =>
    new Promise<T>((resolve) => {
      const id = ++next;
      waiting.set(id, resolve as (result: unknown) => void);
      void session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
    });
}

function sample(usage: Usage): HeapSample {
  return { used: usage.usedSize, buffers: usage.backingStorageSize ?? 0 };
}

/** Probes for the page's heap and its worker's (attach after the worker has started). */
export async function heapProbe(page: Page): Promise<HeapProbe> {
  const session = await page.context().newCDPSession(page);
  const worker = await workerChannel(session);
  return {
    page: async () => {
      await session.send('HeapProfiler.collectGarbage');
      return sample((await session.send('Runtime.getHeapUsage')) as Usage);
    },
    worker: async () => {
      await worker('HeapProfiler.collectGarbage');
      return sample(await worker<Usage>('Runtime.getHeapUsage'));
    },
  };
}
