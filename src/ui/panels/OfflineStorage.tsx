/**
 * The bundle panel's offline line: whether the bundle in use came from (or is kept in) the offline
 * cache, how much storage the studio uses of what the browser allows, and whether the browser
 * agreed to keep it (persistent storage) or may evict it under pressure.
 */
import { useQuery } from '@tanstack/react-query';
import type { BundleSummary } from '../../worker/api';
import { storageFacts } from '../pwa';
import { useBundleState } from '../state/bundle';

function megabytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

function cacheText(summary: BundleSummary): string {
  const cache = summary.cache;
  if (cache === null) return 'not kept offline (this browser gives the worker no Cache Storage)';
  if (cache.offline) return `opened offline from the kept copy (all ${cache.files} files verified by sha256)`;
  if (cache.fromCache === cache.files) return `kept offline; all ${cache.files} files came from the kept copy, verified by sha256`;
  return `kept offline (${cache.files - cache.fromCache} of ${cache.files} files downloaded, each verified by sha256)`;
}

export function OfflineStorage({ summary }: { summary: BundleSummary }) {
  const version = useBundleState((s) => s.storageVersion);
  const facts = useQuery({ queryKey: ['storage', version, summary.engineId], queryFn: storageFacts, staleTime: Infinity });
  const data = facts.data;
  const used = data?.usage != null && data.quota != null ? `${megabytes(data.usage)} of ${megabytes(data.quota)} used` : null;
  const persisted = data?.persisted == null ? null : data.persisted ? 'persistent (kept under storage pressure)' : 'not persistent (the browser may clear it under storage pressure)';
  return (
    <p className="hint offline-storage" aria-label="Offline storage">
      Offline: {cacheText(summary)}.{used !== null && <> Storage: {used}</>}
      {persisted !== null && <>, {persisted}</>}.
    </p>
  );
}
