package dev.aicost.bootstrap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Who a piece of AI spend belongs to: team, feature, agent, customer, experiment, task and custom keys.
 *
 * <p>Immutable. A field that is {@code null} is unset, so that {@link #overriddenBy(Attribution)} can apply a nested
 * scope field by field. This class is part of the bootstrap bridge: additive changes only.
 */
public final class Attribution {

  public static final Attribution EMPTY =
      new Attribution(null, null, null, null, null, null, Collections.emptyMap(), null);

  private final String team;
  private final String feature;
  private final String agent;
  private final String customer;
  private final String experiment;
  private final String task;
  private final Map<String, String> custom;
  /** The open unit of work this attribution belongs to; carried, not compared (see {@link #equals}). */
  private final TaskRun taskRun;

  private Attribution(
      String team,
      String feature,
      String agent,
      String customer,
      String experiment,
      String task,
      Map<String, String> custom,
      TaskRun taskRun) {
    this.team = team;
    this.feature = feature;
    this.agent = agent;
    this.customer = customer;
    this.experiment = experiment;
    this.task = task;
    this.custom = custom;
    this.taskRun = taskRun;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String team() {
    return team;
  }

  public String feature() {
    return feature;
  }

  public String agent() {
    return agent;
  }

  public String customer() {
    return customer;
  }

  public String experiment() {
    return experiment;
  }

  public String task() {
    return task;
  }

  /** Custom keys, exported as {@code aicost.attr.<key>}; never null. */
  public Map<String, String> custom() {
    return custom;
  }

  /**
   * The task (unit of work) in progress that spend under this attribution rolls up to, or {@code null}. Set by
   * {@link AttributionContext} when the outermost scope that names a task opens; it travels with the attribution to
   * other threads, so calls made there roll up to the same task.
   */
  public TaskRun taskRun() {
    return taskRun;
  }

  /** This attribution carrying {@code run} (or none). */
  Attribution withTaskRun(TaskRun run) {
    if (run == taskRun) {
      return this;
    }
    return new Attribution(team, feature, agent, customer, experiment, task, custom, run);
  }

  /** This attribution with {@code task} as its task name. */
  Attribution withTask(String newTask) {
    if (java.util.Objects.equals(newTask, task)) {
      return this;
    }
    return new Attribution(team, feature, agent, customer, experiment, newTask, custom, taskRun);
  }

  public boolean isEmpty() {
    return team == null
        && feature == null
        && agent == null
        && customer == null
        && experiment == null
        && task == null
        && custom.isEmpty()
        && taskRun == null;
  }

  /**
   * This attribution with every field that {@code inner} sets replaced by the inner value. The task run is the
   * inner one when it carries one, else this one.
   */
  public Attribution overriddenBy(Attribution inner) {
    if (inner == null || inner.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return inner;
    }
    Map<String, String> mergedCustom = custom;
    if (!inner.custom.isEmpty()) {
      Map<String, String> merged = new LinkedHashMap<>(custom);
      merged.putAll(inner.custom);
      mergedCustom = Collections.unmodifiableMap(merged);
    }
    return new Attribution(
        firstSet(inner.team, team),
        firstSet(inner.feature, feature),
        firstSet(inner.agent, agent),
        firstSet(inner.customer, customer),
        firstSet(inner.experiment, experiment),
        firstSet(inner.task, task),
        mergedCustom,
        inner.taskRun != null ? inner.taskRun : taskRun);
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.team = team;
    b.feature = feature;
    b.agent = agent;
    b.customer = customer;
    b.experiment = experiment;
    b.task = task;
    b.custom.putAll(custom);
    return b;
  }

  private static String firstSet(String preferred, String fallback) {
    return preferred != null ? preferred : fallback;
  }

  /** Compares the attribution fields and custom keys; the task run is context, not attribution, and is ignored. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Attribution)) {
      return false;
    }
    Attribution that = (Attribution) o;
    return Objects.equals(team, that.team)
        && Objects.equals(feature, that.feature)
        && Objects.equals(agent, that.agent)
        && Objects.equals(customer, that.customer)
        && Objects.equals(experiment, that.experiment)
        && Objects.equals(task, that.task)
        && custom.equals(that.custom);
  }

  @Override
  public int hashCode() {
    return Objects.hash(team, feature, agent, customer, experiment, task, custom);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Attribution{");
    append(sb, "team", team);
    append(sb, "feature", feature);
    append(sb, "agent", agent);
    append(sb, "customer", customer);
    append(sb, "experiment", experiment);
    append(sb, "task", task);
    for (Map.Entry<String, String> e : custom.entrySet()) {
      append(sb, "attr." + e.getKey(), e.getValue());
    }
    if (sb.charAt(sb.length() - 1) == ' ') {
      sb.setLength(sb.length() - 1);
    }
    return sb.append('}').toString();
  }

  private static void append(StringBuilder sb, String key, String value) {
    if (value != null) {
      sb.append(key).append('=').append(value).append(' ');
    }
  }

  /** Builds an {@link Attribution}; blank values count as unset. */
  public static final class Builder {
    private String team;
    private String feature;
    private String agent;
    private String customer;
    private String experiment;
    private String task;
    private final Map<String, String> custom = new LinkedHashMap<>();

    private Builder() {}

    public Builder team(String team) {
      this.team = clean(team);
      return this;
    }

    public Builder feature(String feature) {
      this.feature = clean(feature);
      return this;
    }

    public Builder agent(String agent) {
      this.agent = clean(agent);
      return this;
    }

    public Builder customer(String customer) {
      this.customer = clean(customer);
      return this;
    }

    public Builder experiment(String experiment) {
      this.experiment = clean(experiment);
      return this;
    }

    public Builder task(String task) {
      this.task = clean(task);
      return this;
    }

    /** A custom key, exported as {@code aicost.attr.<key>}. */
    public Builder attribute(String key, String value) {
      String k = clean(key);
      String v = clean(value);
      if (k != null && v != null) {
        custom.put(k, v);
      }
      return this;
    }

    /**
     * Sets a field by its name ({@code team}, {@code feature}, {@code agent}, {@code customer}, {@code experiment},
     * {@code task}); any other name becomes a custom key.
     */
    public Builder set(String key, String value) {
      switch (key) {
        case "team":
          return team(value);
        case "feature":
          return feature(value);
        case "agent":
          return agent(value);
        case "customer":
          return customer(value);
        case "experiment":
          return experiment(value);
        case "task":
          return task(value);
        default:
          return attribute(key, value);
      }
    }

    public Attribution build() {
      Map<String, String> c =
          custom.isEmpty() ? Collections.emptyMap() : Collections.unmodifiableMap(new LinkedHashMap<>(custom));
      Attribution a = new Attribution(team, feature, agent, customer, experiment, task, c, null);
      return a.isEmpty() ? EMPTY : a;
    }

    private static String clean(String s) {
      if (s == null) {
        return null;
      }
      String t = s.trim();
      return t.isEmpty() ? null : t;
    }
  }
}
