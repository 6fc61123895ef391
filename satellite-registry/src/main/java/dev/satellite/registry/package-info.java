/**
 * The OCI distribution client and what is built on it. A {@link
 * dev.satellite.registry.RegistryClient} talks to one registry endpoint with its own credentials
 * and TLS settings; values such as {@link dev.satellite.registry.ImageReference}, {@link
 * dev.satellite.registry.Digest}, {@link dev.satellite.registry.Descriptor} and {@link
 * dev.satellite.registry.Manifest} are validated where they are made. {@link
 * dev.satellite.registry.ImageCopier} copies images between two clients, {@link
 * dev.satellite.registry.RegistryReplicator} adapts it to core's {@code Replicator}, {@link
 * dev.satellite.registry.OciStateSource} reads the state artifacts and {@link
 * dev.satellite.registry.StatePublisher} writes them. Every failure is a {@code
 * SatelliteException}: {@link dev.satellite.registry.RegistryException} for what a registry refused
 * or could not be reached for, {@link dev.satellite.registry.DigestMismatchException} for content
 * that does not hash to its digest.
 */
package dev.satellite.registry;
