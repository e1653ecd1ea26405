package org.example.hawtio;

import io.hawt.embedded.Main;

/**
 * Hawtio 3.0.0's own command line, as its JBang script runs it ({@code hawtio --help} lists the
 * options): {@link Main#main} would ignore its arguments. Hawtio's own Jolokia agent, which
 * reaches the JVM Hawtio runs in and can attach agents to the other JVMs of its user, answers no
 * more than its version unless {@code -Djolokia.policyLocation} names another policy: the console
 * only needs the agents it connects to through its proxy.
 */
public final class HawtioCommand {
  private HawtioCommand() {}

  public static void main(String[] args) {
    if (System.getProperty("jolokia.policyLocation") == null) {
      System.setProperty("jolokia.policyLocation", "classpath:/hawtio-jolokia-access.xml");
    }
    Main.run(args);
  }
}
