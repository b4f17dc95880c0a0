package dev.aicost.sdk;

import dev.aicost.bootstrap.Attribution;
import dev.aicost.bootstrap.AttributionContext;

/** Builds an attribution scope; see {@link AiCost#attribute()}. Blank values are ignored. */
public final class AiCostScopeBuilder {

  private final Attribution.Builder attribution = Attribution.builder();

  AiCostScopeBuilder() {}

  public AiCostScopeBuilder team(String team) {
    attribution.team(team);
    return this;
  }

  public AiCostScopeBuilder feature(String feature) {
    attribution.feature(feature);
    return this;
  }

  public AiCostScopeBuilder agent(String agent) {
    attribution.agent(agent);
    return this;
  }

  public AiCostScopeBuilder customer(String customer) {
    attribution.customer(customer);
    return this;
  }

  public AiCostScopeBuilder experiment(String experiment) {
    attribution.experiment(experiment);
    return this;
  }

  /**
   * Names the task (unit of work) this scope is. When no task is in progress the scope starts one, which ends when
   * the scope closes and its calls have ended; inside a task the name is ignored (the outermost task owns the spend).
   */
  public AiCostScopeBuilder task(String task) {
    attribution.task(task);
    return this;
  }

  /** A custom key, exported as {@code aicost.attr.<key>}. */
  public AiCostScopeBuilder attribute(String key, String value) {
    attribution.attribute(key, value);
    return this;
  }

  /** Opens the scope on the current thread; fields set here override the enclosing scope's. */
  public AiCostScope open() {
    return new AiCostScope(AttributionContext.open(attribution.build()));
  }
}
