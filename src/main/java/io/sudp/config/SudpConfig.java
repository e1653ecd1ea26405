package io.sudp.config;

import io.netty.util.NetUtil;
import io.sudp.client.ReverseOffer;
import io.sudp.client.ReverseTunnel;
import io.sudp.destination.AllowRule;
import io.sudp.destination.DestinationPolicy;
import io.sudp.destination.OwnAddresses;
import io.sudp.protocol.Destination;
import io.sudp.server.PortRanges;
import io.sudp.server.ReverseSettings;
import io.sudp.server.UserLimits;
import io.sudp.transport.BackoffPolicy;
import io.sudp.transport.ClientAddressRule;
import io.sudp.transport.ClientAddressSource;
import io.sudp.transport.ClientSecurity;
import io.sudp.transport.QueueLimits;
import io.sudp.transport.TrustedProxies;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A whole SUDP configuration file. Any of its sections may be present; the command decides which
 * are run. {@link #load} validates everything and reports all problems at once.
 */
public record SudpConfig(
    ServerConfig server,
    ClientConfig client,
    EchoConfig echo,
    ManagementConfig management,
    String name,
    LoggingConfig logging,
    DaemonConfig daemon,
    Duration warmUp) {
  /** No warm-up unless asked for: it delays every start by its length (docs/performance.md). */
  static final Duration DEFAULT_WARM_UP = Duration.ZERO;

  static final Duration DEFAULT_IDLE = Duration.ofSeconds(120);
  static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(15);
  static final Duration DEFAULT_DRAIN = Duration.ofSeconds(5);

  /** Reads and validates {@code file}; every problem is one line naming the file and key. */
  public static SudpConfig load(Path file) throws ConfigException {
    return load(file, System.getenv());
  }

  /**
   * Reads and validates {@code file}, with {@code environment} overriding its keys (see {@code
   * docs/configuration.md}); every problem is one line naming the file, line and key.
   */
  public static SudpConfig load(Path file, Map<String, String> environment) throws ConfigException {
    return load(file, environment, new HashSet<>());
  }

  /**
   * As {@link #load(Path, Map)}, and gives {@code warnings} what is not wrong but likely not meant
   * either: a {@code SUDP_} variable that overrides no key (see {@link UnknownVariables}).
   */
  public static SudpConfig load(
      Path file, Map<String, String> environment, Consumer<String> warnings)
      throws ConfigException {
    return load(file, environment, new HashSet<>(), warnings);
  }

  /**
   * Reads and validates the configuration at {@code location}: a file's path, or {@code
   * classpath:NAME} for a resource {@code classLoader} finds (an application that embeds SUDP and
   * ships its configuration in its jar; relative paths in it are taken from the working directory).
   * Every problem is one line naming it as given, with the line and key.
   */
  public static SudpConfig load(String location, ClassLoader classLoader) throws ConfigException {
    return load(
        ConfigOrigin.of(location, classLoader), System.getenv(), new HashSet<>(), warning -> {});
  }

  /** As {@link #load(Path, Map)}, noting in {@code keysRead} the path of every key asked for. */
  static SudpConfig load(Path file, Map<String, String> environment, Set<String> keysRead)
      throws ConfigException {
    return load(file, environment, keysRead, warning -> {});
  }

  private static SudpConfig load(
      Path file, Map<String, String> variables, Set<String> keysRead, Consumer<String> warnings)
      throws ConfigException {
    return load(new ConfigOrigin.File(file), variables, keysRead, warnings);
  }

  private static SudpConfig load(
      ConfigOrigin origin,
      Map<String, String> variables,
      Set<String> keysRead,
      Consumer<String> warnings)
      throws ConfigException {
    List<String> problems = new ArrayList<>();
    ConfigEnvironment environment = new ConfigEnvironment(variables);
    ConfigNode root = read(origin, environment, problems, keysRead);
    if (root == null) {
      throw new ConfigException(problems);
    }
    String name = origin.name();
    ConfigNode serverNode = root.section("server");
    ConfigNode clientNode = root.section("client");
    ConfigNode echoNode = root.section("echo");
    ConfigNode managementNode = root.section("management");
    String instance = instanceName(root, origin.fileName());
    ConfigNode loggingNode = root.section("logging");
    LoggingConfig logging = loggingNode == null ? LoggingConfig.DEFAULT : logging(loggingNode);
    DaemonConfig daemon = daemon(root.section("daemon"), instance, environment);
    Duration warmUp = root.duration("warm-up", DEFAULT_WARM_UP, DurationRange.WARM_UP);
    root.rejectUnknownKeys();
    SudpConfig config =
        new SudpConfig(
            serverNode == null ? null : server(serverNode),
            clientNode == null ? null : client(clientNode),
            echoNode == null ? null : echo(echoNode),
            managementNode == null ? null : management(managementNode),
            instance,
            logging,
            daemon,
            warmUp);
    if (config.management() != null && config.management().listen() != null) {
      checkManagementPort(config, managementNode);
    }
    if (serverNode == null && clientNode == null && echoNode == null && problems.isEmpty()) {
      problems.add(name + ": no server, client or echo section: nothing to run");
    }
    UnknownVariables.warnings(name, environment, keysRead).forEach(warnings);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  /**
   * Only what reaches a running instance: its name, daemon files and management section, ignoring
   * every other section, so that {@code sudp stop} and {@code sudp status} still reach an instance
   * whose file (or an instance file beside it) has since been broken by an edit; the process keeps
   * the configuration it last accepted.
   */
  public static SudpConfig locate(Path file, Map<String, String> variables) throws ConfigException {
    List<String> problems = new ArrayList<>();
    ConfigEnvironment environment = new ConfigEnvironment(variables);
    ConfigOrigin origin = new ConfigOrigin.File(file);
    ConfigNode root = read(origin, environment, problems, new HashSet<>());
    if (root == null) {
      throw new ConfigException(problems);
    }
    String instance = instanceName(root, origin.fileName());
    ConfigNode managementNode = root.section("management");
    SudpConfig located =
        new SudpConfig(
            null,
            null,
            null,
            managementNode == null ? null : management(managementNode),
            instance,
            LoggingConfig.DEFAULT,
            daemon(root.section("daemon"), instance, environment),
            DEFAULT_WARM_UP);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return located;
  }

  /** The root of a YAML file, or null with the problem recorded (unreadable, not YAML). */
  static ConfigNode readFile(
      Path file, ConfigEnvironment environment, List<String> problems, Set<String> keysRead) {
    return read(new ConfigOrigin.File(file), environment, problems, keysRead);
  }

  private static ConfigNode read(
      ConfigOrigin origin,
      ConfigEnvironment environment,
      List<String> problems,
      Set<String> keysRead) {
    ConfigFile read = origin.read(problems);
    if (read == null) {
      return null;
    }
    return ConfigNode.root(
        new ConfigSource(
            origin.name(),
            origin.paths(),
            LineIndex.of(read.text()),
            environment,
            problems,
            keysRead),
        read.document());
  }

  /** The instance's name: the {@code name} key, else the file's name without its extension. */
  private static String instanceName(ConfigNode root, String fileName) {
    String fallback = fileName.replaceFirst("\\.ya?ml$", "");
    String name = root.string("name", fallback.isEmpty() ? "sudp" : fallback);
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      root.problem(
          "name",
          "'"
              + name
              + "' must be 1-64 letters, digits, '.', '_' or '-'"
              + " (it names the PID and log files)");
      return "sudp";
    }
    return name;
  }

  private static LoggingConfig logging(ConfigNode node) {
    LoggingConfig defaults = LoggingConfig.DEFAULT;
    String level = node.string("level", defaults.level()).toLowerCase(java.util.Locale.ROOT);
    if (!List.of("error", "warn", "info", "debug", "trace").contains(level)) {
      node.problem("level", "'" + level + "' is not one of error, warn, info, debug, trace");
      level = defaults.level();
    }
    LoggingConfig logging =
        new LoggingConfig(
            level,
            node.writableFile("file"),
            node.size("max-file-size", defaults.maxFileBytes(), 64 * 1024, 1L << 40),
            node.integer("max-files", defaults.maxFiles(), 1, 20));
    node.rejectUnknownKeys();
    return logging;
  }

  /**
   * Where the daemon's files go: the {@code daemon:} keys, else {@code $XDG_RUNTIME_DIR/sudp}, else
   * a directory of the user's in the temporary directory.
   */
  private static DaemonConfig daemon(
      ConfigNode node, String instance, ConfigEnvironment environment) {
    String runtimeDir = environment.get("XDG_RUNTIME_DIR");
    Path runDir =
        runtimeDir != null && !runtimeDir.isBlank()
            ? Path.of(runtimeDir, "sudp")
            : Path.of(
                System.getProperty("java.io.tmpdir"), "sudp-" + System.getProperty("user.name"));
    Path pidFile = node == null ? null : node.writableFile("pid-file");
    Path logFile = node == null ? null : node.writableFile("log-file");
    if (node != null) {
      node.rejectUnknownKeys();
    }
    return new DaemonConfig(
        pidFile != null ? pidFile : runDir.resolve(instance + ".pid"),
        logFile != null ? logFile : runDir.resolve(instance + ".log"));
  }

  private static ServerConfig server(ConfigNode node) {
    HostPort listen = node.listenAddress("listen", null);
    String path = node.string("path", "/sudp");
    if (!path.startsWith("/")) {
      node.problem("path", "'" + path + "' must start with / (e.g. /sudp)");
    }
    Duration idle = node.duration("idle-timeout", DEFAULT_IDLE, DurationRange.IDLE);
    Duration keepalive = node.duration("keepalive", DEFAULT_KEEPALIVE, DurationRange.KEEPALIVE);
    Duration resumeTimeout =
        node.duration("resume-timeout", Duration.ofSeconds(30), DurationRange.RESUME);
    int maxFlowsPerConnection = node.integer("max-flows-per-connection", 4096, 1, 1_000_000);
    int maxFlows = node.integer("max-flows", 0, 0, 10_000_000);
    int maxResolving = node.integer("max-resolving", 64, 1, 100_000);
    Duration resolveTimeout =
        node.duration("resolve-timeout", Duration.ofSeconds(5), DurationRange.WAIT);
    List<HostPort> dnsServers = new ArrayList<>();
    for (String server : node.strings("dns-servers")) {
      try {
        dnsServers.add(HostPort.parse(server, false));
      } catch (IllegalArgumentException e) {
        node.problem("dns-servers", e.getMessage() + " (expected IP:PORT, e.g. 192.0.2.53:53)");
      }
    }
    List<AllowRule> rules = allowRules(node, "allow");
    Map<String, PortRanges> reversePorts = new LinkedHashMap<>();
    Map<String, UserLimits> users = users(node, reversePorts);
    ReverseSettings reverse = reverse(node, reversePorts);
    int maxConnections = node.integer("max-connections", 1024, 1, 1_000_000);
    int maxHandshakes = node.integer("max-handshakes", 256, 1, 1_000_000);
    Duration handshakeTimeout =
        node.duration("handshake-timeout", Duration.ofSeconds(10), DurationRange.WAIT);
    ClientAddressRule clientAddress = clientAddress(node);
    ServerAuth auth = serverAuth(node);
    if (!users.isEmpty() && !node.has("auth")) {
      node.problem("users", "limits per user need server.auth to know who the user is");
    }
    ServerTls tls = serverTls(node);
    ConfigNode queueNode = node.section("queue");
    long queueTotal =
        queueNode == null || !queueNode.has("total-bytes")
            ? 0
            : queueNode.size("total-bytes", 0, 1 << 20, Long.MAX_VALUE / 2);
    QueueLimits queue = queue(queueNode);
    Duration drain = node.duration("drain-timeout", DEFAULT_DRAIN, DurationRange.WAIT);
    node.rejectUnknownKeys();
    return new ServerConfig(
        listen,
        path,
        idle,
        keepalive,
        resumeTimeout,
        maxFlowsPerConnection,
        maxFlows,
        maxResolving,
        resolveTimeout,
        dnsServers,
        rules,
        users,
        maxConnections,
        maxHandshakes,
        handshakeTimeout,
        clientAddress,
        auth,
        tls,
        queue,
        queueTotal,
        drain,
        reverse);
  }

  /**
   * {@code reverse}: the address reverse listeners bind to and the ports every client may listen
   * on; with each user's {@code reverse-ports}. Without {@code auth} only the ports for everyone
   * can apply, which the operator names on purpose.
   */
  private static ReverseSettings reverse(ConfigNode server, Map<String, PortRanges> byUser) {
    ConfigNode node = server.section("reverse");
    if (node == null) {
      return new ReverseSettings(ReverseSettings.DEFAULT_BIND, PortRanges.NONE, byUser);
    }
    String bind = node.string("bind", ReverseSettings.DEFAULT_BIND);
    if (!NetUtil.isValidIpV4Address(bind) && !NetUtil.isValidIpV6Address(bind)) {
      node.problem("bind", "'" + bind + "' is not an IP address (e.g. 0.0.0.0 or 127.0.0.1)");
      bind = ReverseSettings.DEFAULT_BIND;
    }
    PortRanges everyone = reversePorts(node, "ports");
    node.rejectUnknownKeys();
    return new ReverseSettings(bind, everyone, byUser);
  }

  private static PortRanges reversePorts(ConfigNode node, String key) {
    try {
      return PortRanges.parse(node.strings(key));
    } catch (IllegalArgumentException e) {
      node.problem(key, e.getMessage());
      return PortRanges.NONE;
    }
  }

  /**
   * {@code client-address} and {@code trusted-proxies}: what a proxy says about its client is
   * believed only from the proxies named, so naming a source without them, or them without a
   * source, is a mistake.
   */
  private static ClientAddressRule clientAddress(ConfigNode node) {
    String name = node.string("client-address", ClientAddressSource.PEER.configName());
    ClientAddressSource source = ClientAddressSource.of(name);
    if (source == null) {
      node.problem(
          "client-address",
          "'" + name + "' is not one of peer, x-forwarded-for, forwarded, proxy-protocol");
      source = ClientAddressSource.PEER;
    }
    TrustedProxies trusted;
    try {
      trusted = TrustedProxies.parse(node.strings("trusted-proxies"));
    } catch (IllegalArgumentException e) {
      node.problem("trusted-proxies", e.getMessage());
      return new ClientAddressRule(source, TrustedProxies.NONE);
    }
    if (source != ClientAddressSource.PEER && trusted.isEmpty()) {
      node.problem(
          "client-address",
          "'" + name + "' needs trusted-proxies: the addresses of the proxies whose word is taken");
    } else if (source == ClientAddressSource.PEER && !trusted.isEmpty()) {
      node.problem(
          "trusted-proxies",
          "used only with client-address x-forwarded-for, forwarded or proxy-protocol");
    }
    return new ClientAddressRule(source, trusted);
  }

  /**
   * The allowlist at {@code key}: the server's {@code allow}, the client's {@code reverse-allow}.
   */
  private static List<AllowRule> allowRules(ConfigNode node, String key) {
    List<AllowRule> rules = new ArrayList<>();
    for (String rule : node.strings(key)) {
      try {
        rules.add(AllowRule.parse(rule));
      } catch (IllegalArgumentException e) {
        node.problem(key, e.getMessage());
      }
    }
    return rules;
  }

  private static Map<String, UserLimits> users(
      ConfigNode server, Map<String, PortRanges> reversePorts) {
    ConfigNode users = server.section("users");
    Map<String, UserLimits> limits = new LinkedHashMap<>();
    if (users == null) {
      return limits;
    }
    for (String name : users.keys()) {
      ConfigNode user = users.section(name);
      if (user == null) {
        continue;
      }
      limits.put(
          name,
          new UserLimits(
              allowRules(user, "allow"),
              user.integer("max-connections", 0, 0, 1_000_000),
              user.integer("max-flows", 0, 0, 1_000_000),
              user.integer("max-datagrams-per-second", 0, 0, Integer.MAX_VALUE),
              user.size("max-bytes-per-second", 0, 0, Long.MAX_VALUE / 2)));
      reversePorts.put(name, reversePorts(user, "reverse-ports"));
      user.rejectUnknownKeys();
    }
    return limits;
  }

  private static ServerTls serverTls(ConfigNode parent) {
    ConfigNode node = parent.section("tls");
    if (node == null) {
      return null;
    }
    Path certificate = node.readableFile("certificate");
    Path key = node.readableFile("key");
    Path keystore = node.readableFile("keystore");
    String keystorePassword =
        node.has("keystore")
            ? ClientSecurityReader.secret(node, "keystore-password", node.environment())
            : null;
    Path clientCa = node.readableFile("client-ca");
    boolean pem = node.has("certificate") || node.has("key");
    if (pem == node.has("keystore")) {
      node.problem(
          "certificate",
          "give certificate and key (PEM files) or keystore (PKCS#12)," + " one of the two");
    } else if (pem && !(node.has("certificate") && node.has("key"))) {
      node.problem(
          node.has("key") ? "certificate" : "key",
          "is required with " + (node.has("key") ? "key" : "certificate"));
    }
    node.rejectUnknownKeys();
    ServerTls files = new ServerTls(certificate, key, keystore, keystorePassword, clientCa, null);
    boolean readable = keystore != null || (certificate != null && key != null);
    Instant expires = readable ? ServerCertificate.check(node, files) : null;
    return new ServerTls(certificate, key, keystore, keystorePassword, clientCa, expires);
  }

  private static ServerAuth serverAuth(ConfigNode parent) {
    ConfigNode node = parent.section("auth");
    if (node == null) {
      return null;
    }
    Path htpasswd = node.readableFile("htpasswd");
    Path tokens = node.readableFile("tokens-file");
    if (!node.has("htpasswd") && !node.has("tokens-file")) {
      node.problem("htpasswd", "required: htpasswd (bcrypt users) and/or tokens-file");
    }
    node.rejectUnknownKeys();
    return new ServerAuth(htpasswd, tokens);
  }

  private static ClientConfig client(ConfigNode node) {
    String server = node.string("server", null);
    Duration idle = node.duration("idle-timeout", DEFAULT_IDLE, DurationRange.IDLE);
    Duration keepalive = node.duration("keepalive", DEFAULT_KEEPALIVE, DurationRange.KEEPALIVE);
    BackoffPolicy reconnect = reconnect(node);
    ClientSecurity security = ClientSecurityReader.read(node);
    if (server != null) {
      TunnelChecks.checkServerUrl(node, "server", server, security.authorization() != null);
    }
    Map<String, ClientSecurity> credentials = ClientSecurityReader.credentials(node, security);
    ProxyPolicy proxy = ProxyReader.read(node);
    QueueLimits queue = queue(node.section("queue"));
    Path instancesDir = node.directory("instances-dir");
    TunnelChecks checks =
        new TunnelChecks(idle, credentials.keySet(), security.authorization() != null);
    List<TunnelConfig> tunnels = new ArrayList<>();
    for (ConfigNode tunnel : node.sections("tunnels")) {
      tunnels.add(checks.tunnel(tunnel, null));
    }
    List<TunnelConfig> instances =
        instancesDir == null
            ? List.of()
            : InstanceFiles.read(instancesDir, node.environment(), node.problems(), checks);
    List<ReverseTunnel> reverseTunnels = ReverseTunnelReader.tunnels(node, idle);
    List<AllowRule> reverseAllow = allowRules(node, "reverse-allow");
    checkReverseAllow(node, reverseTunnels, reverseAllow);
    if (tunnels.isEmpty() && instancesDir == null && reverseTunnels.isEmpty()) {
      node.problem(
          "tunnels", "at least one tunnel is required (or an instances-dir, or reverse-tunnels)");
    }
    Duration drain = node.duration("drain-timeout", DEFAULT_DRAIN, DurationRange.WAIT);
    int reverseMaxFlows =
        node.integer("reverse-max-flows", ReverseOffer.DEFAULT_MAX_FLOWS, 1, 1_000_000);
    node.rejectUnknownKeys();
    return new ClientConfig(
        server,
        idle,
        keepalive,
        reconnect,
        security,
        credentials,
        proxy,
        queue,
        tunnels,
        instancesDir,
        instances,
        drain,
        new ReverseOffer(reverseTunnels, reverseAllow, reverseMaxFlows));
  }

  /**
   * A reverse tunnel needs the client's server, and its destination, where it is an address, must
   * be on {@code reverse-allow}: otherwise every datagram would be refused.
   */
  private static void checkReverseAllow(
      ConfigNode node, List<ReverseTunnel> tunnels, List<AllowRule> allow) {
    if (!tunnels.isEmpty() && !node.has("server")) {
      node.problem("reverse-tunnels", "reverse tunnels go through client.server, which is not set");
    }
    DestinationPolicy policy = new DestinationPolicy(allow, OwnAddresses.ofInterfaces());
    for (ReverseTunnel tunnel : tunnels) {
      Destination destination = tunnel.destination();
      if (destination.isAddressLiteral()
          && !policy.permits(
              destination.host(),
              NetUtil.createInetAddressFromIpAddressString(destination.host()),
              destination.port())) {
        node.problem(
            "reverse-allow",
            "does not allow "
                + destination
                + ", the destination of reverse tunnel '"
                + tunnel.name()
                + "' (loopback and private ranges must be named, e.g. \""
                + destination
                + "\")");
      }
    }
  }

  /**
   * The instance files of {@code client} as they are now, checked against each other and the
   * configuration's own tunnels; for reloading while running.
   */
  public static List<TunnelConfig> readInstances(ClientConfig client) throws ConfigException {
    List<String> problems = new ArrayList<>();
    TunnelChecks checks = TunnelChecks.of(client);
    client.tunnels().forEach(checks::claim);
    List<TunnelConfig> instances =
        InstanceFiles.read(
            client.instancesDir(), new ConfigEnvironment(System.getenv()), problems, checks);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return instances;
  }

  /** A {@code queue:} section (null: none); a key its caller read already is no unknown one. */
  private static QueueLimits queue(ConfigNode node) {
    QueueLimits defaults = QueueLimits.DEFAULT;
    if (node == null) {
      return defaults;
    }
    QueueLimits limits =
        new QueueLimits(
            node.integer("frames", defaults.frames(), 16, 1 << 20),
            node.size("bytes", defaults.bytes(), 128 * 1024, 1L << 30),
            node.duration("max-age", defaults.maxAge(), DurationRange.SHORT));
    node.rejectUnknownKeys();
    return limits;
  }

  private static BackoffPolicy reconnect(ConfigNode parent) {
    BackoffPolicy defaults = BackoffPolicy.DEFAULT;
    ConfigNode node = parent.section("reconnect");
    if (node == null) {
      return defaults;
    }
    BackoffPolicy policy =
        new BackoffPolicy(
            node.duration("initial", defaults.initial(), DurationRange.SHORT),
            node.duration("max", defaults.max(), DurationRange.SHORT),
            node.decimal("multiplier", defaults.multiplier(), 1.0, 10.0));
    if (policy.max().compareTo(policy.initial()) < 0) {
      node.problem("max", "must not be shorter than reconnect.initial");
    }
    node.rejectUnknownKeys();
    return policy;
  }

  private static ManagementConfig management(ConfigNode node) {
    String jolokia = node.string("jolokia", "local");
    if (!List.of("local", "remote", "off").contains(jolokia)) {
      node.problem("jolokia", "'" + jolokia + "' is not one of local, remote, off");
    }
    Set<String> operations = new LinkedHashSet<>(node.strings("jolokia-operations"));
    for (String domain : operations) {
      if (!ManagementConfig.OPERATION_DOMAINS.contains(domain)) {
        node.problem(
            "jolokia-operations",
            "'"
                + domain
                + "' is not one of "
                + String.join(", ", new TreeSet<>(ManagementConfig.OPERATION_DOMAINS)));
      }
    }
    ManagementConfig management =
        new ManagementConfig(
            node.listenAddress("listen", null),
            jolokia,
            operations,
            new LinkedHashSet<>(node.strings("hosts")),
            new LinkedHashSet<>(node.strings("origins")),
            serverAuth(node));
    node.rejectUnknownKeys();
    return management;
  }

  /** The management port must not be a port the tunnel itself listens on. */
  private static void checkManagementPort(SudpConfig config, ConfigNode management) {
    int port = config.management().listen().port();
    if (port == 0) {
      return;
    }
    if (config.server() != null
        && config.server().listen() != null
        && config.server().listen().port() == port) {
      management.problem("listen", "port " + port + " is also server.listen's");
    }
  }

  private static EchoConfig echo(ConfigNode node) {
    EchoConfig echo = new EchoConfig(node.listenAddress("listen", null));
    node.rejectUnknownKeys();
    return echo;
  }
}
