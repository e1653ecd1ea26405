package io.sudp.management;

import io.vertx.core.Future;

/** Checks a management request's credentials: the user's name, or a failed future. */
@FunctionalInterface
public interface ManagementLogin {
  /**
   * @param authorization the request's {@code Authorization} header, or null
   * @param source the client's address, for limiting failures
   */
  Future<String> check(String authorization, String source);
}
