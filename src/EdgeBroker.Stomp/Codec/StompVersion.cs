namespace EdgeBroker.Stomp.Codec;

/// <summary>
/// The negotiated STOMP protocol version. It only changes header escaping: 1.0 has none, 1.1 adds
/// <c>\n \c \\</c>, 1.2 adds <c>\r</c>. Before CONNECTED, read with <see cref="V12"/>: CONNECT and STOMP
/// frames are never unescaped, so the choice does not matter for them.
/// </summary>
public enum StompVersion : byte
{
    V10 = 10,
    V11 = 11,
    V12 = 12,
}
