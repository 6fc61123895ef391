package dev.satellite.registry.internal.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Just enough DER to wrap traditional OpenSSL keys into PKCS#8 {@code PrivateKeyInfo}, which the
 * JDK reads: {@code SEQUENCE { INTEGER 0, SEQUENCE { algorithm OID, parameters }, OCTET STRING key
 * }}.
 */
final class Der {
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };
  private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

  private Der() {}

  /** PKCS#1 {@code RSAPrivateKey} to PKCS#8. */
  static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
    return sequence(VERSION_0, RSA_ALGORITHM, tlv(0x04, pkcs1));
  }

  /**
   * SEC1 {@code ECPrivateKey} (which names its curve in the {@code [0]} field) to PKCS#8.
   *
   * @throws IllegalArgumentException when the structure is not SEC1 or names no curve
   */
  static byte[] ecSec1ToPkcs8(byte[] sec1) {
    int[] outer = header(sec1, 0, 0x30);
    int pos = outer[0];
    int end = pos + outer[1];
    while (pos < end) {
      int tag = sec1[pos] & 0xff;
      int[] h = header(sec1, pos, tag);
      if (tag == 0xa0) {
        byte[] curveOid = Arrays.copyOfRange(sec1, h[0], h[0] + h[1]);
        byte[] algorithm = sequence(EC_PUBLIC_KEY_OID, curveOid);
        return sequence(VERSION_0, algorithm, tlv(0x04, sec1));
      }
      pos = h[0] + h[1];
    }
    throw new IllegalArgumentException("EC key names no curve (no [0] parameters field)");
  }

  /** {content offset, content length} of the TLV at {@code pos}, which must have {@code tag}. */
  private static int[] header(byte[] der, int pos, int tag) {
    if (pos + 2 > der.length || (der[pos] & 0xff) != tag) {
      throw new IllegalArgumentException("malformed DER at offset " + pos);
    }
    int length = der[pos + 1] & 0xff;
    int offset = pos + 2;
    if (length > 0x7f) {
      int bytes = length & 0x7f;
      if (bytes > 3 || offset + bytes > der.length) {
        throw new IllegalArgumentException("malformed DER length at offset " + pos);
      }
      length = 0;
      for (int i = 0; i < bytes; i++) {
        length = (length << 8) | (der[offset++] & 0xff);
      }
    }
    if (offset + length > der.length) {
      throw new IllegalArgumentException("truncated DER at offset " + pos);
    }
    return new int[] {offset, length};
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    return tlv(0x30, content.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else if (length < 0x10000) {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length);
    } else {
      out.write(0x83);
      out.write(length >> 16);
      out.write(length >> 8);
      out.write(length);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}
