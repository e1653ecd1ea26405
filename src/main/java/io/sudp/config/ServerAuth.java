package io.sudp.config;

import java.nio.file.Path;

/** The {@code server.auth} section: where the users' bcrypt hashes and the bearer tokens are. */
public record ServerAuth(Path htpasswd, Path tokensFile) {}
