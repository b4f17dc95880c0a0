package dev.aicost.cli;

/** A command line that cannot be run as given; the CLI prints the message and the command's usage, exit code 2. */
final class UsageError extends Exception {

  private static final long serialVersionUID = 1L;

  private final String command;

  UsageError(String command, String message) {
    super(message);
    this.command = command;
  }

  /** The command whose usage to print, or {@code null} for the general usage. */
  String command() {
    return command;
  }
}
