package dev.aicost.pricing;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One priced model of a provider: its id, the other names it answers to, and its effective-dated price sets.
 * Immutable.
 */
public final class ModelEntry {

  private final String provider;
  private final String id;
  private final String entryId;
  private final List<String> aliases;
  private final List<Pattern> patterns;
  private final String mode;
  private final String note;
  private final List<PriceSet> prices;

  // Where the entry was declared, for error messages, and which optional fields were written out (a user entry that
  // replaces a bundled one inherits the fields it omits).
  final String origin;
  final String path;
  final boolean aliasesDeclared;
  final boolean patternsDeclared;
  final boolean modeDeclared;
  final boolean noteDeclared;

  ModelEntry(
      String provider,
      String id,
      List<String> aliases,
      List<Pattern> patterns,
      String mode,
      String note,
      List<PriceSet> prices,
      String origin,
      String path,
      boolean aliasesDeclared,
      boolean patternsDeclared,
      boolean modeDeclared,
      boolean noteDeclared) {
    this.provider = provider;
    this.id = id;
    this.entryId = provider + '/' + id;
    this.aliases = Collections.unmodifiableList(new ArrayList<>(aliases));
    this.patterns = Collections.unmodifiableList(new ArrayList<>(patterns));
    this.mode = mode;
    this.note = note;
    this.prices = Collections.unmodifiableList(new ArrayList<>(prices));
    this.origin = origin;
    this.path = path;
    this.aliasesDeclared = aliasesDeclared;
    this.patternsDeclared = patternsDeclared;
    this.modeDeclared = modeDeclared;
    this.noteDeclared = noteDeclared;
  }

  /** Provider name as in {@code gen_ai.provider.name}, e.g. {@code openai}, {@code aws.bedrock}. */
  public String provider() {
    return provider;
  }

  /** The model id, e.g. {@code gpt-4o}. */
  public String id() {
    return id;
  }

  /** {@code provider/id}: the name of this entry in breakdowns, spans and the ledger. */
  public String entryId() {
    return entryId;
  }

  /** Exact alternative ids, e.g. dated snapshots priced like this model. */
  public List<String> aliases() {
    return aliases;
  }

  /** Regular expressions (full match, after lower-casing) tried when nothing else matched. */
  public List<String> patterns() {
    List<String> out = new ArrayList<>(patterns.size());
    for (Pattern p : patterns) {
      out.add(p.pattern());
    }
    return out;
  }

  List<Pattern> compiledPatterns() {
    return patterns;
  }

  /** What the model does: {@code chat}, {@code responses}, {@code embeddings}, {@code realtime}, ... */
  public String mode() {
    return mode;
  }

  /** Remarks about the model, or {@code null}. */
  public String note() {
    return note;
  }

  /** Price sets, oldest first. */
  public List<PriceSet> prices() {
    return prices;
  }

  /** The price set in force on {@code date}, or {@code null} when none is. */
  public PriceSet priceSetOn(LocalDate date) {
    for (PriceSet p : prices) {
      if (p.inForceOn(date)) {
        return p;
      }
    }
    return null;
  }

  ModelEntry withAliases(List<String> newAliases) {
    return new ModelEntry(
        provider, id, newAliases, patterns, mode, note, prices, origin, path, aliasesDeclared, patternsDeclared,
        modeDeclared, noteDeclared);
  }

  /** This entry with the fields {@code overlay} omits taken from {@code this}: how a user entry replaces a bundled one. */
  ModelEntry inheritInto(ModelEntry overlay) {
    return new ModelEntry(
        overlay.provider,
        overlay.id,
        overlay.aliasesDeclared ? overlay.aliases : aliases,
        overlay.patternsDeclared ? overlay.patterns : patterns,
        overlay.modeDeclared ? overlay.mode : mode,
        overlay.noteDeclared ? overlay.note : note,
        overlay.prices,
        overlay.origin,
        overlay.path,
        true,
        true,
        true,
        true);
  }

  @Override
  public String toString() {
    return "ModelEntry{" + entryId + ", aliases=" + aliases + ", " + prices.size() + " price set(s)}";
  }
}
