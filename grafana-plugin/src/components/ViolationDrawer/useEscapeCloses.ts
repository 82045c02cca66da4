import { useEffect } from 'react';

/**
 * Escape closes the drawer wherever focus is. Grafana's Drawer closes on an Escape that reaches
 * its panel, but its focus manager puts focus on the Close button, and that button's tooltip
 * opens on the focus and stops the first Escape (Chromium shows the focus ring, and so the
 * tooltip, when the drawer opened from a click that left nothing focused: a painted marker).
 * Listening on the document in the capture phase comes before both; stopping the event keeps
 * Grafana's own Escape binding (leave panel view) from acting on the same key
 * (docs/performance.md, panel and viewer).
 */
export function useEscapeCloses(onClose: () => void) {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.isComposing) {
        e.stopPropagation();
        onClose();
      }
    };
    document.addEventListener('keydown', onKeyDown, true);
    return () => document.removeEventListener('keydown', onKeyDown, true);
  }, [onClose]);
}
