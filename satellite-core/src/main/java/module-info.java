/**
 * The satellite's model, reconciler and SPIs. Exports its API package only; {@code
 * dev.satellite.core.internal} stays closed to every other module.
 */
module dev.satellite.core {
  requires org.slf4j;

  exports dev.satellite.core;
}
