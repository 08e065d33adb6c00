/**
 * What the desk just did, in words: the answer to a shortcut ("Kein Vorschlag
 * vorhanden.", "Fokus im Transkript.") or to a taken call. Shown for a moment
 * at the top and read by screen readers (the live region is always there,
 * so the first message is read too).
 */
import { useEffect, useState } from 'react';
import { useFrom, useServices } from '../services/services-context';

const SHOWN_MS = 6000;

export function DeskNotice() {
  const { viewStore } = useServices();
  const notice = useFrom(viewStore, (s) => s.notice);
  const [shown, setShown] = useState<number | undefined>();
  useEffect(() => {
    if (!notice) return;
    setShown(notice.seq);
    const timer = setTimeout(() => setShown(undefined), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [notice]);
  const text = notice && shown === notice.seq ? notice.text : '';
  return (
    <p
      className={`desk-notice${text ? ' shown' : ''}`}
      role="status"
      aria-live="polite"
      data-testid="desk-notice"
      data-seq={text ? notice?.seq : ''}
    >
      {text}
    </p>
  );
}
