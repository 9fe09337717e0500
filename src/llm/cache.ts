// The LLM verdict cache on top of the results database: stored verdicts are checked again when read.
import type { Store } from '../store/index.js';
import { parseReply } from './reply.js';
import type { ReplyVerdict } from './reply.js';
import type { OpinionCache } from './second-opinion.js';

/** A cache row that no longer validates (an older or damaged value) is a miss, never a verdict. */
export function storeOpinionCache(store: Store, capabilities: ReadonlySet<string>): OpinionCache {
  return {
    get(hashes, key) {
      const out = new Map<string, ReplyVerdict>();
      for (const [hash, value] of store.llmCacheGet(hashes, key)) {
        const checked = parseReply(JSON.stringify({ tools: [{ ...(value as object), id: 'c' }] }), ['c'], capabilities).verdicts.get('c');
        if (checked) out.set(hash, checked);
      }
      return out;
    },
    put(entries, key) {
      // The manipulation verdict is not kept: the model gave it with this server's instructions and
      // sibling names as context, which a server copying another's tool could use to steer it.
      store.llmCachePut(
        entries.map((e) => {
          const { manipulation: _, ...verdict } = e.verdict;
          return { hash: e.hash, value: verdict };
        }),
        key,
      );
    },
  };
}
