package io.sudp.embed;

import io.sudp.config.ConfigException;
import io.sudp.config.SudpConfig;
import io.sudp.runtime.Role;
import io.sudp.runtime.TunnelParts;
import java.util.EnumSet;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SUDP inside an existing Camel application. Declared as a bean in the application's YAML routes
 * (or bound from Java), it runs the parts of a SUDP configuration file (server, client tunnels,
 * echo) as routes of the application's own CamelContext: they start and stop with it and show up
 * next to its other routes in JMX and Hawtio. See {@code docs/embedding.md}.
 */
public final class SudpTunnels extends ServiceSupport implements CamelContextAware {
  private static final Logger LOG = LoggerFactory.getLogger(SudpTunnels.class);

  private CamelContext camelContext;
  private String config;
  private String parts = "run";
  private TunnelParts running;

  /**
   * The SUDP configuration (the same format as the command line's, validated the same way): a
   * file's path, or {@code classpath:NAME} for one inside the application (relative paths in it are
   * then taken from the working directory).
   */
  public void setConfig(String config) {
    this.config = config;
  }

  public String getConfig() {
    return config;
  }

  /** Which parts of the file to run: {@code server}, {@code client} or {@code run} (all). */
  public void setParts(String parts) {
    this.parts = parts;
  }

  public String getParts() {
    return parts;
  }

  @Override
  public void setCamelContext(CamelContext camelContext) {
    if (this.camelContext == camelContext) {
      return; // adding the service sets the context again
    }
    this.camelContext = camelContext;
    try {
      camelContext.addService(this, true, true); // starts and stops with the context
    } catch (Exception e) {
      throw new IllegalStateException("cannot add SUDP to the Camel context", e);
    }
  }

  @Override
  public CamelContext getCamelContext() {
    return camelContext;
  }

  /** The running parts, for status and tests; null before the context starts. */
  public TunnelParts running() {
    return running;
  }

  @Override
  protected void doStart() throws Exception {
    if (config == null) {
      throw new IllegalArgumentException(
          "SudpTunnels: the config property (a SUDP YAML file or classpath: resource)"
              + " is required");
    }
    SudpConfig loaded;
    try {
      loaded = SudpConfig.load(config, classLoader());
    } catch (ConfigException e) {
      throw new IllegalArgumentException(String.join("\n", e.problems()), e);
    }
    if (!loaded.warmUp().isZero()) {
      // Its tunnel runs in a Camel main of its own, which would read the application's
      // application.properties (and the routes they include) as its own.
      LOG.warn(
          "{}: warm-up: ignored in an application embedding SUDP; the sudp command runs it",
          config);
    }
    // SUDP's context plugin bound stand-ins for the shared parts (made only if a route asks before
    // this runs); the configured ones take their names.
    running =
        new TunnelParts(
            loaded,
            roles(parts),
            (name, bean) -> {
              camelContext.getRegistry().unbind(name);
              camelContext.getRegistry().bind(name, bean);
            });
    // Routes added once the context runs are started at once; added while it starts, they would
    // miss the start of the context's routes.
    camelContext.addStartupListener(
        new ExtendedStartupListener() {
          @Override
          public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            // not yet: the routes of the context have not started
          }

          @Override
          public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted)
              throws Exception {
            addRoutes(running, loaded.name());
          }
        });
  }

  private void addRoutes(TunnelParts parts, String instance) throws Exception {
    for (String resource : parts.routeResources()) {
      PluginHelper.getRoutesLoader(camelContext)
          .loadRoutes(ResourceHelper.resolveMandatoryResource(camelContext, resource));
    }
    parts.addTemplatedRoutes(camelContext);
    parts.startHousekeeping(camelContext);
    parts.publishIn(camelContext, instance);
  }

  /** The application's class loader, which finds its {@code classpath:} resources. */
  private ClassLoader classLoader() {
    ClassLoader application = camelContext.getApplicationContextClassLoader();
    return application != null ? application : SudpTunnels.class.getClassLoader();
  }

  private static Set<Role> roles(String parts) {
    return switch (parts) {
      case "server" -> EnumSet.of(Role.SERVER);
      case "client" -> EnumSet.of(Role.CLIENT);
      case "run" -> EnumSet.allOf(Role.class);
      default ->
          throw new IllegalArgumentException(
              "SudpTunnels: parts '" + parts + "' is not one of server, client, run");
    };
  }

  @Override
  protected void doStop() {
    if (running != null) {
      running.close();
      running = null;
    }
  }
}
