import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api';
import type { Tag } from './types';

/**
 * The user's tags with their counts: the feeds pane's tag section. `reload` after anything
 * that tags or untags items, or changes what filter rules hide (counts follow the lists).
 * A failed load keeps what was shown: tags are a convenience beside the feeds.
 */
export function useTags(failed: (error: unknown) => string) {
  const [tags, setTags] = useState<Tag[]>([]);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const request = ++latest.current;
    try {
      const loaded = await api.tags();
      if (request === latest.current) setTags(loaded);
    } catch (error) {
      failed(error);
    }
  }, [failed]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { tags, reload };
}
