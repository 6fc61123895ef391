package dev.satellite.agent.metrics;

/** Which party an HTTP request of the satellite went to: the {@code side} tag of its metrics. */
public enum HttpSide {
  /** The upstream registry (Harbor): state artifacts, manifests and blobs pulled. */
  UPSTREAM("upstream"),
  /** The edge registry the images are copied to. */
  EDGE("edge"),
  /** Ground Control: registration and heartbeats. */
  GROUND_CONTROL("ground-control");

  private final String tag;

  HttpSide(String tag) {
    this.tag = tag;
  }

  /** The tag value: {@code upstream}, {@code edge}, {@code ground-control}. */
  public String tag() {
    return tag;
  }
}
