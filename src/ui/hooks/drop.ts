/** A drop target's drag state and handlers: `over` while something is dragged over it. */
import { useState, type DragEvent } from 'react';

export function useDropTarget(onDrop: (transfer: DataTransfer) => void) {
  const [over, setOver] = useState(false);
  const handlers = {
    onDragOver: (event: DragEvent) => {
      event.preventDefault();
      setOver(true);
    },
    onDragLeave: () => setOver(false),
    onDrop: (event: DragEvent) => {
      event.preventDefault();
      setOver(false);
      onDrop(event.dataTransfer);
    },
  };
  return { over, handlers };
}
