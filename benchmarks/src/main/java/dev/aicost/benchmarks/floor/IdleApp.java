package dev.aicost.benchmarks.floor;

/**
 * An application that does nothing until it is killed: what an agent's own threads do while the application is idle
 * ({@code benchmarks/scripts/idle-wakeups.py} counts their wake-ups).
 */
public final class IdleApp {

  private IdleApp() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("idle");
    Thread.sleep(Long.MAX_VALUE);
  }
}
