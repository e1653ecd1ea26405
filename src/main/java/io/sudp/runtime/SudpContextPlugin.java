package io.sudp.runtime;

import io.netty.channel.EventLoopGroup;
import io.sudp.camel.DatagramBurstDecoders;
import io.sudp.config.RouteTunnels;
import io.sudp.routes.RouteNames;
import io.sudp.transport.SharedVertx;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.Service;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.spi.ContextServicePlugin;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.LoggerFactory;

/**
 * What every Camel context with SUDP on its class path gets, found by Camel itself ({@code
 * META-INF/services/org.apache.camel.spi.ContextServicePlugin}): the tunnel route templates, and,
 * unless SUDP's own runtime bound them first, the shared parts those routes name, each made when a
 * route first asks for it: the event loops, the listeners' decoder, and a client without a
 * configuration of its own, whose tunnels name their servers. So a {@code templatedRoute} of {@code
 * sudp-client-tunnel} in any application's route YAML needs nothing else declared. An application
 * that uses no tunnel pays for the templates only.
 */
public final class SudpContextPlugin implements ContextServicePlugin {
  /** The client's route templates: a tunnel, and a connection's return route. */
  static final String TEMPLATES = "classpath:sudp/routes/client.camel.yaml";

  /** Whether the event loops are epoll loops, for the listeners' {@code nativeTransport}. */
  static final String NATIVE_TRANSPORT = "sudp.native-transport";

  @Override
  public void load(CamelContext context) {
    Registry registry = context.getRegistry();
    bindIfAbsent(registry, RouteNames.VERTX, SharedVertx.class, () -> startVertx(context));
    bindIfAbsent(
        registry,
        RouteNames.EVENT_LOOPS,
        EventLoopGroup.class,
        () -> vertx(context).eventLoopGroup());
    bindIfAbsent(
        registry,
        RouteNames.DATAGRAM_BURSTS,
        DatagramBurstDecoders.class,
        DatagramBurstDecoders::new);
    bindIfAbsent(registry, RouteNames.CLIENT, ClientAssembly.class, () -> startClient(context));
    context
        .getPropertiesComponent()
        .addPropertiesSource(
            new PropertiesSource() {
              @Override
              public String getName() {
                return "sudp";
              }

              @Override
              public String getProperty(String name) {
                return NATIVE_TRANSPORT.equals(name)
                    ? String.valueOf(vertx(context).nativeTransport())
                    : null;
              }
            });
    context.addLifecycleStrategy(new RouteReloadGuard());
    try {
      loadTemplates(context);
    } catch (NullPointerException e) {
      // A DefaultCamelContext built by its own constructor calls plugins before its model exists:
      // the templates come when it initializes (routes loaded before that must load them first).
      context.addLifecycleStrategy(
          new LifecycleStrategySupport() {
            @Override
            public void onContextInitializing(CamelContext initializing) {
              loadTemplates(initializing);
            }
          });
    }
  }

  /**
   * Camel's route reload, if the application turns it on, never removes every route (SUDP's with
   * them) from the moment it is added, and hands tunnel route files to {@link CamelRouteReload}
   * once the context runs.
   */
  private static final class RouteReloadGuard extends LifecycleStrategySupport {
    @Override
    public void onServiceAdd(CamelContext context, Service service, Route route) {
      if (service instanceof RouteWatcherReloadStrategy reload) {
        CamelRouteReload.guard(reload);
      }
    }

    @Override
    public void onContextStarted(CamelContext context) {
      CamelRouteReload.install(context);
    }
  }

  /** Loads the templates unless the application did already. */
  private static void loadTemplates(CamelContext context) {
    if (context instanceof ModelCamelContext model
        && model.getRouteTemplateDefinition(RouteNames.TUNNEL_TEMPLATE) != null) {
      return;
    }
    try {
      PluginHelper.getRoutesLoader(context)
          .loadRoutes(ResourceHelper.resolveMandatoryResource(context, TEMPLATES));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot load SUDP's route templates " + TEMPLATES, e);
    }
  }

  private static void bindIfAbsent(
      Registry registry, String name, Class<?> type, Supplier<Object> supplier) {
    if (registry.lookupByName(name) == null) {
      registry.bind(name, type, supplier);
    }
  }

  private static SharedVertx vertx(CamelContext context) {
    return CamelContextHelper.mandatoryLookup(context, RouteNames.VERTX, SharedVertx.class);
  }

  /**
   * One event loop, as for SUDP's own client: its listeners and its connection on one thread, so a
   * datagram never changes threads. Closed when the context stops.
   */
  private static SharedVertx startVertx(CamelContext context) {
    SharedVertx vertx = new SharedVertx(1);
    addService(context, vertx::close);
    return vertx;
  }

  /** The client of tunnel routes in an application without SUDP configuration. */
  private static ClientAssembly startClient(CamelContext context) {
    SharedVertx vertx = vertx(context);
    ClientAssembly client =
        new ClientAssembly(RouteTunnels.defaultClient(), vertx, context.getRegistry()::bind);
    try {
      client.addTunnelRoutes(context);
    } catch (Exception e) {
      throw new IllegalStateException("cannot add the SUDP client to the Camel context", e);
    }
    client.startHousekeeping(
        context, vertx.vertx(), LoggerFactory.getLogger(SudpContextPlugin.class));
    TunnelHealthCheck.register(context, null, client);
    JmxRegistrations mbeans = TunnelParts.publishInHost(context, context.getName(), null, client);
    addService(context, mbeans::close);
    return client;
  }

  private static void addService(CamelContext context, Runnable onStop) {
    try {
      context.addService(
          new ServiceSupport() {
            @Override
            protected void doStop() {
              onStop.run();
            }
          },
          true,
          true);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
