package dev.satellite.agent;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that can be cut off from its database, as a network partition does: while cut
 * off, every new connection fails the way an unreachable host makes it fail.
 */
final class PartitionableDataSource implements DataSource {
  private final DataSource real;
  private volatile boolean cutOff;

  PartitionableDataSource(DataSource real) {
    this.real = real;
  }

  void cutOff(boolean value) {
    cutOff = value;
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (cutOff) {
      throw new SQLNonTransientConnectionException(
          "Connection attempt failed: network unreachable (partitioned by the test)", "08001");
    }
    return real.getConnection();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("only the configured user");
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return real.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    real.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    real.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return real.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return real.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return real.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return real.isWrapperFor(iface);
  }
}
