package io.sudp.runtime;

/** A part of a configuration a process runs. */
public enum Role {
  SERVER,
  CLIENT,
  ECHO
}
