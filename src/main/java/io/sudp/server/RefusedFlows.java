package io.sudp.server;

import io.sudp.ops.DropCause;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The flows of one session that the server refused or no longer knows, remembered for a while so
 * that the datagrams the client sent before it heard of the refusal are each counted once, under
 * the refusal's cause, and are not answered with a CLOSE each. Only the latest {@value #REMEMBERED}
 * are kept: the memory a client can make the server spend on them is bounded. Used on the session's
 * event loop.
 */
final class RefusedFlows {
  static final int REMEMBERED = 64;

  private final Map<Integer, DropCause> causes =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, DropCause> eldest) {
          return size() > REMEMBERED;
        }
      };

  void remember(int flowId, DropCause cause) {
    causes.put(flowId, cause);
  }

  /** Why flow {@code flowId} was refused, or null if it is not remembered. */
  DropCause causeOf(int flowId) {
    return causes.get(flowId);
  }

  void forget(int flowId) {
    causes.remove(flowId);
  }
}
