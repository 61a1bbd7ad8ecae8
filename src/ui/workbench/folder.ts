/**
 * A dataset folder as the browser hands it over, turned into (path inside the folder, File)
 * pairs: from the folder picker (`<input webkitdirectory>`, paths in `webkitRelativePath`) or from
 * a folder dropped on the page (the entries API, walked recursively; a directory reader returns
 * its entries in batches until an empty one).
 */
import type { DatasetFile } from '../../worker/api';

export interface PickedFile extends DatasetFile {
  file: File;
}

/** The files of an `<input type="file" webkitdirectory>`. */
export function pickedFiles(list: FileList | null): PickedFile[] {
  return [...(list ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

function readBatch(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, out: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    out.push({ path: entry.fullPath.replace(/^\//, ''), file: await fileOf(entry as FileSystemFileEntry) });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  for (let batch = await readBatch(reader); batch.length > 0; batch = await readBatch(reader)) {
    for (const child of batch) await walk(child, out);
  }
}

/** The files of whatever was dropped (folders walked); the entries must be taken before the event ends. */
export async function droppedFiles(transfer: DataTransfer): Promise<PickedFile[]> {
  const entries = [...transfer.items].map((item) => item.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  const out: PickedFile[] = [];
  for (const entry of entries) await walk(entry, out);
  return out;
}
