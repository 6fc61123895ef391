/**
 * The OCI distribution client, state artifacts and the registry replicator. Exports its API
 * package only; everything under {@code dev.satellite.registry.internal} stays closed.
 *
 * <p>OkHttp is required transitively because one deliberate OkHttp type is in the API: {@code
 * RegistryClient.Builder.sharedHttpClient(OkHttpClient)}, to share an application's connection
 * pool and dispatcher.
 */
module dev.satellite.registry {
  requires transitive dev.satellite.core;
  requires transitive okhttp3;
  requires okhttp3.tls;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports dev.satellite.registry;
}
