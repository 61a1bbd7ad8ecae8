/** Warnings about an accepted input (image, ground truth, report), each dismissable by the user. */
import type { InputWarning } from '../../worker/api';
import { useCase, warningKey } from '../state/case';

export function Warnings({ source, warnings, label }: { source: string | number; warnings: InputWarning[]; label: string }) {
  const dismissed = useCase((s) => s.dismissed);
  const dismiss = useCase((s) => s.dismiss);
  const shown = warnings.filter((w) => !dismissed.has(warningKey(source, w)));
  if (shown.length === 0) return null;
  return (
    <ul className="warnings" aria-label={`${label} warnings`}>
      {shown.map((warning) => (
        <li key={`${warning.code}:${warning.message}`} className="warning" role="note" data-code={warning.code}>
          <span>
            {label}: {warning.message}
          </span>
          <button
            type="button"
            className="link dismiss"
            aria-label={`Dismiss: ${warning.message}`}
            onClick={() => dismiss(warningKey(source, warning))}
          >
            Dismiss
          </button>
        </li>
      ))}
    </ul>
  );
}
