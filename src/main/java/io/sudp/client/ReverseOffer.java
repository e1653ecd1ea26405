package io.sudp.client;

import io.sudp.destination.AllowRule;
import java.util.List;

/**
 * What a client offers its server of reverse tunnels: the tunnels, what their datagrams may reach
 * on this side ({@code reverse-allow}, deny by default) and how many reverse flows it carries at
 * once. A value, from the configuration.
 */
public record ReverseOffer(List<ReverseTunnel> tunnels, List<AllowRule> allow, int maxFlows) {
  /** Reverse flows a client carries at once unless configured. */
  public static final int DEFAULT_MAX_FLOWS = 4096;

  /** No reverse tunnel. */
  public static final ReverseOffer NONE = new ReverseOffer(List.of(), List.of(), DEFAULT_MAX_FLOWS);

  public ReverseOffer {
    tunnels = List.copyOf(tunnels);
    allow = List.copyOf(allow);
  }
}
