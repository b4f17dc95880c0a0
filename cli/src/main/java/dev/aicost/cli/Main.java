package dev.aicost.cli;

import dev.aicost.pricing.CatalogValidationException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * {@code aicost}: price a call, inspect and validate price catalogs, report spend from a cost ledger. Commands
 * return their exit code; only {@link #main} exits the JVM.
 *
 * <p>Exit codes: 0 success, 1 error (unreadable file, invalid catalog), 2 usage error, 3 unknown model, 4 the model
 * is known but the call cannot be priced (no price for the date or tier, ...).
 */
public final class Main {

  public static final int OK = 0;
  public static final int ERROR = 1;
  public static final int USAGE = 2;
  public static final int UNKNOWN_MODEL = 3;
  public static final int NOT_PRICED = 4;

  private Main() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
  }

  /** Runs one command line, writing to {@code out} and {@code err}; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      if (args.length == 0) {
        out.print(Help.general());
        return OK;
      }
      List<String> rest = Arrays.asList(args).subList(1, args.length);
      switch (args[0]) {
        case "help":
        case "--help":
        case "-h":
          if (!rest.isEmpty() && Help.forCommand(rest.get(0)) == null) {
            throw new UsageError(null, "no help for unknown command '" + rest.get(0) + "'");
          }
          out.print(rest.isEmpty() ? Help.general() : Help.forCommand(rest.get(0)));
          return OK;
        case "--version":
        case "version":
          out.println("aicost CLI " + version() + ", bundled price catalog "
              + dev.aicost.pricing.PricingCatalog.bundled().catalogVersion());
          return OK;
        case "price":
          return new PriceCommand(out, err).run(rest);
        case "report":
          return new ReportCommand(out, err).run(rest);
        case "catalog":
          return new CatalogCommand(out, err).run(rest);
        case "demo":
          err.println("aicost: the demo is started by the bin/aicost launcher (it runs bin/aicost-demo when present)");
          return USAGE;
        default:
          throw new UsageError(null, "unknown command '" + args[0] + "'" + Help.suggestCommand(args[0]));
      }
    } catch (UsageError e) {
      err.println("aicost: " + e.getMessage());
      err.println();
      err.print(e.command() == null ? Help.general() : Help.forCommand(e.command()));
      return USAGE;
    } catch (CatalogValidationException e) {
      err.println("aicost: " + e.getMessage());
      return ERROR;
    } catch (IOException e) {
      err.println("aicost: " + describe(e));
      return ERROR;
    } catch (UncheckedIOException e) {
      err.println("aicost: " + describe(e.getCause()));
      return ERROR;
    } catch (IllegalStateException e) {
      err.println("aicost: " + e.getMessage()); // e.g. a YAML catalog without the YAML library
      return ERROR;
    } catch (RuntimeException e) {
      err.println("aicost: internal error, please report it: " + e);
      e.printStackTrace(err);
      return ERROR;
    }
  }

  static String describe(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file: " + e.getMessage();
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied: " + e.getMessage();
    }
    return "cannot read " + e.getMessage();
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "(development build)" : v;
  }
}
