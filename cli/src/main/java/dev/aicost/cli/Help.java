package dev.aicost.cli;

/** Usage texts. Kept in one place so that docs/cli.md can quote them verbatim. */
final class Help {

  private static final String[] COMMANDS = {"price", "report", "catalog", "help", "demo"};

  private Help() {}

  static String general() {
    return "usage: aicost <command> [options]\n"
        + "\n"
        + "commands:\n"
        + "  price     price one call from its token counts\n"
        + "  report    spend table from a JSONL cost ledger\n"
        + "  catalog   validate a price catalog file, list models, show a model's prices\n"
        + "  demo      run the demo (bin/aicost-demo, when installed)\n"
        + "  help      this text; 'aicost help <command>' for a command's options\n"
        + "\n"
        + "exit codes: 0 ok, 1 error, 2 usage error, 3 unknown model, 4 model known but call not priced\n";
  }

  static String forCommand(String command) {
    switch (command) {
      case "price":
        return price();
      case "report":
        return report();
      case "catalog":
        return catalog();
      case "help":
        return general();
      case "demo":
        return "usage: aicost demo [args...]\n\nRuns bin/aicost-demo through the bin/aicost launcher, when it exists.\n";
      default:
        return null;
    }
  }

  static String price() {
    return "usage: aicost price --model MODEL --input N [--output N] [options]\n"
        + "\n"
        + "Prices one call with the bundled catalog (and --catalog FILE layered over it).\n"
        + "Token counts follow aicost's normalized convention: --input counts every input token, so\n"
        + "--cache-read, --cache-write-5m, --cache-write-1h, --audio-input and --image-input are parts of it;\n"
        + "--output counts every output token, so --reasoning and --audio-output are parts of it.\n"
        + "\n"
        + "  --provider P           provider as in gen_ai.provider.name (default: openai)\n"
        + "  --model M              model id, alias, dated snapshot, provider/model or ft:BASE:... (required)\n"
        + "  --input N              input tokens, cached ones included\n"
        + "  --output N             output tokens, reasoning included\n"
        + "  --cache-read N         cached input tokens read (part of --input)\n"
        + "  --cache-write-5m N     input tokens written to a 5-minute cache (part of --input)\n"
        + "  --cache-write-1h N     input tokens written to a 1-hour cache (part of --input)\n"
        + "  --reasoning N          reasoning tokens (part of --output)\n"
        + "  --audio-input N        audio input tokens (part of --input)\n"
        + "  --audio-output N       audio output tokens (part of --output)\n"
        + "  --image-input N        image input tokens (part of --input)\n"
        + "  --web-search N         billable web search calls\n"
        + "  --service-tier T       standard, batch, flex or priority (default: standard)\n"
        + "  --region R             region the call ran in, for regional prices\n"
        + "  --date YYYY-MM-DD      price in force on this date (default: today, UTC)\n"
        + "  --catalog FILE         user catalog (JSON or YAML) layered over the bundled one\n"
        + "  --import SPEC          litellm:FILE[,prefer-import]: a LiteLLM price map imported under the bundled\n"
        + "                         catalog (with prefer-import: over it)\n"
        + "  --json                 one JSON object instead of the table\n";
  }

  static String report() {
    return "usage: aicost report LEDGER.jsonl [--by DIMENSION] [--json]\n"
        + "\n"
        + "Sums a JSONL cost ledger (one JSON object per line; lines whose type is not \"call\" are skipped;\n"
        + "a malformed line is reported on stderr with its number and skipped). Money is summed exactly.\n"
        + "Unpriced calls are counted and listed apart, never as zero cost. LEDGER may be - for stdin.\n"
        + "\n"
        + "  --by D     team (default), feature, customer, agent, experiment, task, model or provider\n"
        + "  --json     one JSON object instead of the tables\n";
  }

  static String catalog() {
    return "usage: aicost catalog validate FILE [--standalone]\n"
        + "       aicost catalog list [--provider P] [--catalog FILE] [--import SPEC] [--date YYYY-MM-DD]\n"
        + "       aicost catalog show MODEL [--provider P] [--catalog FILE] [--import SPEC] [--date YYYY-MM-DD]\n"
        + "\n"
        + "  validate   checks a user catalog (JSON or YAML) and, unless --standalone, layering it over the\n"
        + "             bundled catalog; prints every error with its path; exit 1 when invalid\n"
        + "  list       the models of the catalog with their standard prices (USD per 1M tokens)\n"
        + "  show       how MODEL resolves (alias, dated snapshot, inference profile, deployment, ...), and\n"
        + "             every price set of its entry\n"
        + "\n"
        + "  --provider P    provider (list: all providers; show: default openai)\n"
        + "  --catalog FILE  user catalog layered over the bundled one\n"
        + "  --import SPEC   litellm:FILE[,prefer-import]: a LiteLLM price map under (or over) the bundled one\n"
        + "  --date D        list: prices in force on D; show: which price set to mark (default: today, UTC)\n";
  }

  static String suggestCommand(String given) {
    for (String c : COMMANDS) {
      if (c.startsWith(given) || given.startsWith(c)) {
        return " (did you mean '" + c + "'?)";
      }
    }
    return "";
  }
}
